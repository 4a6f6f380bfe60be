"""Tax / identity numbers per country (cédula, RUC, NIT, RFC, RUT, CUIT...).

Validation and formatting delegate to ``python-stdnum`` where it has the scheme; the
``compact`` form (a string: leading zeros matter) is what gets stored and compared for
duplicates. The ``sample_*`` generators compute check digits with our own code (not
stdnum's) so the tests, which validate samples with stdnum, check both sides.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from stdnum.ar import cuit as ar_cuit
from stdnum.ar import dni as ar_dni
from stdnum.cl import rut as cl_rut
from stdnum.co import nit as co_nit
from stdnum.cr import cpf as cr_cpf
from stdnum.cr import cpj as cr_cpj
from stdnum.do import cedula as do_cedula
from stdnum.do import rnc as do_rnc
from stdnum.ec import ci as ec_ci
from stdnum.ec import ruc as ec_ruc
from stdnum.es import nif as es_nif
from stdnum.exceptions import ValidationError
from stdnum.gt import nit as gt_nit
from stdnum.mx import curp as mx_curp
from stdnum.mx import rfc as mx_rfc
from stdnum.pe import cui as pe_cui
from stdnum.pe import ruc as pe_ruc
from stdnum.py import ruc as py_ruc
from stdnum.us import ein as us_ein
from stdnum.us import ssn as us_ssn
from stdnum.uy import rut as uy_rut
from stdnum.ve import rif as ve_rif

from crm_app.domain.countries import COUNTRIES
from crm_app.domain.errors import FieldError

CLIENT_TYPES: tuple[str, ...] = ("person", "company", "government")


# Country settings used as organization defaults live in countries.py; this view keeps the
# dict shape callers of this module use, without a second copy of the data.
SUPPORTED_COUNTRIES: dict[str, dict[str, str]] = {
    code: {"name_es": c.name_es, "name_en": c.name_en, "currency": c.currency, "phone_region": code,
           "timezone": c.timezone}
    for code, c in COUNTRIES.items()
}


@dataclass(frozen=True)
class TaxIdValue:
    id_type: str
    compact: str  # stored form, e.g. "0926687856"
    formatted: str  # display form, e.g. "12.531.909-2"


@dataclass(frozen=True)
class _Scheme:
    validate: Callable[[str], str]  # pre-cleaned input -> compact; raises on bad input
    format: Callable[[str], str]  # compact -> display
    sample: Callable[[str, random.Random], str]  # (client_type, rng) -> valid compact


# --------------------------------------------------------------------------- helpers


def _digits(rng: random.Random, n: int) -> str:
    # One draw for all the digits (not one per digit): the seed makes hundreds of thousands.
    return f"{rng.randrange(10**n):0{n}d}"


def _weighted(weights: tuple[int, ...], digits: str) -> int:
    return sum(w * int(d) for w, d in zip(weights, digits, strict=False))


def _identity(value: str) -> str:
    return value


def _std(module: ModuleType, sample: Callable[[str, random.Random], str]) -> _Scheme:
    """A scheme backed by a stdnum module (its ``format`` when it has one)."""
    return _Scheme(module.validate, getattr(module, "format", _identity), sample)


def _pattern(regex: str, sample: Callable[[str, random.Random], str], strip: str = "-/") -> _Scheme:
    """A scheme without check digit: only the shape is checked (``strip`` chars removed)."""
    compiled = re.compile(regex, re.ASCII)  # \d must not accept Arabic-Indic etc. digits

    def validate(number: str) -> str:
        compact = number.translate({ord(c): None for c in strip})
        if not compiled.fullmatch(compact):
            raise ValueError(number)
        return compact

    return _Scheme(validate, _identity, sample)


def _thousands(compact: str) -> str:
    """Group by thousands on the string ("12345678" -> "12.345.678") so leading zeros survive."""
    head = len(compact) % 3 or 3
    groups = [compact[:head]] + [compact[i : i + 3] for i in range(head, len(compact), 3)]
    return ".".join(groups)


def _luhn_check(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)  # the digit next to the check digit is doubled
        total += d - 9 if d > 9 else d
    return str(-total % 10)


def _mod11_check(weights: tuple[int, ...], body: str) -> int:
    """Digit that makes ``weighted sum + digit`` divisible by 11 (10 means "no valid digit")."""
    return -_weighted(weights, body) % 11


# --------------------------------------------------------------------------- generators
# Each returns a compact number valid for the client type. Loops only redraw when a
# mod-11 scheme gives an unassignable check digit (~1 in 11 draws).


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _ec_cedula(rng: random.Random) -> str:
    body = f"{rng.randint(1, 24):02d}{rng.randint(0, 5)}{_digits(rng, 6)}"  # province, 3rd digit < 6
    # Digits at even positions count doubled (minus 9 above 9), the others as they are.
    total = sum(_DOUBLED[int(ch)] for ch in body[0::2]) + sum(int(ch) for ch in body[1::2])
    return body + str(-total % 10)


def _ec_ruc(client_type: str, rng: random.Random) -> str:
    if client_type == "person":  # natural person: cédula + establishment 001
        return _ec_cedula(rng) + "001"
    if client_type == "government":  # public entity: 3rd digit 6, check digit is the 9th
        weights, third, tail = (3, 2, 7, 6, 5, 4, 3, 2), "6", "0001"
    else:  # private company: 3rd digit 9, check digit is the 10th
        weights, third, tail = (4, 3, 2, 7, 6, 5, 4, 3, 2), "9", "001"
    while True:
        body = f"{rng.randint(1, 24):02d}{third}{_digits(rng, len(weights) - 3)}"
        check = _mod11_check(weights, body)
        if check < 10:
            return body + str(check) + tail


def _co_cedula(rng: random.Random) -> str:
    return str(rng.randint(1_000_000, 1_299_999_999))


def _co_nit(client_type: str, rng: random.Random) -> str:
    # Persons' NIT is their cédula + check digit; companies/public bodies get 8xx/9xx.
    body = _co_cedula(rng) if client_type == "person" else str(rng.randint(800_000_000, 999_999_999))
    weights = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)
    s = _weighted(weights, body[::-1]) % 11
    return body + str(s if s < 2 else 11 - s)


_MX_RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
_MX_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"
_MX_STATES = (
    "AS BC BS CC CH CL CM CS DF DG GR GT HG JC MC MN MS NE NL NT OC PL QR QT SL SP SR TC TL TS VZ YN ZS"
).split()
_CONSONANTS = "BCDFGHJKLMNPQRSTVWXYZ"
_LETTERS = string.ascii_uppercase


def _mx_name(rng: random.Random) -> str:
    # Consonant-vowel-consonant-consonant never forms a word of the SAT/RENAPO blacklist.
    return rng.choice(_CONSONANTS) + rng.choice("AEIOU") + rng.choice(_CONSONANTS) + rng.choice(_CONSONANTS)


def _yymmdd(rng: random.Random, year: int) -> str:
    return f"{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"


def _mx_rfc(client_type: str, rng: random.Random) -> str:
    name = _mx_name(rng) if client_type == "person" else _mx_name(rng)[:3]  # 13 vs 12 chars
    # Homoclave shape accepted by stdnum's strict check: [1-9A-V][1-9A-Z].
    homoclave = rng.choice("123456789ABCDEFGHIJKLMNOPQRSTUV") + rng.choice("123456789" + _LETTERS)
    head = name + _yymmdd(rng, rng.randint(1950, 2020)) + homoclave
    total = sum(_MX_RFC_ALPHABET.index(c) * (13 - i) for i, c in enumerate(head.rjust(12)))
    return head + _MX_RFC_ALPHABET[(11 - total) % 11]


def _mx_curp(client_type: str, rng: random.Random) -> str:
    year = rng.randint(1940, 2009)
    # The 17th char tells the century: a digit before 2000, a letter after.
    century = rng.choice(string.digits) if year < 2000 else rng.choice(string.ascii_uppercase)
    head = (
        _mx_name(rng) + _yymmdd(rng, year) + rng.choice("HM") + rng.choice(_MX_STATES)
        + "".join(rng.choice(_CONSONANTS) for _ in range(3)) + century
    )  # fmt: skip
    total = sum(_MX_CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(head))
    return head + str(-total % 10)


def _pe_dni(rng: random.Random) -> str:
    return f"{rng.randint(1_000_000, 79_999_999):08d}"  # zero-padded: "05414828" is real


def _pe_ruc(client_type: str, rng: random.Random) -> str:
    body = ("10" + _pe_dni(rng)) if client_type == "person" else ("20" + _digits(rng, 8))
    return body + str((11 - _weighted((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), body) % 11) % 10)


def _cl_rut(client_type: str, rng: random.Random) -> str:
    ranges = {"person": (5_000_000, 26_999_999), "company": (76_000_000, 77_999_999)}
    body = str(rng.randint(*ranges.get(client_type, (60_000_000, 61_999_999))))  # 60/61: State
    s = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body)))
    return body + "0123456789K"[(11 - s % 11) % 11]


def _ar_dni(rng: random.Random) -> str:
    return str(rng.randint(1_000_000, 45_999_999))


def _ar_cuit(client_type: str, rng: random.Random) -> str:
    while True:  # check 10 is not assigned (AFIP changes the prefix instead): redraw
        if client_type == "person":
            body = rng.choice(("20", "27")) + _ar_dni(rng).zfill(8)
        else:
            body = rng.choice(("30", "33")) + _digits(rng, 8)
        check = (11 - _weighted((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), body) % 11) % 11
        if check < 10:
            return body + str(check)


def _pa_cedula(client_type: str, rng: random.Random) -> str:
    return f"{rng.randint(1, 13)}-{rng.randint(1, 999)}-{rng.randint(1, 99999)}"


def _pa_ruc(client_type: str, rng: random.Random) -> str:
    if client_type == "person":  # natural persons use their cédula as RUC
        return _pa_cedula(client_type, rng)
    return f"{rng.randint(1_000_000, 155_999_999)}-{rng.randint(1, 2)}-{rng.randint(1990, 2024)}"


def _py_ruc(client_type: str, rng: random.Random) -> str:
    # Persons: cédula + check digit; legal entities: 80xxxxxx.
    low, high = (500_000, 7_999_999) if client_type == "person" else (80_000_000, 80_199_999)
    body = str(rng.randint(low, high))
    s = sum((i + 2) * int(d) for i, d in enumerate(reversed(body)))
    return body + str(-s % 11 % 10)


def _uy_ci(client_type: str, rng: random.Random) -> str:
    body = str(rng.randint(1_000_000, 6_999_999))
    return body + _uy_ci_check(body)


def _uy_ci_check(body: str) -> str:
    return str(-_weighted((2, 9, 8, 7, 6, 3, 4), body.zfill(7)) % 10)


def _uy_ci_validate(number: str) -> str:
    compact = number.replace("-", "")
    if not re.fullmatch(r"[0-9]{7,8}", compact) or compact[-1] != _uy_ci_check(compact[:-1]):
        raise ValueError(number)
    return compact


def _uy_rut(client_type: str, rng: random.Random) -> str:
    while True:
        body = f"{rng.randint(1, 22):02d}{rng.randint(1, 999_999):06d}001"
        check = _mod11_check((4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), body)
        if check < 10:
            return body + str(check)


_VE_RIF_TYPES = {"V": 4, "E": 8, "J": 12, "P": 16, "G": 20}


def _ve_rif(client_type: str, rng: random.Random) -> str:
    letter = {"person": "V", "company": "J"}.get(client_type, "G")
    body = letter + f"{rng.randint(1_000_000, 32_999_999):08d}"
    r = (_VE_RIF_TYPES[letter] + _weighted((3, 2, 7, 6, 5, 4, 3, 2), body[1:])) % 11
    return body + str(11 - r if r > 1 else 0)


def _ve_cedula(client_type: str, rng: random.Random) -> str:
    return f"V{rng.randint(1_000_000, 32_999_999)}"


def _ve_cedula_validate(number: str) -> str:
    compact = number.replace("-", "")
    compact = "V" + compact if compact.isascii() and compact.isdigit() else compact  # the V is often left out
    if not re.fullmatch(r"[VE][0-9]{5,9}", compact):
        raise ValueError(number)
    return compact


def _gt_nit(client_type: str, rng: random.Random) -> str:
    body = str(rng.randint(100_000, 99_999_999))
    c = -sum(i * int(d) for i, d in enumerate(reversed(body), 2)) % 11
    return body + ("K" if c == 10 else str(c))


def _cr_cpf(client_type: str, rng: random.Random) -> str:
    return f"0{rng.randint(1, 9)}{rng.randint(1, 9999):04d}{rng.randint(1, 9999):04d}"


def _cr_cpj(client_type: str, rng: random.Random) -> str:
    # Class 2 = State bodies, class 3 = companies (101 S.A., 102 S.R.L.).
    prefixes = ("2100", "2200", "2300", "2400") if client_type == "government" else ("3101", "3102")
    prefix = rng.choice(prefixes)
    return prefix + _digits(rng, 6)


def _do_cedula(client_type: str, rng: random.Random) -> str:
    body = f"{rng.randint(1, 402):03d}{_digits(rng, 7)}"
    return body + _luhn_check(body)


def _do_rnc(client_type: str, rng: random.Random) -> str:
    body = ("4" if client_type == "government" else "1") + _digits(rng, 7)
    r = _weighted((7, 9, 8, 6, 5, 4, 3, 2), body) % 11
    return body + str({0: 2, 1: 1}.get(r, 11 - r))


def _us_ssn(client_type: str, rng: random.Random) -> str:
    while True:  # skips area 666 and the 3 famous misused numbers
        area = rng.randint(1, 899)
        number = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if area != 666 and number not in ("078051120", "457555462", "219099999"):
            return number


_US_EIN_PREFIXES = ("10", "12", "20", "27", "45", "46", "47", "81", "82", "83", "84", "94", "95")


def _us_ein(client_type: str, rng: random.Random) -> str:
    return rng.choice(_US_EIN_PREFIXES) + _digits(rng, 7)


def _es_nif(client_type: str, rng: random.Random) -> str:
    if client_type == "person":  # DNI: 8 digits + letter
        body = _digits(rng, 8)
        return body + "TRWAGMYFPDXBNJZSQVHLCKE"[int(body) % 23]
    # CIF: A/B companies end in a digit; P/Q/S public bodies in a letter.
    letter = rng.choice("AB" if client_type == "company" else "PQS")
    digits = f"{rng.randint(1, 52):02d}{_digits(rng, 5)}"
    check = _luhn_check(digits)
    return letter + digits + (check if letter in "AB" else "JABCDEFGHI"[int(check)])


def _passport(client_type: str, rng: random.Random) -> str:
    return rng.choice(string.ascii_uppercase) + _digits(rng, 8)


def _generic(client_type: str, rng: random.Random) -> str:
    return _digits(rng, rng.randint(7, 13))  # may start with 0 on purpose


# --------------------------------------------------------------------------- validators with extra rules


def _mx_rfc_validate(number: str) -> str:
    # Check digits are not enforced (stdnum's default): ~1.5% of real RFCs fail them and
    # rejecting a real customer is worse than a typo. The homoclave is required, though.
    compact = mx_rfc.validate(number)
    if len(compact) not in (12, 13):
        raise ValueError(number)
    return compact


def _pe_dni_validate(number: str) -> str:
    # The optional 9th char is a check digit printed on the card: verified, then dropped
    # so the same person is always stored the same way.
    return pe_cui.validate(number)[:8]


def _digits_scheme(low: int, high: int, sample: Callable[[str, random.Random], str]) -> _Scheme:
    scheme = _pattern(rf"\d{{{low},{high}}}", sample)
    return _Scheme(scheme.validate, _thousands, sample)


def _person(sample: Callable[[random.Random], str]) -> Callable[[str, random.Random], str]:
    return lambda _client_type, rng: sample(rng)


# --------------------------------------------------------------------------- tables

_PA_PREFIX = r"(?:0?[1-9]|1[0-3])(?:AV|PI)?|E|N|PE"  # province (or foreigner/naturalized)

_SCHEMES: dict[tuple[str, str], _Scheme] = {
    ("*", "passport"): _pattern(r"[A-Z0-9]{5,20}", _passport),
    # Unknown countries: digits only, kept as text so leading zeros survive.
    ("*", "tax_id"): _pattern(r"\d{1,20}", _generic),
    ("EC", "cedula"): _Scheme(ec_ci.validate, _identity, _person(_ec_cedula)),
    ("EC", "ruc"): _Scheme(ec_ruc.validate, _identity, _ec_ruc),
    # stdnum has no Colombian cédula: digits only (old ones are short).
    ("CO", "cedula"): _digits_scheme(3, 10, _person(_co_cedula)),
    ("CO", "nit"): _std(co_nit, _co_nit),
    ("MX", "rfc"): _Scheme(_mx_rfc_validate, mx_rfc.format, _mx_rfc),
    ("MX", "curp"): _std(mx_curp, _mx_curp),
    ("PE", "dni"): _Scheme(_pe_dni_validate, _identity, _person(_pe_dni)),
    ("PE", "ruc"): _std(pe_ruc, _pe_ruc),
    ("CL", "rut"): _std(cl_rut, _cl_rut),
    ("AR", "dni"): _std(ar_dni, _person(_ar_dni)),
    ("AR", "cuit"): _std(ar_cuit, _ar_cuit),
    # stdnum has nothing for Panama: shape only, hyphens kept ("8-123-456" != "81-23-456").
    ("PA", "cedula"): _pattern(rf"(?:{_PA_PREFIX})-\d{{1,4}}-\d{{1,6}}", _pa_cedula, strip=""),
    ("PA", "ruc"): _pattern(rf"(?:\d{{1,10}}|{_PA_PREFIX})-\d{{1,4}}-\d{{1,7}}", _pa_ruc, strip=""),
    ("PY", "cedula"): _digits_scheme(4, 8, _person(lambda rng: str(rng.randint(500_000, 7_999_999)))),
    ("PY", "ruc"): _std(py_ruc, _py_ruc),
    ("UY", "ci"): _Scheme(_uy_ci_validate, lambda c: f"{_thousands(c[:-1])}-{c[-1]}", _uy_ci),
    ("UY", "rut"): _std(uy_rut, _uy_rut),
    ("VE", "cedula"): _Scheme(_ve_cedula_validate, lambda c: f"{c[0]}-{c[1:]}", _ve_cedula),
    ("VE", "rif"): _Scheme(ve_rif.validate, lambda c: f"{c[0]}-{c[1:-1]}-{c[-1]}", _ve_rif),
    ("GT", "nit"): _std(gt_nit, _gt_nit),  # stdnum drops leading zeros: SAT never writes them
    ("CR", "cpf"): _std(cr_cpf, _cr_cpf),
    ("CR", "cpj"): _std(cr_cpj, _cr_cpj),
    ("DO", "cedula"): _std(do_cedula, _do_cedula),
    ("DO", "rnc"): _std(do_rnc, _do_rnc),
    ("US", "ssn"): _std(us_ssn, _us_ssn),
    ("US", "ein"): _std(us_ein, _us_ein),
    ("ES", "nif"): _std(es_nif, _es_nif),  # DNI, NIE and CIF
}  # fmt: skip


def _types(person: tuple[str, ...], organization: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {"person": person, "company": organization, "government": organization}


# First type of each list is the form's default.
_TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "EC": _types(("cedula", "ruc", "passport"), ("ruc",)),
    "CO": _types(("cedula", "nit", "passport"), ("nit",)),
    "MX": _types(("rfc", "curp", "passport"), ("rfc",)),
    "PE": _types(("dni", "ruc", "passport"), ("ruc",)),
    "CL": _types(("rut", "passport"), ("rut",)),
    "AR": _types(("dni", "cuit", "passport"), ("cuit",)),
    "PA": _types(("cedula", "ruc", "passport"), ("ruc",)),
    "PY": _types(("cedula", "ruc", "passport"), ("ruc",)),
    "UY": _types(("ci", "rut", "passport"), ("rut",)),
    "VE": _types(("cedula", "rif", "passport"), ("rif",)),
    "GT": _types(("nit", "passport"), ("nit",)),
    "CR": _types(("cpf", "passport"), ("cpj",)),
    "DO": _types(("cedula", "passport"), ("rnc",)),
    "US": _types(("ssn", "ein", "passport"), ("ein",)),
    "ES": _types(("nif", "passport"), ("nif",)),
}
_GENERIC_TYPES = _types(("tax_id", "passport"), ("tax_id",))

# Typographic dashes pasted from documents/PDFs count as hyphens.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


# --------------------------------------------------------------------------- public API


def tax_id_types(country: str, client_type: str) -> list[str]:
    """Allowed id type codes for the country and client type; the first is the default.

    Raises ``FieldError("client_type_invalid")`` for an unknown client type.
    """
    if client_type not in CLIENT_TYPES:
        raise FieldError("client_type_invalid", client_type=client_type)
    return list(_TYPES.get((country or "").upper(), _GENERIC_TYPES)[client_type])


def _scheme(country: str, id_type: str) -> _Scheme | None:
    return _SCHEMES.get(((country or "").upper(), id_type)) or _SCHEMES.get(("*", id_type))


def validate_tax_id(country: str, client_type: str, id_type: str, number: str) -> TaxIdValue:
    """Validate ``number`` as ``id_type`` and return its compact and display forms.

    Raises ``FieldError`` with code "tax_id_type_not_allowed" (type not offered for that
    country + client type), "tax_id_invalid" (format, length or check digit) or
    "client_type_invalid".
    """
    if id_type not in tax_id_types(country, client_type):
        raise FieldError("tax_id_type_not_allowed", id_type=id_type, country=country)
    scheme = _scheme(country, id_type)
    assert scheme is not None  # every type listed in _TYPES has a scheme (tested)
    cleaned = re.sub(r"[\s.]", "", (number or "").translate(_DASHES)).upper()
    try:
        compact = scheme.validate(cleaned) if cleaned else ""
    except (ValidationError, ValueError, IndexError, KeyError) as exc:
        raise FieldError("tax_id_invalid", id_type=id_type) from exc
    if not compact:
        raise FieldError("tax_id_invalid", id_type=id_type)
    return TaxIdValue(id_type=id_type, compact=compact, formatted=format_tax_id(country, id_type, compact))


def format_tax_id(country: str, id_type: str, compact: str) -> str:
    """Display form of a stored compact number; never raises (falls back to ``compact``)."""
    scheme = _scheme(country, id_type)
    if scheme is None or not compact:
        return compact
    try:
        return scheme.format(compact)
    except (ValidationError, ValueError, IndexError, KeyError):
        return compact


def sample_tax_id(country: str, client_type: str, rng: random.Random, id_type: str | None = None) -> str:
    """A random *valid* compact number (for seed data); ``id_type`` defaults to the default type."""
    types = tax_id_types(country, client_type)
    chosen = id_type or types[0]
    if chosen not in types:
        raise FieldError("tax_id_type_not_allowed", id_type=chosen, country=country)
    scheme = _scheme(country, chosen)
    assert scheme is not None
    return scheme.sample(client_type, rng)
