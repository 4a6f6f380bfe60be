"""A customer's phones and e-mails as typed: each checked, normalized (E.164, lower case), told apart
from the others of the same customer, and exactly one marked primary."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TypeVar

from crm_app.domain.customers import PHONE_KINDS, CleanEmail, CleanPhone, EmailInput, PhoneInput
from crm_app.domain.emails import normalize_email
from crm_app.domain.errors import FieldError
from crm_app.domain.phones import default_phone_kind, phone_e164
from crm_app.domain.text import clean_line, clean_text

MAX_PHONE_LABEL = 60
MAX_PHONES = 20
MAX_EMAILS = 20
MAX_EMAIL = 254

T = TypeVar("T", PhoneInput, EmailInput)


def primary_flags(flags: list[bool]) -> list[bool]:
    """Exactly one True when the list is not empty: the first marked one, else the first one."""
    chosen = flags.index(True) if True in flags else 0
    return [i == chosen for i in range(len(flags))]


def _entries(
    items: tuple[T, ...], name: str, limit: int, errors: dict[str, FieldError]
) -> Iterator[tuple[int, T, bool]]:
    """(position, entry, primary) of each entry; none, and "too_many" on ``name``, past ``limit``."""
    if len(items) > limit:
        errors[name] = FieldError("too_many", max=limit)
        return
    yield from zip(range(len(items)), items, primary_flags([item.primary for item in items]), strict=True)


def _phone_kind(phone: PhoneInput, key: str, errors: dict[str, FieldError]) -> tuple[str, str]:
    """The chosen kind ("" = the number's own) and the custom kind's label; errors keyed "<key>.kind"..."""
    chosen = phone.kind or ""
    kind = chosen if chosen in PHONE_KINDS else ""
    label = clean_line(phone.label) if kind == "custom" else ""
    if chosen and not kind:
        errors[f"{key}.kind"] = FieldError("phone_kind_invalid")
    elif kind == "custom" and not label:
        errors[f"{key}.label"] = FieldError("required")
    elif len(label) > MAX_PHONE_LABEL:
        errors[f"{key}.label"] = FieldError("too_long", max=MAX_PHONE_LABEL)
    return kind, label


def clean_phones(
    phones: tuple[PhoneInput, ...], country: str, client_type: str, errors: dict[str, FieldError]
) -> tuple[CleanPhone, ...]:
    """The valid phones, numbers read for ``country``; errors keyed "phones.<i>.number"..."""
    cleaned: list[CleanPhone] = []
    seen: dict[str, int] = {}
    for i, phone, primary in _entries(phones, "phones", MAX_PHONES, errors):
        key = f"phones.{i}"
        kind, label = _phone_kind(phone, key, errors)
        if not (phone.number or "").strip():
            errors[f"{key}.number"] = FieldError("required")
            continue
        typed = clean_text(phone.number)
        try:
            e164 = phone_e164(typed, country)
        except FieldError as exc:
            errors[f"{key}.number"] = exc
            continue
        if e164 in seen:
            errors[f"{key}.number"] = FieldError("phone_repeated", position=seen[e164] + 1)
            continue
        seen[e164] = i
        cleaned.append(
            CleanPhone(
                raw=typed.strip()[:64],
                e164=e164,
                kind=kind or default_phone_kind(e164, client_type),
                label=label,
                whatsapp=bool(phone.whatsapp),
                viber=bool(phone.viber),
                sms=bool(phone.sms),
                primary=primary,
            )
        )
    if cleaned and not any(p.primary for p in cleaned):  # only possible when errors were found
        cleaned[0] = dataclasses.replace(cleaned[0], primary=True)
    return tuple(cleaned)


def clean_emails(emails: tuple[EmailInput, ...], errors: dict[str, FieldError]) -> tuple[CleanEmail, ...]:
    """The valid e-mails, lower-cased; errors keyed "emails.<i>.address"."""
    cleaned: list[CleanEmail] = []
    seen: dict[str, int] = {}
    for i, email, primary in _entries(emails, "emails", MAX_EMAILS, errors):
        key = f"emails.{i}.address"
        if not (email.address or "").strip():
            errors[key] = FieldError("required")
            continue
        try:
            address = normalize_email(email.address)
        except FieldError as exc:
            errors[key] = exc
            continue
        if len(address) > MAX_EMAIL:
            errors[key] = FieldError("email_invalid")
            continue
        if address in seen:
            errors[key] = FieldError("email_repeated", position=seen[address] + 1)
            continue
        seen[address] = i
        cleaned.append(
            CleanEmail(address=address, accepts_email=bool(email.accepts_email), primary=primary)
        )
    return tuple(cleaned)
