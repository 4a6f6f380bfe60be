"""Leads without a database: what the form sends, how it is checked, and what the pages read.

A lead is a possible customer followed up until it is won (converted into a customer, or linked to
one who already was) or lost (with a reason). Its phone is read for the organization's country, as a
customer's is, and kept as typed beside its E.164 form; its e-mail is lower-cased. The statuses are
``domain.documents.LEAD_STATUSES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm_app.domain.documents import LEAD_STATUSES
from crm_app.domain.emails import normalize_email
from crm_app.domain.errors import FieldError
from crm_app.domain.phones import normalize_phone
from crm_app.domain.text import clean_date, clean_line, clean_text

MAX_NAME = 200
MAX_PHONE_RAW = 40
MAX_EMAIL = 254
MAX_NOTES = 5000
MAX_LOST_REASON = 200
# "won" is reached only by converting the lead or linking it to a customer, never by a status button.
MANUAL_STATUSES = tuple(s for s in LEAD_STATUSES if s != "won")


@dataclass(frozen=True)
class LeadInput:
    """A lead as the form sends it: text as typed; ``owner_id`` None means the one who creates it."""

    name: str = ""
    phone: str = ""
    email: str = ""
    channel_id: int | None = None
    owner_id: int | None = None
    notes: str = ""
    next_step_on: str = ""  # YYYY-MM-DD, "" for none
    customer_id: int | None = None  # a lead about an existing customer (set when it is created only)


@dataclass(frozen=True)
class CleanLead:
    name: str
    phone_raw: str
    phone_e164: str
    email: str
    notes: str
    next_step_on: date | None


def _phone(raw: str, country: str, errors: dict[str, FieldError]) -> tuple[str, str]:
    typed = clean_text(raw)
    if not typed:
        return "", ""
    if len(typed) > MAX_PHONE_RAW:
        errors["phone"] = FieldError("phone_invalid")
        return "", ""
    try:
        return typed, normalize_phone(typed, country).e164
    except FieldError as exc:
        errors["phone"] = exc
        return "", ""


def _email(raw: str, errors: dict[str, FieldError]) -> str:
    typed = clean_text(raw)
    if not typed:
        return ""
    try:
        address = normalize_email(typed)
    except FieldError as exc:
        errors["email"] = exc
        return ""
    if len(address) > MAX_EMAIL:
        errors["email"] = FieldError("email_invalid")
        return ""
    return address



def clean_lead(data: LeadInput, country: str, errors: dict[str, FieldError]) -> CleanLead:
    """The lead's own values checked, every error at once (added to ``errors``); the channel and owner
    are the database's to check."""
    name = clean_line(data.name)
    if not name:
        errors["name"] = FieldError("required")
    elif len(name) > MAX_NAME:
        errors["name"] = FieldError("too_long", max=MAX_NAME)
    phone_raw, e164 = _phone(data.phone, country, errors)
    notes = clean_text(data.notes)
    if len(notes) > MAX_NOTES:
        errors["notes"] = FieldError("too_long", max=MAX_NOTES)
    return CleanLead(name[:MAX_NAME], phone_raw, e164, _email(data.email, errors), notes[:MAX_NOTES],
                     clean_date(data.next_step_on, "next_step_on", errors))


def clean_lost_reason(status: str, raw: str) -> str:
    """The reason kept with the status: a lost lead needs one (FieldError keyed by the caller as
    "lost_reason"); any other status keeps none."""
    if status != "lost":
        return ""
    reason = clean_line(raw)
    if not reason:
        raise FieldError("lead_lost_reason_required")
    if len(reason) > MAX_LOST_REASON:
        raise FieldError("too_long", max=MAX_LOST_REASON)
    return reason


def customer_names(name: str, client_type: str) -> dict[str, str]:
    """The customer form's name fields a lead's name fills: a person's first word is his first name
    and the rest his last name ("" when he gave one word: the form then asks for it); a company or
    government body takes the whole name as its legal name."""
    if client_type != "person":
        return {"legal_name": name}
    first, _, last = name.strip().partition(" ")
    return {"first_name": first, "last_name": last.strip()}


@dataclass(frozen=True)
class LeadDTO:
    id: int
    name: str
    phone_raw: str
    phone_e164: str
    email: str
    channel_id: int | None
    channel_name: str
    owner_id: int | None
    owner_name: str
    status: str
    lost_reason: str
    notes: str
    next_step_on: date | None
    customer_id: int | None  # the customer it became or was linked to
    customer_name: str
    converted_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class LeadRow:
    """One line of the lead list: the names it shows, read with the page."""

    id: int
    name: str
    phone_e164: str
    email: str
    status: str
    channel_name: str
    owner_name: str
    next_step_on: date | None
    customer_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class LeadPage:
    rows: tuple[LeadRow, ...]
    next_cursor: str


__all__ = [
    "MANUAL_STATUSES",
    "CleanLead",
    "LeadDTO",
    "LeadInput",
    "LeadPage",
    "LeadRow",
    "clean_lead",
    "clean_lost_reason",
    "customer_names",
]
