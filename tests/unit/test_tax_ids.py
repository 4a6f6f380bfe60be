"""Tax id validation, formatting and sample generation (crm_app.domain.tax_ids)."""

from __future__ import annotations

import random
import zoneinfo

import phonenumbers
import pytest
from stdnum.ar import cuit, dni
from stdnum.br import cnpj
from stdnum.br import cpf as cpf_br
from stdnum.cl import rut
from stdnum.co import nit
from stdnum.cr import cpf, cpj
from stdnum.do import cedula as do_cedula
from stdnum.do import rnc
from stdnum.ec import ci, ruc
from stdnum.es import nif
from stdnum.gt import nit as gt_nit
from stdnum.mx import curp, rfc
from stdnum.pe import cui
from stdnum.pe import ruc as pe_ruc
from stdnum.py import ruc as py_ruc
from stdnum.us import ein, ssn
from stdnum.uy import rut as uy_rut
from stdnum.ve import rif

from crm_app.domain.errors import FieldError
from crm_app.domain.tax_ids import (
    CLIENT_TYPES,
    SUPPORTED_COUNTRIES,
    TaxIdValue,
    format_tax_id,
    sample_tax_id,
    tax_id_types,
    validate_tax_id,
)

# (country, client_type, id_type, typed input, expected compact, expected formatted)
VALID = [
    ("EC", "person", "cedula", "1714307103", "1714307103", "1714307103"),
    ("EC", "person", "cedula", "171430710-3", "1714307103", "1714307103"),
    ("EC", "person", "cedula", "0926687856", "0926687856", "0926687856"),  # leading zero kept
    ("EC", "person", "ruc", "0926687856001", "0926687856001", "0926687856001"),
    ("EC", "company", "ruc", "1792060346-001", "1792060346001", "1792060346001"),
    ("EC", "government", "ruc", "1760001550001", "1760001550001", "1760001550001"),
    ("CO", "person", "cedula", "1.020.304.050", "1020304050", "1.020.304.050"),
    ("CO", "person", "cedula", "52 345 678", "52345678", "52.345.678"),
    ("CO", "company", "nit", "213.123.432-1", "2131234321", "213.123.432-1"),
    ("CO", "person", "nit", "2131234321", "2131234321", "213.123.432-1"),
    ("MX", "person", "rfc", "gode 561231 gr8", "GODE561231GR8", "GODE 561231 GR8"),
    ("MX", "company", "rfc", "MAB-930714-8T4", "MAB9307148T4", "MAB 930714 8T4"),
    ("MX", "person", "curp", "BOXW310820HNERXN09", "BOXW310820HNERXN09", "BOXW310820HNERXN09"),
    ("PE", "person", "dni", "10117410", "10117410", "10117410"),
    ("PE", "person", "dni", "10117410-2", "10117410", "10117410"),  # check digit verified, dropped
    ("PE", "person", "dni", "05414828", "05414828", "05414828"),
    ("PE", "company", "ruc", "20512333797", "20512333797", "20512333797"),
    ("PE", "person", "ruc", "10054148289", "10054148289", "10054148289"),
    ("CL", "person", "rut", "12.531.909-2", "125319092", "12.531.909-2"),
    ("CL", "company", "rut", "76086428-5", "760864285", "76.086.428-5"),
    ("CL", "person", "rut", "10.000.013-k", "10000013K", "10.000.013-K"),
    ("AR", "person", "dni", "20.123.456", "20123456", "20.123.456"),
    ("AR", "person", "cuit", "20-05536168-2", "20055361682", "20-05536168-2"),
    ("AR", "company", "cuit", "20267565393", "20267565393", "20-26756539-3"),
    ("PA", "person", "cedula", "8-123-456", "8-123-456", "8-123-456"),
    ("PA", "person", "cedula", "pe-12-345", "PE-12-345", "PE-12-345"),
    ("PA", "person", "cedula", "E-8-123456", "E-8-123456", "E-8-123456"),
    ("PA", "person", "cedula", "4PI-123-456", "4PI-123-456", "4PI-123-456"),
    ("PA", "company", "ruc", "155596713-2-2015", "155596713-2-2015", "155596713-2-2015"),
    ("PA", "person", "ruc", "8-123-456", "8-123-456", "8-123-456"),
    ("PY", "person", "cedula", "1.234.567", "1234567", "1.234.567"),
    ("PY", "company", "ruc", "80028061-0", "800280610", "80028061-0"),
    ("PY", "person", "ruc", "2660-3", "26603", "2660-3"),
    ("UY", "person", "ci", "1.234.567-2", "12345672", "1.234.567-2"),
    ("UY", "company", "rut", "21-100342-001-7", "211003420017", "21-100342-001-7"),
    ("VE", "person", "cedula", "12345678", "V12345678", "V-12345678"),
    ("VE", "person", "cedula", "E-84123456", "E84123456", "E-84123456"),
    ("VE", "company", "rif", "V-11470283-4", "V114702834", "V-11470283-4"),
    ("GT", "company", "nit", "576937-K", "576937K", "576937-K"),
    ("GT", "person", "nit", "7108-0", "71080", "7108-0"),
    ("CR", "person", "cpf", "3-0455-0175", "0304550175", "03-0455-0175"),
    ("CR", "person", "cpf", "1-613-584", "0106130584", "01-0613-0584"),
    ("CR", "company", "cpj", "3-101-999999", "3101999999", "3-101-999999"),
    ("DO", "person", "cedula", "001-1391820-5", "00113918205", "001-1391820-5"),
    ("DO", "company", "rnc", "1-01-85004-3", "101850043", "1-01-85004-3"),
    ("US", "person", "ssn", "536-90-4399", "536904399", "536-90-4399"),
    ("US", "person", "ssn", "536 90 4399", "536904399", "536-90-4399"),
    ("US", "company", "ein", "04-2103594", "042103594", "04-2103594"),
    ("ES", "person", "nif", "54362315K", "54362315K", "54362315K"),
    ("ES", "person", "nif", "X-5253868-R", "X5253868R", "X5253868R"),
    ("ES", "company", "nif", "A13585625", "A13585625", "A13585625"),
    # Generic fallback: digits only, text (leading zeros kept), common separators removed.
    ("BO", "company", "tax_id", "0012345", "0012345", "0012345"),
    ("BO", "person", "tax_id", "1234567-01", "123456701", "123456701"),
    ("ZZ", "company", "tax_id", "1" * 20, "1" * 20, "1" * 20),
    ("ec", "person", "cedula", " 1714307103 ", "1714307103", "1714307103"),  # lower-case country
    # Passports (any country, persons only).
    ("EC", "person", "passport", "ab-123456", "AB123456", "AB123456"),
    ("BO", "person", "passport", "X1234", "X1234", "X1234"),
    ("CL", "person", "passport", "a" * 20, "A" * 20, "A" * 20),
]


@pytest.mark.parametrize(("country", "client_type", "id_type", "raw", "compact", "formatted"), VALID)
def test_valid_tax_ids(country, client_type, id_type, raw, compact, formatted):
    value = validate_tax_id(country, client_type, id_type, raw)
    assert value == TaxIdValue(id_type=id_type, compact=compact, formatted=formatted)
    assert format_tax_id(country, id_type, compact) == formatted


INVALID = [
    ("EC", "person", "cedula", "1714307104"),  # check digit
    ("EC", "person", "cedula", "171430710"),  # length
    ("EC", "person", "cedula", "2614307103"),  # province 26
    ("EC", "person", "cedula", "17143071O3"),  # letter O
    ("EC", "company", "ruc", "1763154690001"),
    ("EC", "company", "ruc", "179206034601"),
    ("EC", "company", "ruc", "1792060346000"),  # establishment 000
    ("CO", "person", "cedula", "12"),
    ("CO", "person", "cedula", "12345678901"),
    ("CO", "person", "cedula", "12A45"),
    ("CO", "company", "nit", "2131234325"),
    ("CO", "company", "nit", "213123"),
    ("MX", "person", "rfc", "COMG-600703"),  # no homoclave: not a full RFC
    ("MX", "person", "rfc", "GODE561331GR8"),  # month 13
    ("MX", "person", "rfc", "12345"),
    ("MX", "person", "curp", "BOXW310820HNERXN08"),
    ("MX", "person", "curp", "BOXW310820HXXRXN09"),  # unknown state
    ("PE", "person", "dni", "10117410-3"),
    ("PE", "person", "dni", "1234567"),
    ("PE", "company", "ruc", "20512333798"),
    ("PE", "company", "ruc", "30512333797"),
    ("CL", "person", "rut", "12531909-3"),
    ("CL", "person", "rut", "76086A28-5"),
    ("AR", "person", "dni", "2012345699"),
    ("AR", "person", "dni", "20A23456"),
    ("AR", "company", "cuit", "20267565392"),
    ("AR", "company", "cuit", "99267565393"),
    ("PA", "person", "cedula", "8123456"),  # hyphens are part of the number
    ("PA", "person", "cedula", "14-123-456"),  # no province 14
    ("PA", "person", "cedula", "8-12345-1"),
    ("PA", "company", "ruc", "ABC"),
    ("PY", "company", "ruc", "800532492"),
    ("PY", "company", "ruc", "80123456789"),
    ("PY", "person", "cedula", "123"),
    ("UY", "person", "ci", "1.234.567-3"),
    ("UY", "company", "rut", "210303670014"),
    ("VE", "company", "rif", "V-11470283-3"),
    ("VE", "person", "cedula", "X123"),
    ("GT", "company", "nit", "8977112-0"),
    ("CR", "person", "cpf", "30-1234-1234"),
    ("CR", "company", "cpj", "3-534-123559"),
    ("DO", "person", "cedula", "00113918204"),
    ("DO", "company", "rnc", "101850042"),
    ("US", "person", "ssn", "666-00-0000"),
    ("US", "person", "ssn", "078-05-1120"),
    ("US", "company", "ein", "07-1234567"),  # unknown IRS campus prefix
    ("ES", "person", "nif", "54362315Z"),
    ("ES", "company", "nif", "A13585626"),
    ("BO", "company", "tax_id", "12AB"),
    ("BO", "company", "tax_id", "1" * 21),
    ("ZZ", "person", "tax_id", ""),
    ("ZZ", "person", "tax_id", "   "),
    ("EC", "person", "passport", "AB12"),  # too short
    ("EC", "person", "passport", "AB12345!"),
    ("EC", "person", "passport", "A" * 21),
]


@pytest.mark.parametrize(("country", "client_type", "id_type", "raw"), INVALID)
def test_invalid_tax_ids(country, client_type, id_type, raw):
    with pytest.raises(FieldError) as info:
        validate_tax_id(country, client_type, id_type, raw)
    assert info.value.code == "tax_id_invalid"
    assert info.value.params["id_type"] == id_type


@pytest.mark.parametrize(
    ("country", "client_type", "id_type"),
    [
        ("EC", "company", "cedula"),
        ("EC", "government", "passport"),
        ("MX", "company", "curp"),
        ("PE", "company", "dni"),
        ("AR", "company", "dni"),
        ("CO", "person", "rfc"),
        ("BO", "person", "cedula"),
        ("EC", "person", "tax_id"),  # generic type only for countries without schemes
        ("EC", "person", "nonsense"),
    ],
)
def test_type_not_allowed(country, client_type, id_type):
    with pytest.raises(FieldError) as info:
        validate_tax_id(country, client_type, id_type, "1714307103")
    assert info.value.code == "tax_id_type_not_allowed"


def test_unknown_client_type():
    with pytest.raises(FieldError) as info:
        tax_id_types("EC", "alien")
    assert info.value.code == "client_type_invalid"
    with pytest.raises(FieldError):
        validate_tax_id("EC", "alien", "cedula", "1714307103")


@pytest.mark.parametrize(
    ("country", "client_type", "expected"),
    [
        ("EC", "person", ["cedula", "ruc", "passport"]),
        ("EC", "company", ["ruc"]),
        ("EC", "government", ["ruc"]),
        ("CO", "person", ["cedula", "nit", "passport"]),
        ("CO", "company", ["nit"]),
        ("MX", "person", ["rfc", "curp", "passport"]),
        ("MX", "government", ["rfc"]),
        ("PE", "person", ["dni", "ruc", "passport"]),
        ("PE", "company", ["ruc"]),
        ("CL", "person", ["rut", "passport"]),
        ("CL", "company", ["rut"]),
        ("AR", "person", ["dni", "cuit", "passport"]),
        ("AR", "government", ["cuit"]),
        ("PA", "company", ["ruc"]),
        ("BO", "person", ["ci", "nit", "passport", "tax_id"]),
        ("BO", "company", ["nit", "tax_id"]),
        ("ZZ", "government", ["tax_id"]),
    ],
)
def test_tax_id_types(country, client_type, expected):
    assert tax_id_types(country, client_type) == expected


@pytest.mark.parametrize(
    ("country", "id_type", "compact", "expected"),
    [
        ("CO", "nit", "9001234567", "900.123.456-7"),
        ("CL", "rut", "760864285", "76.086.428-5"),
        ("AR", "cuit", "20055361682", "20-05536168-2"),
        ("MX", "rfc", "MAB9307148T4", "MAB 930714 8T4"),
        ("EC", "cedula", "0926687856", "0926687856"),
        ("ZZ", "tax_id", "000123", "000123"),
        ("CL", "unknown_type", "123", "123"),  # unknown type: shown as stored
        ("UY", "ci", "", ""),
    ],
)
def test_format_tax_id(country, id_type, compact, expected):
    assert format_tax_id(country, id_type, compact) == expected


# Independent stdnum check of what our generators produce (strictest options on).
STDNUM = {
    ("EC", "cedula"): ci.validate,
    ("EC", "ruc"): ruc.validate,
    ("CO", "nit"): nit.validate,
    ("MX", "rfc"): lambda n: rfc.validate(n, validate_check_digits=True),
    ("MX", "curp"): lambda n: curp.validate(n, validate_check_digits=True),
    ("PE", "dni"): cui.validate,
    ("PE", "ruc"): pe_ruc.validate,
    ("CL", "rut"): rut.validate,
    ("AR", "dni"): dni.validate,
    ("AR", "cuit"): cuit.validate,
    ("PY", "ruc"): py_ruc.validate,
    ("UY", "rut"): uy_rut.validate,
    ("VE", "rif"): rif.validate,
    ("GT", "nit"): gt_nit.validate,
    ("CR", "cpf"): cpf.validate,
    ("CR", "cpj"): cpj.validate,
    ("DO", "cedula"): do_cedula.validate,
    ("DO", "rnc"): rnc.validate,
    ("US", "ssn"): ssn.validate,
    ("US", "ein"): ein.validate,
    ("ES", "nif"): nif.validate,
    ("BR", "cpf_br"): cpf_br.validate,
    ("BR", "cnpj"): cnpj.validate,
}

ALL_TYPES = [
    (country, client_type, id_type)
    for country in [*SUPPORTED_COUNTRIES, "ZZ"]
    for client_type in CLIENT_TYPES
    for id_type in tax_id_types(country, client_type)
]


@pytest.mark.parametrize(("country", "client_type", "id_type"), ALL_TYPES)
def test_samples_are_valid(country, client_type, id_type):
    rng = random.Random(f"{country}-{client_type}-{id_type}")
    seen = set()
    for _ in range(200):
        number = sample_tax_id(country, client_type, rng, id_type)
        assert isinstance(number, str)
        value = validate_tax_id(country, client_type, id_type, number)
        assert value.compact == number  # samples are already compact
        if (country, id_type) in STDNUM:
            assert STDNUM[(country, id_type)](number) == number
        seen.add(number)
    assert len(seen) > 150  # actually random


def test_sample_default_type_and_stdnum_kinds():
    rng = random.Random(7)
    assert len(sample_tax_id("EC", "person", rng)) == 10  # cédula is the default
    for _ in range(50):
        assert sample_tax_id("EC", "company", rng)[2] == "9"  # private company RUC
        assert sample_tax_id("EC", "government", rng)[2] == "6"  # public entity RUC
        assert len(sample_tax_id("MX", "person", rng)) == 13
        assert len(sample_tax_id("MX", "company", rng)) == 12
        assert sample_tax_id("PE", "company", rng).startswith("20")
        assert sample_tax_id("PE", "person", rng, "ruc").startswith("10")
    with pytest.raises(FieldError):
        sample_tax_id("EC", "company", rng, "cedula")


def test_samples_keep_leading_zeros():
    rng = random.Random(3)
    samples = [sample_tax_id("EC", "person", rng) for _ in range(300)]
    assert any(s.startswith("0") for s in samples)  # provinces 01..09
    for s in samples:
        assert validate_tax_id("EC", "person", "cedula", s).compact == s


@pytest.mark.parametrize("country", ["EC", "CO", "MX", "PE", "CL", "AR", "PA", "BO", "PY", "UY", "VE",
                                     "GT", "CR", "DO", "US", "ES", "BR"])  # fmt: skip
def test_supported_countries(country):
    info = SUPPORTED_COUNTRIES[country]
    assert set(info) == {"name_es", "name_en", "currency", "phone_region", "timezone"}
    assert len(info["currency"]) == 3 and info["currency"].isupper()
    assert info["phone_region"] in phonenumbers.SUPPORTED_REGIONS
    zoneinfo.ZoneInfo(info["timezone"])  # raises if not a real IANA zone


def test_country_details():
    assert SUPPORTED_COUNTRIES["EC"]["timezone"] == "America/Guayaquil"
    assert SUPPORTED_COUNTRIES["EC"]["currency"] == "USD"
    assert SUPPORTED_COUNTRIES["MX"]["currency"] == "MXN"
    assert SUPPORTED_COUNTRIES["ES"]["currency"] == "EUR"
    assert SUPPORTED_COUNTRIES["PE"]["name_es"] == "Perú"


@pytest.mark.parametrize(
    ("country", "client_type", "id_type"),
    [
        ("BO", "company", "tax_id"),
        ("CO", "person", "cedula"),
        ("UY", "person", "ci"),
        ("VE", "person", "cedula"),
    ],
)
def test_non_ascii_digits_rejected(country, client_type, id_type):
    with pytest.raises(FieldError):
        validate_tax_id(country, client_type, id_type, "١٢٣٤٥٦٧٢")  # Arabic-Indic digits
