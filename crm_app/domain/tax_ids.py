"""Tax / identity numbers per country (cédula, RUC, NIT, RFC, RUT, CUIT...).

The rules are data: ``COUNTRY_IDS`` says, per country, which id types persons and organizations
may use and how each is checked (a ``python-stdnum`` module when it has the scheme, else the
number's shape), shown and sampled; one checker (``validate_tax_id``) reads it. The ``compact``
form (a string: leading zeros matter) is what gets stored and compared for duplicates. The
samplers live in ``tax_id_samples``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, ModuleType

from stdnum.ar import cuit as ar_cuit
from stdnum.ar import dni as ar_dni
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
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
from stdnum.sv import nit as sv_nit
from stdnum.us import ein as us_ein
from stdnum.us import ssn as us_ssn
from stdnum.uy import rut as uy_rut
from stdnum.ve import rif as ve_rif

from crm_app.domain import tax_id_samples as samples
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


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class IdKind:
    """How one kind of number is checked, stored and shown.

    With ``stdnum`` set, its ``validate`` checks the number (and its ``format``, when it has one,
    shows it); without, only the ``shape`` is checked: stdnum has no module for that scheme.
    """

    sample: samples.Sampler  # (client_type, rng) -> a valid compact number
    stdnum: ModuleType | None = None
    shape: str = ""  # regex the compact form matches (ASCII digits only)
    strip: str = "-/"  # separators dropped before the shape check ("" when they are part of it)
    prefix: str = ""  # put in front of a number typed without it (digits only)
    check: Callable[[str], bool] | None = None  # our own check digit for a shape, or a rule stdnum lacks
    lengths: tuple[int, ...] = ()  # compact lengths accepted, when stricter than stdnum's
    keep: int | None = None  # the stored form is the first ``keep`` characters
    display: Callable[[str], str] | None = None  # else stdnum's format, else as stored
    # The stdnum module checks the shape and parts (province, date...) but no check digit: there is
    # none, or it is not enforced (MX). The form says so, as for a shape.
    no_check_digit: bool = False


@dataclass(frozen=True)
class CountryIds:
    """A country's id types (the first of each list is the form's default) and their kinds."""

    person: tuple[str, ...]
    organization: tuple[str, ...]  # companies and public bodies alike
    kinds: Mapping[str, IdKind] = field(default_factory=dict)

    def types(self, client_type: str) -> tuple[str, ...]:
        return self.person if client_type == "person" else self.organization


def _thousands(compact: str) -> str:
    """Group by thousands on the string ("12345678" -> "12.345.678") so leading zeros survive."""
    head = len(compact) % 3 or 3
    groups = [compact[:head]] + [compact[i : i + 3] for i in range(head, len(compact), 3)]
    return ".".join(groups)


def _std(module: ModuleType, sample: samples.Sampler, **rules) -> IdKind:
    return IdKind(sample=sample, stdnum=module, **rules)


def _digits(low: int, high: int, sample: samples.Sampler) -> IdKind:
    """Digits only, no check digit, shown by thousands."""
    return IdKind(sample=sample, shape=rf"\d{{{low},{high}}}", display=_thousands)


_PA_PREFIX = r"(?:0?[1-9]|1[0-3])(?:AV|PI)?|E|N|PE"  # province (or foreigner/naturalized)


def _grouped(*sizes: int) -> Callable[[str], str]:
    """Show a compact number in hyphen-separated groups ("0801199012345" -> "0801-1990-12345")."""
    def show(compact: str) -> str:
        parts, start = [], 0
        for size in sizes:
            parts.append(compact[start : start + size])
            start += size
        return "-".join(part for part in [*parts, compact[start:]] if part)
    return show


# Nicaragua's cédula: municipality, birth date (ddmmyy), serial and a letter, the 13 digits' remainder
# by 23 in this alphabet (no I, O, Z). The Consejo Supremo Electoral publishes no algorithm; this is
# the one every published validator has used since 2008 (docs/tax_ids.md), and real cédulas pass it.
_NI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"


def _ni_cedula_ok(compact: str) -> bool:
    day, month = int(compact[3:5]), int(compact[5:7])
    return 1 <= day <= 31 and 1 <= month <= 12 and _NI_LETTERS[int(compact[:13]) % 23] == compact[13]


_NI_CEDULA = r"\d{13}[A-HJ-NP-Y]"

# Any country: passports, and for a country without rules digits only, kept as text (leading zeros).
COMMON_KINDS: Mapping[str, IdKind] = MappingProxyType({
    "passport": IdKind(sample=samples.passport, shape=r"[A-Z0-9]{5,20}"),
    "tax_id": IdKind(sample=samples.generic, shape=r"\d{1,20}"),
})
_GENERIC = CountryIds(person=("tax_id", "passport"), organization=("tax_id",))

COUNTRY_IDS: Mapping[str, CountryIds] = MappingProxyType({
    "EC": CountryIds(("cedula", "ruc", "passport"), ("ruc",), {
        "cedula": _std(ec_ci, samples.ec_cedula),
        "ruc": _std(ec_ruc, samples.ec_ruc),
    }),
    "CO": CountryIds(("cedula", "nit", "passport"), ("nit",), {
        "cedula": _digits(3, 10, samples.co_cedula),  # stdnum has no Colombian cédula (old ones are short)
        "nit": _std(co_nit, samples.co_nit),
    }),
    "MX": CountryIds(("rfc", "curp", "passport"), ("rfc",), {
        # Check digits are not enforced (stdnum's default): ~1.5% of real RFCs fail them and
        # rejecting a real customer is worse than a typo. The homoclave is required, though.
        "rfc": _std(mx_rfc, samples.mx_rfc, lengths=(12, 13), no_check_digit=True),
        "curp": _std(mx_curp, samples.mx_curp, no_check_digit=True),
    }),
    "PE": CountryIds(("dni", "ruc", "passport"), ("ruc",), {
        # The optional 9th char is a check digit printed on the card: verified, then dropped
        # so the same person is always stored the same way.
        "dni": _std(pe_cui, samples.pe_dni, keep=8, no_check_digit=True),
        "ruc": _std(pe_ruc, samples.pe_ruc),
    }),
    "CL": CountryIds(("rut", "passport"), ("rut",), {"rut": _std(cl_rut, samples.cl_rut)}),
    "AR": CountryIds(("dni", "cuit", "passport"), ("cuit",), {
        "dni": _std(ar_dni, samples.ar_dni, no_check_digit=True),
        "cuit": _std(ar_cuit, samples.ar_cuit),
    }),
    # stdnum has nothing for Panama: shape only, hyphens kept ("8-123-456" != "81-23-456").
    "PA": CountryIds(("cedula", "ruc", "passport"), ("ruc",), {
        "cedula": IdKind(samples.pa_cedula, shape=rf"(?:{_PA_PREFIX})-\d{{1,4}}-\d{{1,6}}", strip=""),
        "ruc": IdKind(samples.pa_ruc, shape=rf"(?:\d{{1,10}}|{_PA_PREFIX})-\d{{1,4}}-\d{{1,7}}", strip=""),
    }),
    "PY": CountryIds(("cedula", "ruc", "passport"), ("ruc",), {
        "cedula": _digits(4, 8, samples.py_cedula),
        "ruc": _std(py_ruc, samples.py_ruc),
    }),
    "UY": CountryIds(("ci", "rut", "passport"), ("rut",), {
        "ci": IdKind(sample=samples.uy_ci, shape=r"[0-9]{7,8}", strip="-",
                     check=lambda c: c[-1] == samples.uy_ci_check(c[:-1]),
                     display=lambda c: f"{_thousands(c[:-1])}-{c[-1]}"),
        "rut": _std(uy_rut, samples.uy_rut),
    }),
    "VE": CountryIds(("cedula", "rif", "passport"), ("rif",), {
        # The V is often left out.
        "cedula": IdKind(sample=samples.ve_cedula, shape=r"[VE][0-9]{5,9}", strip="-", prefix="V",
                         display=lambda c: f"{c[0]}-{c[1:]}"),
        "rif": _std(ve_rif, samples.ve_rif, display=lambda c: f"{c[0]}-{c[1:-1]}-{c[-1]}"),
    }),
    # stdnum drops leading zeros of a NIT: SAT never writes them.
    "GT": CountryIds(("nit", "passport"), ("nit",), {"nit": _std(gt_nit, samples.gt_nit)}),
    "CR": CountryIds(("cpf", "passport"), ("cpj",), {
        "cpf": _std(cr_cpf, samples.cr_cpf, no_check_digit=True),
        "cpj": _std(cr_cpj, samples.cr_cpj, no_check_digit=True),
    }),
    "DO": CountryIds(("cedula", "passport"), ("rnc",), {
        "cedula": _std(do_cedula, samples.do_cedula),
        "rnc": _std(do_rnc, samples.do_rnc),
    }),
    "US": CountryIds(("ssn", "ein", "passport"), ("ein",), {
        "ssn": _std(us_ssn, samples.us_ssn, no_check_digit=True),
        "ein": _std(us_ein, samples.us_ein, no_check_digit=True),
    }),
    "ES": CountryIds(("nif", "passport"), ("nif",), {"nif": _std(es_nif, samples.es_nif)}),  # DNI, NIE, CIF
    # No python-stdnum module and no public check digit: Bolivia's CI (with the complement SEGIP adds
    # to a repeated number, 1234567-1A) and NIT, Honduras' DNI and RTN, Nicaragua's company RUC are
    # checked for their shape only, and the form says so (docs/tax_ids.md). The generic "tax_id" stays
    # offered after them: rows saved with it before keep validating.
    "BO": CountryIds(("ci", "nit", "passport", "tax_id"), ("nit", "tax_id"), {
        "ci": IdKind(samples.bo_ci, shape=r"\d{5,10}(?:\d[A-Z])?", strip="-",
                     display=lambda c: f"{c[:-2]}-{c[-2:]}" if c[-1].isalpha() else c),
        "nit": IdKind(samples.bo_nit, shape=r"\d{5,12}"),
    }),
    "HN": CountryIds(("dni", "rtn", "passport", "tax_id"), ("rtn", "tax_id"), {
        "dni": IdKind(samples.hn_dni, shape=r"\d{13}", display=_grouped(4, 4)),
        "rtn": IdKind(samples.hn_rtn, shape=r"\d{14}", display=_grouped(4, 4)),
    }),
    # A person's RUC is his cédula (offered as such); a company's is J and 13 digits (shape only).
    "NI": CountryIds(("cedula", "passport", "tax_id"), ("ruc", "tax_id"), {
        "cedula": IdKind(samples.ni_cedula, shape=_NI_CEDULA, check=_ni_cedula_ok, display=_grouped(3, 6)),
        "ruc": IdKind(samples.ni_ruc, shape=r"J\d{13}"),
    }),
    "SV": CountryIds(("nit", "passport", "tax_id"), ("nit", "tax_id"), {"nit": _std(sv_nit, samples.sv_nit)}),
    # "cpf" is Costa Rica's (cédula física) in stored rows since wave 1: Brazil's CPF is "cpf_br".
    "BR": CountryIds(("cpf_br", "passport"), ("cnpj",), {
        # Receita Federal never issues one repeated digit (111.111.111-11, a common filler), which
        # passes the check-digit sum and stdnum.
        "cpf_br": _std(br_cpf, samples.br_cpf, check=lambda c: len(set(c)) > 1),
        "cnpj": _std(br_cnpj, samples.br_cnpj),
    }),
})  # fmt: skip

# Typographic dashes pasted from documents/PDFs count as hyphens.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


# --------------------------------------------------------------------------- the checker


def _country(country: str) -> CountryIds:
    return COUNTRY_IDS.get((country or "").upper(), _GENERIC)


def _kind(country: str, id_type: str) -> IdKind | None:
    return _country(country).kinds.get(id_type) or COMMON_KINDS.get(id_type)


def _compact(kind: IdKind, cleaned: str) -> str:
    """The stored form of a pre-cleaned number; raises ValueError (or stdnum's errors) when invalid."""
    if kind.stdnum is not None:
        compact = kind.stdnum.validate(cleaned)
    else:
        compact = cleaned.translate(dict.fromkeys(map(ord, kind.strip)))
        if kind.prefix and compact.isascii() and compact.isdigit():
            compact = kind.prefix + compact
        # re.ASCII: \d must not accept Arabic-Indic etc. digits.
        if not re.fullmatch(kind.shape, compact, re.ASCII):
            raise ValueError(cleaned)
    if (kind.check and not kind.check(compact)) or (kind.lengths and len(compact) not in kind.lengths):
        raise ValueError(cleaned)
    return compact[: kind.keep]


def _display(kind: IdKind, compact: str) -> str:
    show = kind.display or getattr(kind.stdnum, "format", None)
    return show(compact) if show else compact


# --------------------------------------------------------------------------- public API


def format_only(country: str, id_type: str) -> bool:
    """True when no check digit is verified: only the number's shape (and parts such as a date)."""
    kind = _kind(country, id_type)
    if kind is None:
        return False
    return kind.no_check_digit or (kind.stdnum is None and kind.check is None)


def tax_id_types(country: str, client_type: str) -> list[str]:
    """Allowed id type codes for the country and client type; the first is the default.

    Raises ``FieldError("client_type_invalid")`` for an unknown client type.
    """
    if client_type not in CLIENT_TYPES:
        raise FieldError("client_type_invalid", client_type=client_type)
    return list(_country(country).types(client_type))


def _allowed_kind(country: str, client_type: str, id_type: str) -> IdKind:
    if id_type not in tax_id_types(country, client_type):
        raise FieldError("tax_id_type_not_allowed", id_type=id_type, country=country)
    kind = _kind(country, id_type)
    assert kind is not None  # every type a country lists has a kind (tested)
    return kind


def validate_tax_id(country: str, client_type: str, id_type: str, number: str) -> TaxIdValue:
    """Validate ``number`` as ``id_type`` and return its compact and display forms.

    Raises ``FieldError`` with code "tax_id_type_not_allowed" (type not offered for that
    country + client type), "tax_id_invalid" (format, length or check digit) or
    "client_type_invalid".
    """
    kind = _allowed_kind(country, client_type, id_type)
    cleaned = re.sub(r"[\s.]", "", (number or "").translate(_DASHES)).upper()
    try:
        compact = _compact(kind, cleaned) if cleaned else ""
    except (ValidationError, ValueError, IndexError, KeyError) as exc:
        raise FieldError("tax_id_invalid", id_type=id_type) from exc
    if not compact:
        raise FieldError("tax_id_invalid", id_type=id_type)
    return TaxIdValue(id_type=id_type, compact=compact, formatted=format_tax_id(country, id_type, compact))


def format_tax_id(country: str, id_type: str, compact: str) -> str:
    """Display form of a stored compact number; never raises (falls back to ``compact``)."""
    kind = _kind(country, id_type)
    if kind is None or not compact:
        return compact
    try:
        return _display(kind, compact)
    except (ValidationError, ValueError, IndexError, KeyError):
        return compact


def sample_tax_id(country: str, client_type: str, rng: random.Random, id_type: str | None = None) -> str:
    """A random *valid* compact number (for seed data); ``id_type`` defaults to the default type."""
    chosen = id_type or tax_id_types(country, client_type)[0]
    return _allowed_kind(country, client_type, chosen).sample(client_type, rng)
