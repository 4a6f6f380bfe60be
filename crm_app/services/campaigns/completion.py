"""A campaign is done when nothing of it is left to send: called in the transaction that records a
message's outcome (the outbox worker) and at the end of its preparation."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from crm_app.models import Campaign, OutboxMessage
from crm_app.models.types import utcnow

PENDING = ("queued", "sending", "paused")


def finish_if_complete(session: Session, campaign_id: int) -> bool:
    """Mark a sending campaign done when none of its messages is pending; True if it was."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.status != "sending":
        return False
    pending = session.execute(
        select(OutboxMessage.id).where(OutboxMessage.campaign_id == campaign_id,
                                       OutboxMessage.status.in_(PENDING)).limit(1)
    ).first()
    if pending is not None:
        return False
    campaign.status, campaign.finished_at, campaign.updated_at = "done", utcnow(), utcnow()
    session.add(campaign)
    return True
