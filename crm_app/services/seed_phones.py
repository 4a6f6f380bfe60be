"""Demo phone numbers: valid, unique mobiles of a country, with the digits the search index holds."""

from __future__ import annotations

import random

import phonenumbers

from crm_app.domain.phones import phone_digits


class DemoPhones:
    """Valid, unique mobile numbers of a country, made by string operations (phonenumbers is slow).

    A few valid numbers found at start give prefixes; each number is a prefix + random digits. The
    national digit string indexed for search is derived the way phone_digits computes it, checked on
    samples; countries where it is not a plain "trunk prefix + national number" use phone_digits.
    """

    def __init__(self, country: str, rng: random.Random) -> None:
        self.region = country
        example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
        if example is None:  # an unknown region: Ecuadorian numbers, still valid
            self.region, example = (
                "EC",
                phonenumbers.example_number_for_type("EC", phonenumbers.PhoneNumberType.MOBILE),
            )
        self.code = str(example.country_code)
        nsn = str(example.national_number)
        self.tail = min(6, len(nsn) - 2)
        head_len = len(nsn) - self.tail
        prefixes: set[str] = {nsn[:head_len]}
        for head in range(100):  # vary the head's last two digits, keep those giving valid mobiles
            candidate = nsn[: head_len - 2] + f"{head:02d}"
            if all(
                self._mobile(candidate + f"{rng.randrange(10**self.tail):0{self.tail}d}") for _ in range(30)
            ):
                prefixes.add(candidate)
        self.prefixes = sorted(p for p in prefixes if self._mobile(p + "0" * self.tail))
        self.trunk = self._trunk(rng)
        self.seen: set[str] = set()

    def _mobile(self, nsn: str) -> bool:
        number = phonenumbers.parse("+" + self.code + nsn)
        return phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )

    def _trunk(self, rng: random.Random) -> str | None:
        trunks = set()
        for prefix in self.prefixes[:10]:
            nsn = prefix + f"{rng.randint(0, 10**self.tail - 1):0{self.tail}d}"
            tokens = phone_digits("+" + self.code + nsn, self.region).split()
            if len(tokens) != 2 or tokens[0] != self.code + nsn or not tokens[1].endswith(nsn):
                return None
            trunks.add(tokens[1][: -len(nsn)])
        return trunks.pop() if len(trunks) == 1 else None

    def draw(self, rng: random.Random) -> tuple[str, str]:
        """(E.164, search digits) of a number not drawn before."""
        while True:
            nsn = rng.choice(self.prefixes) + f"{rng.randrange(10**self.tail):0{self.tail}d}"
            if nsn not in self.seen:
                self.seen.add(nsn)
                break
        e164 = "+" + self.code + nsn
        digits = (
            f"{self.code}{nsn} {self.trunk}{nsn}"
            if self.trunk is not None
            else phone_digits(e164, self.region)
        )
        return e164, digits
