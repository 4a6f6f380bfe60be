"""Customer rules without a database: validation, derived names, primaries, the change set."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crm_app.domain.customer_diff import diff_customers
from crm_app.domain.customer_validation import clean_customer
from crm_app.domain.customers import (
    CustomerDTO,
    CustomerInput,
    EmailDTO,
    EmailInput,
    PhoneDTO,
    PhoneInput,
    display_name_for,
)
from crm_app.domain.errors import ValidationFailed

TODAY = date(2026, 6, 1)


def clean(**fields):
    return clean_customer(CustomerInput(**fields), country="EC", today=TODAY)


def codes(**fields) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        clean(**fields)
    return {key: error.code for key, error in refused.value.errors.items()}


def test_display_names():
    assert display_name_for("person", " Ana ", "Pérez", "Tienda", "Legal") == "Ana Pérez"
    assert display_name_for("company", "", "", "Tienda Ana", "Ana Pérez S.A.") == "Tienda Ana"
    assert display_name_for("government", "", "", "", "Municipio de Loja") == "Municipio de Loja"


def test_clean_person_normalizes_everything():
    value = clean(
        first_name=" Ana  María ",
        last_name="Pérez",
        tax_id="171003406-5",
        phones=(
            PhoneInput("099 123 4567", kind="custom", label=" Casa playa "),
            PhoneInput("0987654321", primary=True),
            PhoneInput("0981111111", primary=True),
        ),
        emails=(EmailInput(" ANA@Example.com "),),
        tags=("vip", "VIP", " Crédito "),
        discount_percent=Decimal("7.5"),
        credit_limit=Decimal("10"),
        loyalty_id="  ",
        address_country="ec",
        latitude=Decimal("1.1234567"),
        longitude=Decimal("-78"),
    )
    assert value.display_name == "Ana María Pérez" and value.sort_name == "ana maria perez"
    assert value.tax_id == "1710034065" and value.tax_id_type == "cedula"
    assert [p.primary for p in value.phones] == [False, True, False]  # the first marked one wins
    assert value.phones[0].label == "Casa playa" and value.phones[0].e164 == "+593991234567"
    assert value.emails[0].address == "ana@example.com" and value.emails[0].primary
    assert value.tags == ("vip", "Crédito")
    assert value.discount_percent == Decimal("7.50") and value.credit_limit == Decimal("10.00")
    assert value.loyalty_id is None and value.address_country == "EC"
    assert value.latitude == Decimal("1.123457")


def test_company_drops_person_names_and_needs_a_legal_name():
    value = clean(client_type="company", first_name="x", last_name="y", legal_name="Andina S.A.")
    assert (value.first_name, value.last_name, value.display_name) == ("", "", "Andina S.A.")
    assert codes(client_type="government", trade_name="Algo") == {"legal_name": "required"}


def test_field_codes():
    assert codes() == {"first_name": "required", "last_name": "required"}
    assert codes(first_name="A", last_name="B", birthday=date(2026, 6, 2)) == {"birthday": "birthday_future"}
    assert clean(first_name="A", last_name="B", birthday=TODAY).birthday == TODAY
    assert codes(first_name="A", last_name="B", discount_percent=Decimal("100.01")) == {
        "discount_percent": "discount_range"
    }
    assert codes(first_name="A", last_name="B", credit_limit=Decimal("NaN")) == {
        "credit_limit": "credit_limit_invalid"
    }
    assert codes(first_name="A", last_name="B", longitude=Decimal(181), latitude=Decimal(0)) == {
        "longitude": "coordinates_invalid"
    }
    assert codes(first_name="A", last_name="B", phones=(PhoneInput("0991234567", kind="fax"),)) == {
        "phones.0.kind": "phone_kind_invalid"
    }
    assert codes(first_name="A", last_name="B", phones=(PhoneInput(" "),)) == {"phones.0.number": "required"}
    assert codes(first_name="A", last_name="B", tags=("x" * 61,)) == {"tags": "too_long"}
    assert codes(first_name="A", last_name="B", source="fax") == {"source": "source_invalid"}
    assert codes(first_name="A", last_name="B", address_country="Ecuador") == {
        "address_country": "country_unknown"
    }
    assert codes(first_name="A", last_name="B", tax_id="V-123", tax_id_type="rif") == {
        "tax_id": "tax_id_type_not_allowed"
    }


def _dto(**changes) -> CustomerDTO:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    base = CustomerDTO(
        id=1,
        version=1,
        client_type="person",
        display_name="Ana Pérez",
        first_name="Ana",
        last_name="Pérez",
        legal_name="",
        trade_name="",
        contact_name="",
        tax_id_type="",
        tax_id="",
        tax_id_formatted="",
        phones=(
            PhoneDTO(
                id=1,
                raw="0991234567",
                e164="+593991234567",
                national="099 123 4567",
                international="+593 99 123 4567",
                kind="mobile",
                label="",
                whatsapp=False,
                viber=False,
                sms=False,
                primary=True,
            ),
        ),
        emails=(EmailDTO(1, "ana@x.com", False, None, "", True),),
        loyalty_id="",
        birthday=None,
        street="",
        city="Quito",
        region="",
        postal_code="",
        address_country="",
        latitude=None,
        longitude=None,
        credit_limit=None,
        discount_percent=Decimal(0),
        channel_id=None,
        channel_name="",
        notes="",
        tags=("b", "a"),
        is_supplier=False,
        is_conflictive=False,
        source="form",
        created_at=moment,
        created_by_name="x",
        updated_at=moment,
        updated_by_name="x",
        deleted_at=None,
    )
    return dataclasses.replace(base, **changes)


def test_diff_lists_changed_fields_only():
    before = _dto()
    assert diff_customers(before, before) == []
    # Bookkeeping and derived fields do not count; tag order does not either.
    assert diff_customers(before, _dto(version=9, display_name="X", tags=("a", "b"), id=1)) == []
    after = _dto(
        city="Loja",
        discount_percent=Decimal(5),
        is_supplier=True,
        emails=(EmailDTO(7, "ana@x.com", True, None, "form", True),),
    )
    assert diff_customers(before, after) == [
        ("emails", (("ana@x.com", False, True),), (("ana@x.com", True, True),)),
        ("city", "Quito", "Loja"),
        ("discount_percent", Decimal(0), Decimal(5)),
        ("is_supplier", False, True),
    ]
