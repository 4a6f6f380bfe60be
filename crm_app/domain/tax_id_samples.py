"""Random *valid* tax numbers per country and id type, for seed data and tests.

Each sampler takes ``(client_type, rng)`` and returns a compact number valid for that client type.
Check digits are computed with our own code (not python-stdnum's) so the tests, which validate the
samples with stdnum, check both sides. ``tax_ids.sample_tax_id`` picks the sampler from its table.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

Sampler = Callable[[str, random.Random], str]


def _person(sample: Callable[[random.Random], str]) -> Sampler:
    """A sampler for a number only persons have (the client type changes nothing)."""
    return lambda _client_type, rng: sample(rng)


def _digits(rng: random.Random, n: int) -> str:
    # One draw for all the digits (not one per digit): the seed makes hundreds of thousands.
    return f"{rng.randrange(10**n):0{n}d}"


def _weighted(weights: tuple[int, ...], digits: str) -> int:
    return sum(w * int(d) for w, d in zip(weights, digits, strict=False))


def _luhn_check(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)  # the digit next to the check digit is doubled
        total += d - 9 if d > 9 else d
    return str(-total % 10)


def _mod11_check(weights: tuple[int, ...], body: str) -> int:
    """Digit that makes ``weighted sum + digit`` divisible by 11 (10 means "no valid digit")."""
    return -_weighted(weights, body) % 11


# --------------------------------------------------------------------------- samplers
# Loops only redraw when a mod-11 scheme gives an unassignable check digit (~1 in 11 draws).

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _ec_cedula(rng: random.Random) -> str:
    body = f"{rng.randint(1, 24):02d}{rng.randint(0, 5)}{_digits(rng, 6)}"  # province, 3rd digit < 6
    # Digits at even positions count doubled (minus 9 above 9), the others as they are.
    total = sum(_DOUBLED[int(ch)] for ch in body[0::2]) + sum(int(ch) for ch in body[1::2])
    return body + str(-total % 10)


def ec_ruc(client_type: str, rng: random.Random) -> str:
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


def co_nit(client_type: str, rng: random.Random) -> str:
    # Persons' NIT is their cédula + check digit; companies/public bodies get 8xx/9xx.
    body = _co_cedula(rng) if client_type == "person" else str(rng.randint(800_000_000, 999_999_999))
    weights = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)
    s = _weighted(weights, body[::-1]) % 11
    return body + str(s if s < 2 else 11 - s)


_MX_RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
_MX_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"
_MX_STATES = (
    "AS", "BC", "BS", "CC", "CH", "CL", "CM", "CS", "DF", "DG", "GR", "GT", "HG", "JC", "MC", "MN", "MS",
    "NE", "NL", "NT", "OC", "PL", "QR", "QT", "SL", "SP", "SR", "TC", "TL", "TS", "VZ", "YN", "ZS",
)  # fmt: skip
_CONSONANTS = "BCDFGHJKLMNPQRSTVWXYZ"
_LETTERS = string.ascii_uppercase


def _mx_name(rng: random.Random) -> str:
    # Consonant-vowel-consonant-consonant never forms a word of the SAT/RENAPO blacklist.
    return rng.choice(_CONSONANTS) + rng.choice("AEIOU") + rng.choice(_CONSONANTS) + rng.choice(_CONSONANTS)


def _yymmdd(rng: random.Random, year: int) -> str:
    return f"{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"


def mx_rfc(client_type: str, rng: random.Random) -> str:
    name = _mx_name(rng) if client_type == "person" else _mx_name(rng)[:3]  # 13 vs 12 chars
    # Homoclave shape accepted by stdnum's strict check: [1-9A-V][1-9A-Z].
    homoclave = rng.choice("123456789ABCDEFGHIJKLMNOPQRSTUV") + rng.choice("123456789" + _LETTERS)
    head = name + _yymmdd(rng, rng.randint(1950, 2020)) + homoclave
    total = sum(_MX_RFC_ALPHABET.index(c) * (13 - i) for i, c in enumerate(head.rjust(12)))
    return head + _MX_RFC_ALPHABET[(11 - total) % 11]


def mx_curp(client_type: str, rng: random.Random) -> str:
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


def pe_ruc(client_type: str, rng: random.Random) -> str:
    body = ("10" + _pe_dni(rng)) if client_type == "person" else ("20" + _digits(rng, 8))
    return body + str((11 - _weighted((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), body) % 11) % 10)


def cl_rut(client_type: str, rng: random.Random) -> str:
    ranges = {"person": (5_000_000, 26_999_999), "company": (76_000_000, 77_999_999)}
    body = str(rng.randint(*ranges.get(client_type, (60_000_000, 61_999_999))))  # 60/61: State
    s = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body)))
    return body + "0123456789K"[(11 - s % 11) % 11]


def _ar_dni(rng: random.Random) -> str:
    return str(rng.randint(1_000_000, 45_999_999))


def ar_cuit(client_type: str, rng: random.Random) -> str:
    while True:  # check 10 is not assigned (AFIP changes the prefix instead): redraw
        if client_type == "person":
            body = rng.choice(("20", "27")) + _ar_dni(rng).zfill(8)
        else:
            body = rng.choice(("30", "33")) + _digits(rng, 8)
        check = (11 - _weighted((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), body) % 11) % 11
        if check < 10:
            return body + str(check)


def pa_cedula(client_type: str, rng: random.Random) -> str:
    return f"{rng.randint(1, 13)}-{rng.randint(1, 999)}-{rng.randint(1, 99999)}"


def pa_ruc(client_type: str, rng: random.Random) -> str:
    if client_type == "person":  # natural persons use their cédula as RUC
        return pa_cedula(client_type, rng)
    return f"{rng.randint(1_000_000, 155_999_999)}-{rng.randint(1, 2)}-{rng.randint(1990, 2024)}"


def py_ruc(client_type: str, rng: random.Random) -> str:
    # Persons: cédula + check digit; legal entities: 80xxxxxx.
    low, high = (500_000, 7_999_999) if client_type == "person" else (80_000_000, 80_199_999)
    body = str(rng.randint(low, high))
    s = sum((i + 2) * int(d) for i, d in enumerate(reversed(body)))
    return body + str(-s % 11 % 10)


def uy_ci(client_type: str, rng: random.Random) -> str:
    body = str(rng.randint(1_000_000, 6_999_999))
    return body + uy_ci_check(body)


def uy_ci_check(body: str) -> str:
    """The Uruguayan cédula's check digit (stdnum has no module for it: the checker uses this too)."""
    return str(-_weighted((2, 9, 8, 7, 6, 3, 4), body.zfill(7)) % 10)


def uy_rut(client_type: str, rng: random.Random) -> str:
    while True:
        body = f"{rng.randint(1, 22):02d}{rng.randint(1, 999_999):06d}001"
        check = _mod11_check((4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), body)
        if check < 10:
            return body + str(check)


_VE_RIF_TYPES = {"V": 4, "E": 8, "J": 12, "P": 16, "G": 20}


def ve_rif(client_type: str, rng: random.Random) -> str:
    letter = {"person": "V", "company": "J"}.get(client_type, "G")
    body = letter + f"{rng.randint(1_000_000, 32_999_999):08d}"
    r = (_VE_RIF_TYPES[letter] + _weighted((3, 2, 7, 6, 5, 4, 3, 2), body[1:])) % 11
    return body + str(11 - r if r > 1 else 0)


def ve_cedula(client_type: str, rng: random.Random) -> str:
    return f"V{rng.randint(1_000_000, 32_999_999)}"


def gt_nit(client_type: str, rng: random.Random) -> str:
    body = str(rng.randint(100_000, 99_999_999))
    c = -sum(i * int(d) for i, d in enumerate(reversed(body), 2)) % 11
    return body + ("K" if c == 10 else str(c))


def cr_cpf(client_type: str, rng: random.Random) -> str:
    return f"0{rng.randint(1, 9)}{rng.randint(1, 9999):04d}{rng.randint(1, 9999):04d}"


def cr_cpj(client_type: str, rng: random.Random) -> str:
    # Class 2 = State bodies, class 3 = companies (101 S.A., 102 S.R.L.).
    prefixes = ("2100", "2200", "2300", "2400") if client_type == "government" else ("3101", "3102")
    prefix = rng.choice(prefixes)
    return prefix + _digits(rng, 6)


def do_cedula(client_type: str, rng: random.Random) -> str:
    body = f"{rng.randint(1, 402):03d}{_digits(rng, 7)}"
    return body + _luhn_check(body)


def do_rnc(client_type: str, rng: random.Random) -> str:
    body = ("4" if client_type == "government" else "1") + _digits(rng, 7)
    r = _weighted((7, 9, 8, 6, 5, 4, 3, 2), body) % 11
    return body + str({0: 2, 1: 1}.get(r, 11 - r))


def us_ssn(client_type: str, rng: random.Random) -> str:
    while True:  # skips area 666 and the 3 famous misused numbers
        area = rng.randint(1, 899)
        number = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if area != 666 and number not in ("078051120", "457555462", "219099999"):
            return number


_US_EIN_PREFIXES = ("10", "12", "20", "27", "45", "46", "47", "81", "82", "83", "84", "94", "95")


def us_ein(client_type: str, rng: random.Random) -> str:
    return rng.choice(_US_EIN_PREFIXES) + _digits(rng, 7)


def es_nif(client_type: str, rng: random.Random) -> str:
    if client_type == "person":  # DNI: 8 digits + letter
        body = _digits(rng, 8)
        return body + "TRWAGMYFPDXBNJZSQVHLCKE"[int(body) % 23]
    # CIF: A/B companies end in a digit; P/Q/S public bodies in a letter.
    letter = rng.choice("AB" if client_type == "company" else "PQS")
    digits = f"{rng.randint(1, 52):02d}{_digits(rng, 5)}"
    check = _luhn_check(digits)
    return letter + digits + (check if letter in "AB" else "JABCDEFGHI"[int(check)])


def bo_ci(client_type: str, rng: random.Random) -> str:
    number = str(rng.randint(100_000, 14_999_999))
    return number + f"{rng.randint(1, 9)}{rng.choice('ABCDEFGH')}" if rng.random() < 0.05 else number


def bo_nit(client_type: str, rng: random.Random) -> str:
    return str(rng.randint(1_000_000, 9_999_999)) + ("" if client_type == "person" else _digits(rng, 3))


def hn_dni(client_type: str, rng: random.Random) -> str:
    # Department (01-18) and municipality, year of birth, serial.
    return f"{rng.randint(1, 18):02d}{rng.randint(1, 28):02d}{rng.randint(1940, 2007)}{_digits(rng, 5)}"


def hn_rtn(client_type: str, rng: random.Random) -> str:
    return (hn_dni(client_type, rng) if client_type == "person" else f"0801{_digits(rng, 9)}") + str(
        rng.randint(0, 9))


_NI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"


def ni_cedula(client_type: str, rng: random.Random) -> str:
    body = f"{rng.randint(1, 616):03d}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{_digits(rng, 2)}"
    body += _digits(rng, 4)
    return body + _NI_LETTERS[int(body) % 23]


def ni_ruc(client_type: str, rng: random.Random) -> str:
    return "J" + _digits(rng, 13)


def sv_nit(client_type: str, rng: random.Random) -> str:
    # The "new" NIT (serial above 100): weights 2,7,6,5,4,3,2,7,... and the complement of the sum by 11.
    body = f"0{rng.randint(101, 999)}{_digits(rng, 6)}{rng.randint(101, 999)}"
    return body + str(-_weighted((2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2), body) % 11 % 10)


def _br_check(body: str, first_weight: int) -> str:
    """Brazil's mod-11 digit: weights first_weight down to 2, cycling back to 9 (CNPJ); 10 and 11 give 0."""
    weights = [first_weight - i if first_weight - i >= 2 else first_weight - i + 8 for i in range(len(body))]
    r = _weighted(tuple(weights), body) % 11
    return "0" if r < 2 else str(11 - r)


def br_cpf(client_type: str, rng: random.Random) -> str:
    while True:  # a CPF of one repeated digit (111.111.111-11) passes the sum but is refused
        body = _digits(rng, 9)
        if len(set(body)) > 1:
            break
    body += _br_check(body, 10)
    return body + _br_check(body, 11)


def br_cnpj(client_type: str, rng: random.Random) -> str:
    body = f"{rng.randrange(1, 10**8):08d}0001"  # the company's root and its head office (0001)
    body += _br_check(body, 5)
    return body + _br_check(body, 6)


def passport(client_type: str, rng: random.Random) -> str:
    return rng.choice(string.ascii_uppercase) + _digits(rng, 8)


def generic(client_type: str, rng: random.Random) -> str:
    return _digits(rng, rng.randint(7, 13))  # may start with 0 on purpose


# Numbers only persons have: the client type changes nothing.
ec_cedula = _person(_ec_cedula)
co_cedula = _person(_co_cedula)
pe_dni = _person(_pe_dni)
ar_dni = _person(_ar_dni)
py_cedula = _person(lambda rng: str(rng.randint(500_000, 7_999_999)))
