"""What every campaign service starts with: the actor may run campaigns (admins), the campaign or
segment asked for is his organization's, and a campaign row read as the pages see it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.domain.campaigns import CampaignDTO
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Forbidden
from crm_app.models import Campaign, CustomerSegment, MessageTemplate, OutboxMessage, User
from crm_app.models.messaging import LOGGED_ONLY
from crm_app.services.tenancy import org_row


def require_admin(actor: Actor) -> None:
    """Campaigns write to many customers at once: admins only (the pages hide them from sales users)."""
    if not actor.is_admin:
        raise Forbidden()


def campaign_row(session: Session, actor: Actor, campaign_id: object, *, lock: bool = False) -> Campaign:
    require_admin(actor)
    campaign = org_row(session, Campaign, campaign_id, actor, "campaign")
    if lock:  # its status decides what may happen next: one change at a time
        session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
        session.refresh(campaign)
    return campaign


def segment_row(session: Session, actor: Actor, segment_id: object) -> CustomerSegment:
    require_admin(actor)
    return org_row(session, CustomerSegment, segment_id, actor, "segment")


def sent_count(session: Session, campaign_id: int) -> int:
    """Its messages that reached the provider (or, with no mail server configured, the server's log)."""
    return session.execute(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.campaign_id == campaign_id, OutboxMessage.status.in_(("sent", LOGGED_ONLY)))
    ).scalar_one()


def to_dto(session: Session, campaign: Campaign, *, sent: int | None = None) -> CampaignDTO:
    def name_of(model, row_id) -> str:
        row = session.get(model, row_id) if row_id else None
        return row.name if row is not None else ""

    return CampaignDTO(
        id=campaign.id, name=campaign.name, status=campaign.status, template_id=campaign.template_id,
        template_name=name_of(MessageTemplate, campaign.template_id), subject=campaign.subject,
        segment_id=campaign.segment_id, segment_name=name_of(CustomerSegment, campaign.segment_id),
        query=campaign.query, scheduled_at=campaign.scheduled_at, started_at=campaign.started_at,
        finished_at=campaign.finished_at, recipients=campaign.recipients, excluded=campaign.excluded,
        sent=sent_count(session, campaign.id) if sent is None else sent, job_id=campaign.job_id,
        created_by_name=name_of(User, campaign.created_by), created_at=campaign.created_at,
    )
