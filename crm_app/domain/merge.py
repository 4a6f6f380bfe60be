"""Merging customers as plain values: the preview side by side, the user's choices, a merge's record.

CONTRACT (issue 16): shared by services/merge/ and the merge page (states/merge.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
