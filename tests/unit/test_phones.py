"""Phone normalization, formatting and search digits (crm_app.domain.phones)."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import phonenumbers
import pytest

from crm_app.domain.errors import FieldError
from crm_app.domain.phones import PhoneNumberValue, format_phone, normalize_phone, parse_stored, phone_digits

# (typed input, organization country, E.164, national, international, number's region)
VALID = [
    ("099 123 4567", "EC", "+593991234567", "099 123 4567", "+593 99 123 4567", "EC"),
    ("0991234567", "ec", "+593991234567", "099 123 4567", "+593 99 123 4567", "EC"),
    ("(02) 234-5678", "EC", "+59322345678", "(02) 234-5678", "+593 2-234-5678", "EC"),
    ("300 123 4567", "CO", "+573001234567", "300 1234567", "+57 300 1234567", "CO"),
    ("601 234 5678", "CO", "+576012345678", "(601) 2345678", "+57 601 2345678", "CO"),
    ("55 1234 5678", "MX", "+525512345678", "55 1234 5678", "+52 55 1234 5678", "MX"),
    ("+52 1 55 1234 5678", "MX", "+525512345678", "55 1234 5678", "+52 55 1234 5678", "MX"),  # old "1"
    ("987 654 321", "PE", "+51987654321", "987 654 321", "+51 987 654 321", "PE"),
    ("(01) 456-7890", "PE", "+5114567890", "(01) 4567890", "+51 1 4567890", "PE"),
    ("9 6123 4567", "CL", "+56961234567", "9 6123 4567", "+56 9 6123 4567", "CL"),
    ("+56 2 2123 4567", "CL", "+56221234567", "(2) 2123 4567", "+56 2 2123 4567", "CL"),
    ("011 15 2345-6789", "AR", "+5491123456789", "011 15-2345-6789", "+54 9 11 2345-6789", "AR"),
    ("+54 9 11 2345 6789", "AR", "+5491123456789", "011 15-2345-6789", "+54 9 11 2345-6789", "AR"),
    ("11 2345-6789", "AR", "+541123456789", "011 2345-6789", "+54 11 2345-6789", "AR"),
    ("6123-4567", "PA", "+50761234567", "6123-4567", "+507 6123-4567", "PA"),
    # "+" or "00" prefix: the number keeps its own country whatever the organization's.
    ("+1 650 253 0000", "EC", "+16502530000", "(650) 253-0000", "+1 650-253-0000", "US"),
    ("0016502530000", "EC", "+16502530000", "(650) 253-0000", "+1 650-253-0000", "US"),
    # Colombia's own international prefix is not plain "00": still understood.
    ("00 34 612 34 56 78", "CO", "+34612345678", "612 34 56 78", "+34 612 34 56 78", "ES"),
    ("+593 99 123 4567", "MX", "+593991234567", "099 123 4567", "+593 99 123 4567", "EC"),
    ("+44 20 7946 0958", "PE", "+442079460958", "020 7946 0958", "+44 20 7946 0958", "GB"),
    ("  +57 300 123 4567  ", "EC", "+573001234567", "300 1234567", "+57 300 1234567", "CO"),
]


@pytest.mark.parametrize(("raw", "region", "e164", "national", "international", "region_code"), VALID)
def test_normalize_phone(raw, region, e164, national, international, region_code):
    value = normalize_phone(raw, region)
    assert value == PhoneNumberValue(
        raw=raw.strip(), e164=e164, national=national, international=international, region_code=region_code
    )


def test_phone_value_is_frozen():
    value = normalize_phone("099 123 4567", "EC")
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.e164 = "+1"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("12345", "EC"),  # too short
        ("099 123 456", "EC"),  # one digit missing
        ("099 123 45678", "EC"),  # one digit too many
        ("+593 12 345", "CO"),
        ("hola", "EC"),
        ("", "EC"),
        ("   ", "EC"),
        ("099 123 4567", ""),  # no region and no country code: can't tell the country
        ("+999 123 456 789", "EC"),  # no such country code
        ("+1 555 000 0000", "EC"),  # impossible US area code
    ],
)
def test_invalid_phone_rejected(raw, region):
    with pytest.raises(FieldError) as info:
        normalize_phone(raw, region)
    assert info.value.code == "phone_invalid"


@pytest.mark.parametrize(
    ("e164", "style", "region", "expected"),
    [
        ("+593991234567", "national", "EC", "099 123 4567"),
        ("+593991234567", "international", "EC", "+593 99 123 4567"),
        ("+593991234567", "national", "CO", "+593 99 123 4567"),  # foreign: stays international
        ("+5491123456789", "national", "AR", "011 15-2345-6789"),
        ("+525512345678", "national", "MX", "55 1234 5678"),
        ("+16502530000", "national", "us", "(650) 253-0000"),
        ("not a phone", "national", "EC", "not a phone"),  # display never raises
    ],
)
def test_format_phone(e164, style, region, expected):
    assert format_phone(e164, style, region) == expected


@pytest.mark.parametrize(
    ("e164", "region", "expected"),
    [
        ("+593991234567", "EC", "593991234567 0991234567"),
        ("+573001234567", "CO", "573001234567 3001234567"),
        ("+525512345678", "MX", "525512345678 5512345678"),
        ("+51987654321", "PE", "51987654321 987654321"),
        ("+56961234567", "CL", "56961234567 961234567"),
        ("+5491123456789", "AR", "5491123456789 0111523456789"),
        ("+16502530000", "EC", "16502530000 6502530000 0016502530000"),  # as dialed from EC too
    ],
)
def test_phone_digits(e164, region, expected):
    assert phone_digits(e164, region) == expected


@pytest.mark.parametrize("query", ["0991", "99123", "593991", "0991234567", "1234567"])
def test_phone_digits_searchable(query):
    assert query in phone_digits(normalize_phone("099 123 4567", "EC").e164, "EC")


@pytest.mark.parametrize(
    "e164",
    [
        "+593991234567", "+5491123456789", "+525512345678", "+16502530000", "+442079460000",
        "+390612345678",  # Italy: national number with a leading zero
        "+80012345678",  # non-geographic (freephone)
        "+5930991234567", "+999123", "+", "+12", "593991234567",
        "+59399１234567",  # noqa: RUF001 a fullwidth digit on purpose
    ],
)  # fmt: skip
def test_parse_stored_is_phonenumbers_parse(e164):
    try:
        expected = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        with pytest.raises(phonenumbers.NumberParseException):
            parse_stored(e164)
        return
    assert parse_stored(e164) == expected


def test_phone_digits_of_garbage_is_digits_only():
    assert phone_digits("ext 12-34", "EC") == "1234"


@pytest.mark.parametrize("module", ["phones", "tax_ids", "emails", "errors"])
def test_domain_modules_are_pure(module):
    """Domain code must stay importable without the web framework or the ORM."""
    source = (Path(__file__).parents[2] / "crm_app" / "domain" / f"{module}.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"reflex", "sqlmodel", "sqlalchemy"}
