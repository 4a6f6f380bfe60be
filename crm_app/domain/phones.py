"""Phone number normalization on top of ``phonenumbers``.

Numbers are stored in E.164 (``+593991234567``) so that duplicates are found whatever
way the user typed them; the organization's country is the default region because
people type local numbers without the country code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from phonenumbers import PhoneNumberFormat

from crm_app.domain.errors import FieldError

PhoneStyle = Literal["national", "international"]


@dataclass(frozen=True)
class PhoneNumberValue:
    raw: str  # what the user typed, kept for display/audit
    e164: str  # canonical, unique key: "+593991234567"
    national: str  # "099 123 4567"
    international: str  # "+593 99 123 4567"
    region_code: str  # ISO alpha-2 of the number itself, e.g. "EC" (or "US" for +1 ...)


def _parse(raw: str, region: str) -> phonenumbers.PhoneNumber:
    text = raw.strip()
    # "00" is the international prefix in most of Latin America, but phonenumbers only
    # understands it for regions whose IDD is exactly "00" (not CO, US...): make it "+".
    if text.startswith("00"):
        text = "+" + text[2:]
    number = phonenumbers.parse(text, (region or "").upper() or None)
    # Mexico dropped the mobile "1" after +52 in 2019; people still type it.
    nsn = str(number.national_number)
    if number.country_code == 52 and len(nsn) == 11 and nsn.startswith("1"):
        number.national_number = int(nsn[1:])
    return number


def _valid_number(raw: str, region: str) -> phonenumbers.PhoneNumber:
    if not raw or not raw.strip():
        raise FieldError("phone_invalid")
    try:
        number = _parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise FieldError("phone_invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise FieldError("phone_invalid")
    return number


def phone_e164(raw: str, region: str) -> str:
    """Only the E.164 form of a valid ``raw`` (what a customer's phone stores and duplicates compare):
    :func:`normalize_phone` without its display forms, three times cheaper for an import's rows."""
    return phonenumbers.format_number(_valid_number(raw, region), PhoneNumberFormat.E164)


def normalize_phone(raw: str, region: str) -> PhoneNumberValue:
    """Parse and validate ``raw``; ``region`` (ISO alpha-2) applies when no +/00 prefix.

    Raises ``FieldError("phone_invalid")`` for unparseable, impossible or invalid numbers.
    """
    number = _valid_number(raw, region)
    return PhoneNumberValue(
        raw=raw.strip(),
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        national=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        region_code=phonenumbers.region_code_for_number(number) or "",
    )


def parse_stored(e164: str) -> phonenumbers.PhoneNumber:
    """A stored E.164 number as a PhoneNumber, ten times faster than ``phonenumbers.parse``
    (the list formats 50 of them per page): the country code is the one prefix of the digits
    that is a calling code (they are prefix-free). Anything unusual takes ``phonenumbers.parse``."""
    digits = e164[1:]
    if e164.startswith("+") and digits.isascii() and digits.isdigit():
        for length in (1, 2, 3):
            rest = digits[length:]
            code = int(digits[:length])
            if phonenumbers.region_code_for_country_code(code) != phonenumbers.UNKNOWN_REGION:
                # A national number with a leading zero (Italy) needs parse's bookkeeping; a length
                # parse refuses must fail the same way.
                if 2 <= len(rest) <= 17 and not rest.startswith("0"):
                    return phonenumbers.PhoneNumber(country_code=code, national_number=int(rest))
                break
    return phonenumbers.parse(e164, None)


def format_phone(e164: str, style: PhoneStyle, region: str) -> str:
    """Display a stored E.164 number.

    "national" only applies to numbers of ``region`` (the organization's country): a
    foreign number shown in its national form would be misdialed, so it stays
    international. Never raises: unparseable input is returned as-is.
    """
    try:
        number = parse_stored(e164)
    except phonenumbers.NumberParseException:
        return e164
    if style == "national" and phonenumbers.region_code_for_number(number) == (region or "").upper():
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def phone_digits(e164: str, region: str) -> str:
    """Space-separated digit strings to index for search.

    Contains the E.164 digits ("593991234567"), the national form with trunk prefix
    ("0991234567") and, for foreign numbers, how they are dialed from ``region``
    ("0016502530000"), so that a substring search on typed digits finds the number.
    """
    try:
        number = parse_stored(e164)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", e164)
    forms = [e164, phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)]
    if region and phonenumbers.region_code_for_number(number) != region.upper():
        forms.append(phonenumbers.format_out_of_country_calling_number(number, region.upper()))
    tokens: list[str] = []
    for form in forms:
        # Drop the extension: its digits glued to the number would create false matches.
        digits = re.sub(r"\D", "", form.split(" ext.")[0])
        if digits and digits not in tokens:
            tokens.append(digits)
    return " ".join(tokens)


# Numbers only a business answers (free phone, premium rate, shared cost, one number for many lines).
_BUSINESS_TYPES = frozenset({
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.UAN,
})


def default_phone_kind(e164: str, client_type: str) -> str:
    """The type ("mobile", "home" or "work") a phone gets when the user chose none, from phonenumbers'
    own classification of the number.

    A landline is "home" for a person and "work" for a company or a government office: that is where
    the line is. Business-only numbers (1-800...) are "work". A number that may be either (US and
    Canada: FIXED_LINE_OR_MOBILE), and anything phonenumbers cannot classify, stays "mobile", the type
    most numbers typed into a CRM are.
    """
    try:
        number_type = phonenumbers.number_type(parse_stored(e164))
    except phonenumbers.NumberParseException:
        return "mobile"
    if number_type == phonenumbers.PhoneNumberType.FIXED_LINE:
        return "home" if client_type == "person" else "work"
    if number_type in _BUSINESS_TYPES:
        return "work"
    return "mobile"
