"""The merge a survivor's profile offers to undo: the latest one into this customer that can still be
undone (not undone, within UNDO_HOURS). Whether the survivor was edited since is found by the undo."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.merge import UNDO_HOURS, MergeDTO
from crm_app.models import CustomerMerge
from crm_app.models.types import utcnow
from crm_app.services.admin_settings import admin_only
from crm_app.services.merge.records import to_dto


def latest_undoable(*, session: Session, actor: Actor, customer_id: int) -> MergeDTO | None:
    """The newest undoable merge whose survivor is ``customer_id`` in the actor's organization (admins
    only, else Forbidden); None when there is none, or the customer is another organization's."""
    admin_only(actor)
    since = utcnow() - timedelta(hours=UNDO_HOURS)
    # One query on ix_customer_merge_org_id (organization, id), newest first: an organization makes a few
    # merges a day, so no index on survivor_id is needed to find this customer's among them.
    row = session.execute(
        select(CustomerMerge)
        .where(CustomerMerge.organization_id == actor.organization_id,
               CustomerMerge.survivor_id == int(customer_id),
               CustomerMerge.undone_at.is_(None), CustomerMerge.created_at > since)
        .order_by(CustomerMerge.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return to_dto(session, row) if row is not None else None
