"""Free text keeps no NUL bytes or control characters and no bidi overrides, in every cleaner
(issue 19, finding 6): "\u202eRTL" made a customer's name display reversed, so one customer could
pose as another in lists and feeds."""

from __future__ import annotations

from datetime import date

import pytest

from crm_app.domain.accounts import AccountInput, clean_account
from crm_app.domain.customer_validation import clean_customer
from crm_app.domain.customers import CustomerInput, PhoneInput
from crm_app.domain.form_edits import CustomFieldInput, clean_custom_field
from crm_app.domain.tags import clean_tags
from crm_app.domain.text import clean_line, clean_text, strip_unsafe

HOSTILE = "\u202eZZ\x00x\x1b\u2066\u2069\u202a\x7f"
UNSAFE = ["\x00", "\x1b", "\x7f", "\r"] + [chr(c) for c in range(0x202A, 0x202F)] + [
    chr(c) for c in range(0x2066, 0x206A)]


def assert_safe(text: str) -> None:
    assert not any(ch in text for ch in UNSAFE), repr(text)


@pytest.mark.parametrize("ch", UNSAFE)
def test_each_unsafe_character_is_removed(ch):
    assert strip_unsafe(f"a{ch}b") == "ab"


def test_newline_and_tab_stay_in_multi_line_text_and_lines_are_one_line():
    assert clean_text("  uno\n\tdos\u202e \x00 ") == "uno\n\tdos"
    assert clean_line(" Ana \u202e  María\x00 ") == "Ana María"
    assert clean_text({"nested": [1, 2]}) == ""  # never a repr


def test_customer_names_notes_and_phone_labels():
    clean = clean_customer(CustomerInput(
        first_name=HOSTILE + "Ana", last_name="P\u202eérez", notes="nota\x00\nsegunda\u2066",
        city="Quito\x1b", phones=(PhoneInput("099 123 4567\u202e", kind="custom", label="Casa\u202e"),),
        tags=("vip\u202e",)), country="EC", today=date(2026, 6, 1))
    for value in (clean.first_name, clean.last_name, clean.display_name, clean.notes, clean.city,
                  clean.phones[0].label, clean.phones[0].raw, *clean.tags):
        assert_safe(value)
    assert clean.first_name == "ZZxAna" and clean.notes == "nota\nsegunda"


def test_a_name_of_only_unsafe_characters_is_empty_hence_required():
    from crm_app.domain.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        clean_customer(CustomerInput(first_name="\u202e\x00", last_name="Pérez"), country="EC",
                       today=date(2026, 6, 1))
    assert refused.value.errors["first_name"].code == "required"


def test_accounts_tags_and_custom_field_definitions():
    account = clean_account(AccountInput(name="Acme\u202e", city="Lima\x00", notes="a\u2067b"), country="PE")
    for value in (account.name, account.city, account.notes):
        assert_safe(value)
    assert_safe(clean_tags(("x\u202ey",), {})[0])
    field = clean_custom_field(CustomFieldInput(kind="choice", label_es="Talla\u202e", help_es="ayuda\x00",
                                                options=((None, "S\u202e", ""),)))
    for value in (field.label_es, field.help_es, field.options[0][1]):
        assert_safe(value)
