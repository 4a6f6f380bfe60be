"""Pure helpers of the messaging screens: placeholder insertion at the cursor, the public form's fields."""

from __future__ import annotations

from crm_app.domain.customer_form import parse_customer_form
from crm_app.states.register import EMAIL_KEY, PHONE_KEY, registration_fields
from crm_app.states.text_insert import cursor_script, insert_at

TAG = "{{ first_name }}"


def test_the_tag_goes_where_the_browser_says_the_cursor_is():
    assert insert_at("stale", ["Hola , bienvenido", 5, 5], TAG) == "Hola {{ first_name }}, bienvenido"


def test_a_selection_is_replaced_by_the_tag():
    assert insert_at("", ["Hola NOMBRE", 5, 11], TAG) == "Hola {{ first_name }}"


def test_without_a_usable_cursor_the_tag_goes_at_the_end():
    assert insert_at("Hola", None, TAG) == "Hola {{ first_name }}"
    assert insert_at("Hola ", None, TAG) == "Hola {{ first_name }}"
    assert insert_at("", None, TAG) == TAG
    # The browser's value still wins when its positions are nonsense.
    assert insert_at("old", ["Nuevo", 9, 2], TAG) == "Nuevo {{ first_name }}"
    assert insert_at("old", ["x", "1", 1], TAG) == "x {{ first_name }}"


def test_the_cursor_script_names_the_field_safely():
    script = cursor_script('a"b')
    assert 'getElementById("a\\"b")' in script


def test_the_public_form_cannot_set_what_only_staff_decides():
    form = {
        "first_name": "Rosa", "last_name": "Vera",
        f"phones.{PHONE_KEY}.number": "0987654321", f"phones.{PHONE_KEY}.whatsapp": "on",
        f"emails.{EMAIL_KEY}.address": "rosa@example.com", f"emails.{EMAIL_KEY}.accepts_email": "on",
        # forged by hand: none of these is on the page
        "discount_percent": "50", "credit_limit": "100000", "is_supplier": "on", "notes": "VIP",
        "channel_id": "1", "phones.x.number": "0990000000", "email_primary": "x",
    }
    allowed = registration_fields(form)
    data, errors = parse_customer_form(allowed, client_type="person", phone_keys=[PHONE_KEY],
                                       email_keys=[EMAIL_KEY], tags=(), source="invitation")
    assert errors == {}
    assert (data.first_name, data.last_name) == ("Rosa", "Vera")
    assert data.discount_percent == 0 and data.credit_limit is None and not data.is_supplier
    assert data.notes == "" and data.channel_id is None
    phones = [(p.number, p.whatsapp, p.sms, p.primary) for p in data.phones]
    assert phones == [("0987654321", True, False, True)]
    emails = [(e.address, e.accepts_email, e.primary) for e in data.emails]
    assert emails == [("rosa@example.com", True, True)]
