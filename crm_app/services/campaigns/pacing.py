"""The organization's campaign pace: message ``i`` goes ``i * 60 / campaign_per_minute`` seconds after the
first, and the first after the last one already queued, so two campaigns share one pace. The outbox
worker claims only due messages: the spacing is the throttle."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlmodel import Session

from crm_app.domain.campaigns import MAX_PACE, MIN_PACE
from crm_app.models import Organization, OutboxMessage
from crm_app.models.types import utcnow

RESPACE_BATCH = 1_000


def interval(org: Organization) -> timedelta:
    pace = min(max(int(org.campaign_per_minute or 60), MIN_PACE), MAX_PACE)
    return timedelta(seconds=60 / pace)


def first_slot(session: Session, org: Organization) -> datetime:
    """When the next campaign message of the organization may go: now, or after its last queued one."""
    last = session.execute(
        select(func.max(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.organization_id == org.id, OutboxMessage.campaign_id.is_not(None),
            OutboxMessage.status == "queued")
    ).scalar_one()
    now = utcnow()
    return max(now, last + interval(org)) if last is not None else now


def respace_paused(open_session, organization_id: int, campaign_id: int) -> int:
    """Queue a resumed campaign's paused messages again, spaced from now at the pace, a batch per
    transaction; returns how many."""
    moved = 0
    while True:
        with open_session() as session:
            org = session.get(Organization, organization_id)
            ids = list(session.execute(
                select(OutboxMessage.id).where(OutboxMessage.campaign_id == campaign_id,
                                               OutboxMessage.status == "paused")
                .order_by(OutboxMessage.id).limit(RESPACE_BATCH)).scalars())
            if not ids:
                return moved
            slot, step = first_slot(session, org), interval(org)
            for message_id in ids:
                session.execute(update(OutboxMessage)
                                .where(OutboxMessage.id == message_id, OutboxMessage.status == "paused")
                                .values(status="queued", next_attempt_at=slot)
                                .execution_options(synchronize_session=False))
                slot += step
            moved += len(ids)
