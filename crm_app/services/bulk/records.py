"""Bulk actions' records: who may do what, the BulkAction row of the actor's organization, and the
record as the history shows it (BulkActionDTO, described in the reader's language)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from crm_app.domain.bulk import ADMIN_KINDS, UNDO_HOURS, BulkActionDTO, can_undo, description
from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.i18n import t
from crm_app.models import BulkAction
from crm_app.models.types import utcnow
from crm_app.services.admin_settings import admin_only
from crm_app.services.tenancy import staff_organization, valid_id
from crm_app.services.versioned import user_names


def require_role(session: Session, actor: Actor, kind: str) -> None:
    """Trash and restore are the admins'; the rest any staff user's of the organization."""
    staff_organization(session, actor)
    if kind in ADMIN_KINDS:
        admin_only(actor)


def action_row(session: Session, actor: Actor, bulk_action_id: object) -> BulkAction:
    """The organization's bulk action; a sales user sees only his own (another's is NotFound, as is
    another organization's)."""
    staff_organization(session, actor)
    row = session.get(BulkAction, bulk_action_id) if valid_id(bulk_action_id) else None
    if row is None or row.organization_id != actor.organization_id:
        raise NotFound("bulk_action")
    if not actor.is_admin and row.actor_id != actor.user_id:
        raise NotFound("bulk_action")
    return row


def loads(value: str) -> dict[str, Any]:
    try:
        found = json.loads(value or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def outcome(row: BulkAction) -> dict[str, int]:
    """The counts an action (and its undo) left in its selection record: skipped for want of consent,
    restored by the undo, left since changed... (see :func:`summary`)."""
    return {k: int(v) for k, v in loads(row.selection).get("outcome", {}).items()}


def add_outcome(row: BulkAction, counts: dict[str, int]) -> None:
    """Add ``counts`` to the action's outcome (kept in its selection record: no column of its own)."""
    selection = loads(row.selection)
    found = selection.setdefault("outcome", {})
    for key, value in counts.items():
        if value:
            found[key] = int(found.get(key, 0)) + int(value)
    row.selection = dumps(selection)


def describe(kind: str, params: dict[str, Any], lang: str) -> str:
    key, values = description(kind, params)
    if "role_key" in values:
        values["role"] = t(values.pop("role_key"), lang)
    return t(key, lang, **values)


def summary(row: BulkAction, lang: str) -> str:
    """The outcome in words: "95 of 100 customers changed. 5 without consent ..." and, after an undo,
    "N restored; M changed since and left as they are." (and the messages that cannot be recalled)."""
    counts = outcome(row)
    parts = [t("bulk_result_changed", lang, changed=row.changed, matched=row.matched)]
    for key, message in (("no_consent", "bulk_result_no_consent"), ("duplicates", "bulk_result_duplicates"),
                         ("merged", "bulk_result_merged")):
        if counts.get(key):
            parts.append(t(message, lang, n=counts[key]))
    if row.undone_at is not None or row.status == "undoing" or "restored" in counts:
        parts.append(t("bulk_undo_result", lang, restored=counts.get("restored", 0),
                       left=counts.get("left", 0)))
        if counts.get("unrecallable"):
            parts.append(t("bulk_undo_unrecallable", lang, n=counts["unrecallable"]))
    if row.error == "interrupted":
        parts.append(t("bulk_interrupted", lang))
    return " ".join(parts)


def to_dto(
    session: Session, row: BulkAction, lang: str, names: dict[int, str] | None = None
) -> BulkActionDTO:
    params = loads(row.params)
    undo_until = row.created_at + timedelta(hours=UNDO_HOURS)
    names = names if names is not None else user_names(session, (row.actor_id,))
    job_id = row.undo_job_id if row.status == "undoing" or row.undo_job_id else row.job_id
    return BulkActionDTO(
        id=row.id, kind=row.kind, params=params, description=describe(row.kind, params, lang),
        status=row.status, matched=row.matched, changed=row.changed,
        actor_name=names.get(row.actor_id, ""), created_at=row.created_at, finished_at=row.finished_at,
        undone_at=row.undone_at, undo_until=undo_until,
        can_undo=row.changed > 0 and can_undo(row.status, row.undone_at, undo_until, utcnow()),
        job_id=job_id, error="" if row.error == "interrupted" else row.error, summary=summary(row, lang),
    )
