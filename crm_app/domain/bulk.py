"""Bulk actions on a selection of customers as plain values: what can be done, to which selection, and
the record the history shows.

CONTRACT (issue 16): shared by services/bulk/, jobs/bulk.py and the list's bulk bar (states/bulk_actions.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm_app.domain.accounts import MEMBER_ROLES
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.ids import is_row_id
from crm_app.domain.tags import MAX_TAG
from crm_app.domain.text import clean_line

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
    summary: str = ""  # the outcome in words: changed, skipped and why; after an undo, restored and left


# --------------------------------------------------------------------------- logic (pure)

MAX_IDS = 10_000  # ticked ids in one request: a page is 100; more is not a selection made by hand
# The fields a refusal names: "kind", "tag", "channel_id", "flag", "value", "account_id", "role",
# "template_id", "selection"; the codes are translated in i18n/areas/bulk_actions.py.


Errors = dict[str, FieldError]


def _tag(params: dict[str, Any], errors: Errors) -> dict[str, Any]:
    tag = clean_line(params.get("tag", ""))
    if not tag:
        errors["tag"] = FieldError("required")
    elif len(tag) > MAX_TAG:
        errors["tag"] = FieldError("too_long", max=MAX_TAG)
    return {"tag": tag}


def _channel(params: dict[str, Any], errors: Errors) -> dict[str, Any]:
    channel_id = params.get("channel_id")
    if channel_id is not None and not is_row_id(channel_id):
        errors["channel_id"] = FieldError("invalid_choice")
    return {"channel_id": channel_id}


def _flag(params: dict[str, Any], errors: Errors) -> dict[str, Any]:
    if params.get("flag") not in FLAGS:
        errors["flag"] = FieldError("bulk_flag_invalid")
    if not isinstance(params.get("value"), bool):
        errors["value"] = FieldError("bulk_flag_value_invalid")
    return {"flag": params.get("flag"), "value": params.get("value")}


def _account(params: dict[str, Any], errors: Errors) -> dict[str, Any]:
    if not is_row_id(params.get("account_id")):
        errors["account_id"] = FieldError("required")
    role = params.get("role") or "member"
    if role not in MEMBER_ROLES:
        errors["role"] = FieldError("member_role_invalid")
    return {"account_id": params.get("account_id"), "role": role}


def _template(params: dict[str, Any], errors: Errors) -> dict[str, Any]:
    if not is_row_id(params.get("template_id")):
        errors["template_id"] = FieldError("required")
    return {"template_id": params.get("template_id")}


_CLEANERS = {"tag_add": _tag, "tag_remove": _tag, "set_channel": _channel, "set_flag": _flag,
             "add_to_account": _account, "send_template": _template}


def validate(selection: Selection, request: BulkRequest) -> dict[str, Any]:
    """The request's params, cleaned (``{"tag": "VIP"}``, ``{"flag": ..., "value": True}``...), or
    ValidationFailed naming each wrong field. What needs the database (the channel, account or template
    being the organization's) is the service's."""
    errors: Errors = {}
    if not selection.all_matching and not selection.ids:
        errors["selection"] = FieldError("bulk_selection_empty")
    elif not selection.all_matching and len(selection.ids) > MAX_IDS:
        errors["selection"] = FieldError("bulk_selection_too_large", max=MAX_IDS)
    if request.kind not in KINDS:
        errors["kind"] = FieldError("bulk_kind_invalid")
        raise ValidationFailed(errors)
    cleaner = _CLEANERS.get(request.kind)
    clean = cleaner(dict(request.params or {}), errors) if cleaner else {}
    if errors:
        raise ValidationFailed(errors)
    return clean


def description(kind: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """What an action did, as an i18n key and its values (the service adds the names it stored:
    ``channel``, ``account``, ``template``; the flag and role are keys of their own to translate)."""
    if kind in ("tag_add", "tag_remove"):
        return f"bulk_desc_{kind}", {"tag": params.get("tag", "")}
    if kind == "set_channel":
        if params.get("channel_id") is None:
            return "bulk_desc_clear_channel", {}
        return "bulk_desc_set_channel", {"channel": params.get("channel", "")}
    if kind == "set_flag":
        state = "set" if params.get("value") else "clear"
        return f"bulk_desc_{state}_{params.get('flag', '')}", {}
    if kind == "add_to_account":
        return "bulk_desc_add_to_account", {"account": params.get("account", ""),
                                             "role_key": f"member_role_{params.get('role', 'member')}"}
    if kind == "send_template":
        return "bulk_desc_send_template", {"template": params.get("template", "")}
    return f"bulk_desc_{kind}", {}


def can_undo(status: str, undone_at: datetime | None, undo_until: datetime, now: datetime) -> bool:
    """Undo is offered for 24 h after an action that changed something and ended (done or cancelled:
    what a cancel left done stays undoable)."""
    return status in ("done", "cancelled", "failed") and undone_at is None and now < undo_until


@dataclass(frozen=True)
class UndoOutcome:
    """What an undo did: ``restored`` customers got their value back; ``left`` had changed since (the
    value the action set was no longer theirs) and were left as they are. ``unrecallable``: messages of a
    send_template already sent, which no undo can call back."""

    restored: int = 0
    left: int = 0
    unrecallable: int = 0
