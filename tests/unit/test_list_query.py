"""The list pages' address: what a shared link or the back button shows again."""

from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.states.list_query import first_page_on_bad_cursor, list_url


def test_list_url_leaves_out_empty_values_and_starts_again_at_the_first_page():
    current = {"q": "ana", "sort": "", "after": "c1"}
    assert list_url("/accounts", current, {"sort": "-name"}) == "/accounts?q=ana&sort=-name"
    assert list_url("/accounts", current, {"after": "c2"}) == "/accounts?q=ana&after=c2"
    assert list_url("/accounts", {"q": ""}, {}) == "/accounts"


def test_a_broken_cursor_shows_the_first_page():
    def fetch(cursor):
        if cursor == "forged":
            raise ValidationFailed({"after": FieldError("invalid")})
        return f"page from {cursor or 'start'}"

    assert first_page_on_bad_cursor(fetch, "good") == ("page from good", "good")
    assert first_page_on_bad_cursor(fetch, "forged") == ("page from start", "")

