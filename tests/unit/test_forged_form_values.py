"""Values the staff form's own checks refuse are refused on the server too, with a field error, when a
forged event sends them (issue 19, finding 6): nothing is rounded, dropped or stored silently."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crm_app.domain.customer_form import parse_customer_form
from crm_app.domain.customer_numbers import money_places
from crm_app.domain.customer_validation import clean_customer
from crm_app.domain.customers import CustomerInput
from crm_app.domain.errors import ValidationFailed

TODAY = date(2026, 6, 1)


def refused(currency: str = "USD", **fields) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        clean_customer(CustomerInput(first_name="Ana", last_name="Pérez", **fields), country="EC",
                       today=TODAY, currency=currency)
    return {key: error.code for key, error in caught.value.errors.items()}


def accepted(currency: str = "USD", **fields):
    return clean_customer(CustomerInput(first_name="Ana", last_name="Pérez", **fields), country="EC",
                          today=TODAY, currency=currency)


def form(**values) -> tuple[CustomerInput, dict[str, str]]:
    data, errors = parse_customer_form({"first_name": "Ana", "last_name": "Pérez", **values},
                                       client_type="person", phone_keys=[], email_keys=[], tags=[])
    return data, {key: error.code for key, error in errors.items()}


def test_birthday_before_1900_or_in_the_future_is_refused():
    assert refused(birthday=date(1, 1, 1)) == {"birthday": "birthday_too_old"}
    assert refused(birthday=date(1899, 12, 31)) == {"birthday": "birthday_too_old"}
    assert refused(birthday=date(2026, 6, 2)) == {"birthday": "birthday_future"}
    assert accepted(birthday=date(1900, 1, 1)).birthday == date(1900, 1, 1)


@pytest.mark.parametrize("code", ["XX", "ZZ", "EU", "QO", "e1"])
def test_an_unknown_country_code_is_refused(code):
    assert refused(address_country=code) == {"address_country": "country_unknown"}


def test_known_country_codes_are_kept_upper_case():
    assert accepted(address_country="pe").address_country == "PE"


def test_money_with_more_decimals_than_the_currency_is_refused_not_rounded():
    data, errors = form(credit_limit="1500,005")
    assert not errors and data.credit_limit == Decimal("1500.005")
    assert refused(credit_limit=data.credit_limit) == {"credit_limit": "money_decimals"}
    assert refused("CLP", credit_limit=Decimal("1500.5")) == {"credit_limit": "money_no_decimals"}
    assert accepted("CLP", credit_limit=Decimal("1500.00")).credit_limit == Decimal("1500.00")
    assert accepted(credit_limit=Decimal("1500.01")).credit_limit == Decimal("1500.01")
    assert (money_places("USD"), money_places("CLP"), money_places("PYG")) == (2, 0, 0)


def test_a_discount_with_more_than_two_decimals_is_refused():
    assert refused(discount_percent=Decimal("12.3456")) == {"discount_percent": "discount_decimals"}
    assert accepted(discount_percent=Decimal("12.35")).discount_percent == Decimal("12.35")


@pytest.mark.parametrize("raw", ["-1", "x", "1.5", "²", str(2**63)])
def test_a_channel_that_is_not_an_id_is_a_field_error_not_no_channel(raw):
    data, errors = form(channel_id=raw)
    assert errors == {"channel_id": "channel_unknown"} and data.channel_id is None


def test_an_id_past_64_bits_is_refused_by_the_cleaner():
    assert refused(channel_id=2**63) == {"channel_id": "channel_unknown"}
