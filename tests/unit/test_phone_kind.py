"""A phone with no type chosen takes it from phonenumbers' own number type (issue 19): a Quito landline
is not "Móvil"."""

from __future__ import annotations

from datetime import date

import pytest

from crm_app.domain.customer_form import parse_customer_form
from crm_app.domain.customer_validation import clean_customer
from crm_app.domain.customers import CustomerInput, PhoneInput
from crm_app.domain.phones import default_phone_kind, normalize_phone


@pytest.mark.parametrize(
    ("typed", "region", "client_type", "kind"),
    [
        ("02-234-5678", "EC", "person", "home"),  # FIXED_LINE: a person's landline is at home
        ("02-234-5678", "EC", "company", "work"),  # ... a company's or an office's is at work
        ("02-234-5678", "EC", "government", "work"),
        ("(01) 456-7890", "PE", "person", "home"),
        ("+34 912 345 678", "EC", "company", "work"),
        ("099 123 4567", "EC", "person", "mobile"),  # MOBILE
        ("099 123 4567", "EC", "company", "mobile"),
        ("+1 650 253 0000", "EC", "person", "mobile"),  # FIXED_LINE_OR_MOBILE (US): mobile
        ("1800 123 4567", "EC", "person", "work"),  # TOLL_FREE: only businesses have one
    ],
)
def test_the_number_type_decides(typed: str, region: str, client_type: str, kind: str) -> None:
    assert default_phone_kind(normalize_phone(typed, region).e164, client_type) == kind


def test_an_unreadable_number_stays_mobile() -> None:
    assert default_phone_kind("not a number", "person") == "mobile"


def _saved_kinds(client_type: str, *phones: PhoneInput) -> list[str]:
    person = {"first_name": "Ana", "last_name": "Vera"}
    names = person if client_type == "person" else {"legal_name": "Andes SA"}
    data = CustomerInput(client_type=client_type, phones=phones, **names)
    return [p.kind for p in clean_customer(data, country="EC", today=date(2026, 1, 1)).phones]


def test_a_phone_without_a_type_gets_its_own_and_a_chosen_type_is_kept() -> None:
    assert _saved_kinds("person", PhoneInput("02-234-5678"), PhoneInput("0991234567")) == ["home", "mobile"]
    assert _saved_kinds("company", PhoneInput("02-234-5678", kind="")) == ["work"]
    # The user's choice wins, even when the number says otherwise.
    assert _saved_kinds("person", PhoneInput("02-234-5678", kind="mobile")) == ["mobile"]
    assert _saved_kinds("person", PhoneInput("0991234567", kind="work")) == ["work"]


def test_the_staff_form_sends_no_type_when_automatic_is_left() -> None:
    data, errors = parse_customer_form(
        {"first_name": "Ana", "last_name": "Vera", "phones.a.number": "02-234-5678", "phones.a.kind": ""},
        client_type="person", phone_keys=["a"], email_keys=[], tags=[],
    )
    assert errors == {} and data.phones[0].kind == ""
    assert [p.kind for p in clean_customer(data, country="EC", today=date(2026, 1, 1)).phones] == ["home"]
