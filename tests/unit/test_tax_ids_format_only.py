"""Countries python-stdnum does not cover: Bolivia and Honduras are checked for the numbers' shape only
(no public check digit exists) and say so; Nicaragua's cédula letter and El Salvador's NIT are checked."""

from __future__ import annotations

import pytest
from stdnum.sv import nit as sv_nit

from crm_app.domain.errors import FieldError
from crm_app.domain.tax_ids import format_only, tax_id_types, validate_tax_id


@pytest.mark.parametrize(("country", "client_type", "id_type", "typed", "compact", "shown"), [
    ("BO", "person", "ci", "4.567.890", "4567890", "4567890"),
    ("BO", "person", "ci", "4567890-1A", "45678901A", "4567890-1A"),
    ("BO", "company", "nit", "1020269020", "1020269020", "1020269020"),
    ("HN", "person", "dni", "0801-1990-12345", "0801199012345", "0801-1990-12345"),
    ("HN", "company", "rtn", "08019002267891", "08019002267891", "0801-9002-267891"),
    ("NI", "person", "cedula", "001-010190-0001n", "0010101900001N", "001-010190-0001N"),
    ("NI", "company", "ruc", "J0310000000123", "J0310000000123", "J0310000000123"),
    ("SV", "person", "nit", "0614-050707-104-8", "06140507071048", "0614-050707-104-8"),
])
def test_valid_numbers(country, client_type, id_type, typed, compact, shown):
    value = validate_tax_id(country, client_type, id_type, typed)
    assert (value.compact, value.formatted) == (compact, shown)


@pytest.mark.parametrize(("country", "client_type", "id_type", "typed"), [
    ("BO", "person", "ci", "1234"),  # too short
    ("BO", "person", "ci", "4567890 LP"),  # the issuing department is not part of the number
    ("HN", "person", "dni", "0801-1990-1234"),
    ("NI", "person", "cedula", "001-010190-0001A"),  # wrong letter
    ("NI", "person", "cedula", "001-320190-0001N"),  # no 32nd day
    ("NI", "person", "cedula", "001-010190-0001I"),  # I is never a cédula letter
    ("SV", "company", "nit", "0614-050707-104-0"),
])
def test_invalid_numbers(country, client_type, id_type, typed):
    with pytest.raises(FieldError) as refused:
        validate_tax_id(country, client_type, id_type, typed)
    assert refused.value.code == "tax_id_invalid"


def test_numbers_saved_as_generic_ids_before_stay_valid():
    for country in ("BO", "HN", "NI", "SV"):
        assert "tax_id" in tax_id_types(country, "person") and "tax_id" in tax_id_types(country, "company")
        assert validate_tax_id(country, "person", "tax_id", "000123").compact == "000123"


@pytest.mark.parametrize(("country", "id_type", "only_shape"), [
    ("BO", "ci", True), ("BO", "nit", True), ("HN", "dni", True), ("HN", "rtn", True),
    ("PA", "cedula", True), ("CO", "cedula", True), ("ZZ", "tax_id", True),
    ("NI", "cedula", False), ("NI", "ruc", True), ("SV", "nit", False), ("EC", "cedula", False),
    ("BR", "cpf_br", False), ("UY", "ci", False), ("MX", "rfc", True), ("CR", "cpj", True),
    ("PE", "ruc", False),
])
def test_what_is_checked_is_known_per_type(country, id_type, only_shape):
    assert format_only(country, id_type) is only_shape


def test_salvadoran_samples_pass_stdnum():
    import random

    from crm_app.domain.tax_ids import sample_tax_id
    rng = random.Random(3)
    for _ in range(200):
        number = sample_tax_id("SV", "company", rng)
        assert sv_nit.validate(number) == number


def test_the_form_says_which_types_are_only_checked_for_their_shape():
    from crm_app.states.customer_form import format_only_hint

    assert format_only_hint("BO", tax_id_types("BO", "person"), "es") == (
        "De Cédula de identidad, NIT solo se comprueba el formato, sin dígito verificador.")
    assert format_only_hint("HN", tax_id_types("HN", "company"), "en") == (
        "Only the format of RTN is checked, without a check digit.")
    assert format_only_hint("EC", tax_id_types("EC", "person"), "es") == ""
    assert format_only_hint("NI", tax_id_types("NI", "person"), "es") == ""  # the cédula's letter is checked
    assert format_only_hint("NI", tax_id_types("NI", "company"), "en") == (
        "Only the format of RUC is checked, without a check digit.")
