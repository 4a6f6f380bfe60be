"""A merge as the history shows it (MergeDTO): who merged whom into whom, when, what moved, whether it
can still be undone; the organization's merges newest first."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.merge import UNDO_HOURS, MergeDTO
from crm_app.models import Customer, CustomerMerge
from crm_app.models.types import utcnow
from crm_app.services.admin_settings import admin_only
from crm_app.services.tenancy import org_row
from crm_app.services.versioned import user_names

MAX_LIMIT = 100


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Customer.id, Customer.display_name).where(Customer.id.in_(ids))).all())


def to_dtos(session: Session, rows: list[CustomerMerge]) -> list[MergeDTO]:
    """The page's merges with their customers' and actors' names read once for the page."""
    merged = {row.id: tuple(json.loads(row.merged_ids or "[]")) for row in rows}
    names = _names(session, {r.survivor_id for r in rows} | {i for ids in merged.values() for i in ids})
    actors = user_names(session, (r.actor_id for r in rows))
    now = utcnow()
    result = []
    for row in rows:
        until = row.created_at + timedelta(hours=UNDO_HOURS)
        result.append(MergeDTO(
            id=row.id, survivor_id=row.survivor_id, survivor_name=names.get(row.survivor_id, ""),
            merged_ids=merged[row.id], merged_names=tuple(names.get(i, "") for i in merged[row.id]),
            actor_name=actors.get(row.actor_id or 0, ""), created_at=row.created_at,
            summary=json.loads(row.summary or "{}"), undone_at=row.undone_at, undo_until=until,
            can_undo=row.undone_at is None and now < until,
        ))
    return result


def to_dto(session: Session, row: CustomerMerge) -> MergeDTO:
    return to_dtos(session, [row])[0]


def merge_row(session: Session, actor: Actor, merge_id: int) -> CustomerMerge:
    return org_row(session, CustomerMerge, merge_id, actor, "merge")


def get_merge(*, session: Session, actor: Actor, merge_id: int) -> MergeDTO:
    """One merge of the actor's organization (admins only), else NotFound("merge")."""
    admin_only(actor)
    return to_dto(session, merge_row(session, actor, merge_id))


def list_merges(
    *, session: Session, actor: Actor, before_id: int | None = None, limit: int = 20
) -> list[MergeDTO]:
    """The organization's merges, newest first, keyset paged: pass the last one's id as ``before_id``."""
    admin_only(actor)
    query = select(CustomerMerge).where(CustomerMerge.organization_id == actor.organization_id)
    if before_id is not None:
        query = query.where(CustomerMerge.id < int(before_id))
    limit = max(1, min(int(limit), MAX_LIMIT))
    rows = list(session.execute(query.order_by(CustomerMerge.id.desc()).limit(limit)).scalars())
    return to_dtos(session, rows)

