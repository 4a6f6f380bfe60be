"""Leads without a database: the name carried into a customer's name fields, a lost lead's reason, and
the form's checks all at once."""

from __future__ import annotations

from datetime import date

import pytest

from crm_app.domain.errors import FieldError
from crm_app.domain.leads import LeadInput, clean_lead, clean_lost_reason, customer_names


@pytest.mark.parametrize(("name", "client_type", "expected"), [
    ("María José Torres Vega", "person", {"first_name": "María", "last_name": "José Torres Vega"}),
    ("Rosa", "person", {"first_name": "Rosa", "last_name": ""}),  # the form asks for the last name
    ("Ferretería Norte S.A.", "company", {"legal_name": "Ferretería Norte S.A."}),
    ("Municipio de Loja", "government", {"legal_name": "Municipio de Loja"}),
])
def test_the_leads_name_fills_the_customers_name_fields(name, client_type, expected):
    assert customer_names(name, client_type) == expected


def test_only_a_lost_lead_keeps_a_reason_and_it_needs_one():
    assert clean_lost_reason("contacted", "ignored") == ""
    assert clean_lost_reason("lost", "  Compró   en otra tienda ") == "Compró en otra tienda"
    with pytest.raises(FieldError) as missing:
        clean_lost_reason("lost", " \u202e ")
    assert missing.value.code == "lead_lost_reason_required"
    with pytest.raises(FieldError) as long:
        clean_lost_reason("lost", "x" * 201)
    assert long.value.code == "too_long"


def test_the_form_is_checked_all_at_once_and_cleaned():
    errors: dict[str, FieldError] = {}
    clean = clean_lead(LeadInput(name="  Ana \u202e  Vera ", phone="099 123 4567", email="ANA@Example.com",
                                 next_step_on="2030-01-31", notes=" nota \n"), "EC", errors)
    assert errors == {}
    assert (clean.name, clean.phone_raw, clean.phone_e164, clean.email, clean.next_step_on, clean.notes) == (
        "Ana Vera", "099 123 4567", "+593991234567", "ana@example.com", date(2030, 1, 31), "nota")
    clean_lead(LeadInput(name="", phone="0", email="@", next_step_on="31/01/2030", notes="n" * 5001), "EC",
               errors)
    assert {k: e.code for k, e in errors.items()} == {
        "name": "required", "phone": "phone_invalid", "email": "email_invalid",
        "next_step_on": "date_invalid", "notes": "too_long"}
