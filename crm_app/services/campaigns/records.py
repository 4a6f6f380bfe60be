"""What every campaign service starts with: the actor may run campaigns (admins), the campaign or
segment asked for is his organization's, and a campaign row read as the pages see it."""

from __future__ import annotations

from sqlalchemy import func, select, update
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


def locked(session: Session, campaign_id: int) -> Campaign | None:
    """The campaign, locked until the transaction ends and read afresh: its status decides what may
    happen next (a pause, a preparation's next batch), one change at a time."""
    session.execute(select(Campaign.id).where(Campaign.id == campaign_id).with_for_update())
    campaign = session.get(Campaign, campaign_id)
    if campaign is not None:
        session.refresh(campaign)
    return campaign


def campaign_row(session: Session, actor: Actor, campaign_id: object, *, lock: bool = False) -> Campaign:
    require_admin(actor)
    campaign = org_row(session, Campaign, campaign_id, actor, "campaign")
    return locked(session, campaign.id) if lock else campaign


def set_message_status(session: Session, campaign_id: int, old: tuple[str, ...], new: str,
                       error: str = "") -> None:
    """Move the campaign's messages in one of the ``old`` statuses to ``new`` (a pause, a cancel)."""
    values = {"status": new, **({"last_error": error} if error else {})}
    session.execute(update(OutboxMessage)
                    .where(OutboxMessage.campaign_id == campaign_id, OutboxMessage.status.in_(old))
                    .values(**values).execution_options(synchronize_session=False))


def segment_row(session: Session, actor: Actor, segment_id: object) -> CustomerSegment:
    require_admin(actor)
    return org_row(session, CustomerSegment, segment_id, actor, "segment")


def _names(session: Session, model, ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i}
    return dict(session.execute(select(model.id, model.name).where(model.id.in_(ids))).all()) if ids else {}


def to_dtos(session: Session, campaigns: list[Campaign]) -> list[CampaignDTO]:
    """The campaigns as the pages show them: their template's, segment's and author's names and their
    sent counts read for all of them at once (a list page is one query each, not one per row)."""
    ids = [c.id for c in campaigns]
    sent = dict(session.execute(
        select(OutboxMessage.campaign_id, func.count())
        .where(OutboxMessage.campaign_id.in_(ids), OutboxMessage.status.in_(("sent", LOGGED_ONLY)))
        .group_by(OutboxMessage.campaign_id)).all()) if ids else {}
    templates = _names(session, MessageTemplate, {c.template_id for c in campaigns})
    segments = _names(session, CustomerSegment, {c.segment_id for c in campaigns})
    authors = _names(session, User, {c.created_by for c in campaigns})
    return [
        CampaignDTO(
            id=c.id, name=c.name, status=c.status, template_id=c.template_id,
            template_name=templates.get(c.template_id, ""), subject=c.subject, segment_id=c.segment_id,
            segment_name=segments.get(c.segment_id, ""), query=c.query, scheduled_at=c.scheduled_at,
            started_at=c.started_at, finished_at=c.finished_at, recipients=c.recipients,
            excluded=c.excluded, sent=sent.get(c.id, 0), job_id=c.job_id,
            created_by_name=authors.get(c.created_by, ""), created_at=c.created_at,
        )
        for c in campaigns
    ]


def to_dto(session: Session, campaign: Campaign) -> CampaignDTO:
    return to_dtos(session, [campaign])[0]
