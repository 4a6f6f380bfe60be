"""Bulk actions on a selection of customers as plain values: what can be done, to which selection, and
the record the history shows.

CONTRACT (issue 16): shared by services/bulk/, jobs/bulk.py and the list's bulk bar (states/bulk_actions.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# kind -> params it takes:
#   tag_add / tag_remove: {"tag": "VIP"}
#   set_channel: {"channel_id": 3} (None clears it)
#   set_flag: {"flag": "is_supplier" | "is_conflictive", "value": true | false}
#   add_to_account: {"account_id": 7, "role": "Contacto"}
#   send_template: {"template_id": 4}  (consent enforced per address; through the outbox)
#   trash / restore: {}
# Export is not a recorded change: the list's export link takes the selection (ids=...).
KINDS = ("tag_add", "tag_remove", "set_channel", "set_flag", "add_to_account", "send_template", "trash",
         "restore")
FLAGS = ("is_supplier", "is_conflictive")
ADMIN_KINDS = frozenset({"trash", "restore"})  # the rest: any staff user
INLINE_LIMIT = 500  # larger selections run as a background job, with progress and Cancel
UNDO_HOURS = 24
# A bulk action's life: running (inline or as a job) -> done | failed | cancelled; undoing -> undone.
STATUSES = ("running", "done", "failed", "cancelled", "undoing", "undone")


@dataclass(frozen=True)
class Selection:
    """Either the ids ticked on the page, or every customer the list's filters select (``query``: the
    list's address query, e.g. ``tags=vip&type=company``; ``all_matching`` True)."""

    ids: tuple[int, ...] = ()
    query: str = ""
    all_matching: bool = False


@dataclass(frozen=True)
class BulkRequest:
    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BulkActionDTO:
    id: int
    kind: str
    params: dict[str, Any]
    description: str  # what it did, in the reader's language ("Añadir etiqueta «VIP»")
    status: str
    matched: int  # customers selected
    changed: int  # customers it changed (a tag they had already is not a change)
    actor_name: str
    created_at: datetime
    finished_at: datetime | None
    undone_at: datetime | None
    undo_until: datetime
    can_undo: bool
    job_id: int | None  # the running job (the action's or its undo's), for the progress bar
    error: str = ""
