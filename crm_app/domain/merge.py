"""Merging customers as plain values: the preview side by side, the user's choices, a merge's record.

CONTRACT (issue 16): shared by services/merge/ and the merge page (states/merge.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# A merge (and its undo) is offered this long; afterwards it stays in the history, without Undo.
UNDO_HOURS = 24
MAX_MERGE = 10  # customers in one merge


@dataclass(frozen=True)
class FieldChoice:
    """One row of the preview: a field (or "custom:<field id>"), each customer's value as shown, and the
    customer whose value survives by default (the most recent non-empty, else the most complete)."""

    field: str
    label: str  # in the reader's language
    values: tuple[str, ...]  # one per MergePreview.customers, in that order, as shown ("" = empty)
    chosen_id: int  # the customer whose value survives
    differs: bool  # False when every non-empty value is the same (nothing to choose)


@dataclass(frozen=True)
class MergeCustomer:
    id: int
    display_name: str
    client_type: str
    created_at: datetime
    updated_at: datetime
    version: int  # as read by the preview: a merge with an older version is refused (stale)
    counts: dict[str, int] = field(default_factory=dict)  # phones, emails, orders, sales, leads, files...


@dataclass(frozen=True)
class MergePreview:
    customers: tuple[MergeCustomer, ...]
    survivor_id: int  # suggested: the oldest, unless another was chosen
    fields: tuple[FieldChoice, ...]  # scalar and custom fields, in the form's order
    phones: tuple[str, ...]  # the survivor's phones after the merge (deduplicated by number)
    emails: tuple[str, ...]  # the survivor's e-mails after the merge, "address (sin consentimiento)"
    tags: tuple[str, ...]
    conflictive: bool  # any is conflictive: the survivor is
    moves: dict[str, int] = field(default_factory=dict)  # what moves to the survivor: {"orders": 3...}


@dataclass(frozen=True)
class MergeRequest:
    customer_ids: tuple[int, ...]  # 2..MAX_MERGE, the survivor among them
    survivor_id: int
    choices: dict[str, int]  # field -> the customer whose value survives; missing = the preview's default
    versions: dict[int, int]  # customer id -> version the preview showed


@dataclass(frozen=True)
class MergeDTO:
    id: int
    survivor_id: int
    survivor_name: str
    merged_ids: tuple[int, ...]
    merged_names: tuple[str, ...]
    actor_name: str
    created_at: datetime
    summary: dict[str, int]  # what moved, counted
    undone_at: datetime | None
    undo_until: datetime
    can_undo: bool  # not undone, within UNDO_HOURS (an edit of the survivor is found when undoing)


# --------------------------------------------------------------------------- the preview's fields

# The scalar fields of the customer form a merge lets the user choose, in the form's order, with the
# customer columns each one carries: the address is one choice (a street from one customer and a
# city from another would be a place nobody lives at), the tax ID goes with its type.
ADDRESS_COLUMNS = ("street", "city", "region", "postal_code", "address_country", "latitude", "longitude")
FIELDS: dict[str, tuple[str, ...]] = {
    "client_type": ("client_type",),
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "legal_name": ("legal_name",),
    "trade_name": ("trade_name",),
    "contact_name": ("contact_name",),
    "tax_id": ("tax_id_type", "tax_id"),
    "loyalty_id": ("loyalty_id",),
    "birthday": ("birthday",),
    "address": ADDRESS_COLUMNS,
    "credit_limit": ("credit_limit",),
    "discount_percent": ("discount_percent",),
    "channel_id": ("channel_id",),
    "notes": ("notes",),
}
# The catalogue key of each field's label (the customer form's own labels).
LABEL_KEYS = {name: name for name in FIELDS} | {"channel_id": "channel"}
CUSTOM_PREFIX = "custom:"


def custom_field(field_id: int) -> str:
    return f"{CUSTOM_PREFIX}{field_id}"


def custom_field_id(name: str) -> int | None:
    """The custom field's id of a "custom:<id>" choice, else None."""
    if not name.startswith(CUSTOM_PREFIX):
        return None
    rest = name[len(CUSTOM_PREFIX):]
    return int(rest) if rest.isdigit() else None


@dataclass(frozen=True)
class Candidate:
    """One customer as the choice sees him: when he changed, and each field's value as shown."""

    id: int
    created_at: datetime
    updated_at: datetime
    values: dict[str, str]  # field -> value as shown, "" = empty


def most_complete(candidates: list[Candidate]) -> int:
    """The customer with the most fields filled in; on a tie the most recently changed."""
    best = max(candidates, key=lambda c: (sum(1 for v in c.values.values() if v), c.updated_at, c.id))
    return best.id


def default_choice(field: str, candidates: list[Candidate]) -> int:
    """The most recent non-empty value's customer, else the most complete record."""
    filled = [c for c in candidates if c.values.get(field)]
    if filled:
        return max(filled, key=lambda c: (c.updated_at, c.id)).id
    return most_complete(candidates)


def suggested_survivor(candidates: list[Candidate]) -> int:
    """The oldest customer: his id is the one other systems most likely know."""
    return min(candidates, key=lambda c: (c.created_at, c.id)).id


def field_choices(candidates: list[Candidate], labels: dict[str, str]) -> tuple[FieldChoice, ...]:
    """The preview's rows, in ``labels``' order (the form's): a field nobody filled in is left out."""
    rows = []
    for field_name, label in labels.items():
        values = tuple(c.values.get(field_name, "") for c in candidates)
        if not any(values):
            continue
        filled = {v for v in values if v}
        rows.append(FieldChoice(field=field_name, label=label, values=values,
                                chosen_id=default_choice(field_name, candidates), differs=len(filled) > 1))
    return tuple(rows)


def choice_errors(fields: set[str], customer_ids: tuple[int, ...], choices: dict[str, int]) -> dict[str, str]:
    """The request's choices that name an unknown field or a customer not in the merge: {field: code}."""
    errors = {}
    for name, customer_id in choices.items():
        if name not in fields:
            errors[name] = "merge_choice_unknown_field"
        elif customer_id not in customer_ids:
            errors[name] = "merge_choice_unknown_customer"
    return errors


def resolve_choices(candidates: list[Candidate], fields: set[str], choices: dict[str, int]) -> dict[str, int]:
    """Every field's chosen customer: the request's, else the preview's default."""
    return {name: choices.get(name) or default_choice(name, candidates) for name in sorted(fields)}


# --------------------------------------------------------------------------- phones and e-mails


@dataclass(frozen=True)
class ContactRow:
    """A phone or an e-mail of one of the merged customers, in merge order (the survivor's first)."""

    id: int
    key: str  # E.164 number or lower-cased address
    primary: bool
    flags: dict[str, bool] = field(default_factory=dict)  # phones: whatsapp, viber, sms; e-mails: accepts
    consent_at: datetime | None = None
    consent_source: str = ""


@dataclass(frozen=True)
class KeptContact:
    id: int
    position: int
    primary: bool
    flags: dict[str, bool]
    consent_at: datetime | None = None
    consent_source: str = ""


def merge_contacts(rows: list[ContactRow], *, consent: bool = False) -> tuple[list[KeptContact], list[int]]:
    """One row per number or address (the first one's, so the survivor's own rows stay), the ids of the
    copies dropped. Phones: the channels of every copy (or). E-mails (``consent``): the address accepts
    mail only if every copy accepted, and a refusal keeps its own date and source (an unsubscribe stays
    one). One primary: the first primary row's number or address (else the first)."""
    groups: dict[str, list[ContactRow]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    kept, dropped = [], []
    # The first primary row in merge order (the survivor's own, when he has one) stays the primary.
    primary_key = next((r.key for r in rows if r.primary), rows[0].key if rows else "")
    for position, copies in enumerate(groups.values()):
        first = copies[0]
        dropped.extend(c.id for c in copies[1:])
        consent_at, source = first.consent_at, first.consent_source
        if consent:
            refusal = next((c for c in copies if not c.flags.get("accepts_email")), None)
            flags = {"accepts_email": refusal is None}
            if refusal is not None:
                consent_at, source = refusal.consent_at, refusal.consent_source
        else:
            flags = {name: any(c.flags.get(name) for c in copies) for name in first.flags}
        kept.append(KeptContact(first.id, position, first.key == primary_key, flags, consent_at, source))
    return kept, dropped


# --------------------------------------------------------------------------- the snapshot's values


def to_snapshot(value: Any) -> Any:
    """A column's value as JSON can hold it exactly: ``{"dt": iso}`` a timestamp, ``{"d": iso}`` a date,
    ``{"n": "1.50"}`` a decimal; anything else as is (machine text, never shown)."""
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def from_snapshot(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(value["dt"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        if "n" in value:
            return Decimal(value["n"])
    return value
