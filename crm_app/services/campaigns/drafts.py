"""A campaign before it starts: created, edited and deleted as a draft; read, listed, and tried on the
admin himself (the test send) at any time."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy import select
from sqlmodel import Session

from crm_app.db import session_scope
from crm_app.domain.campaigns import EDITABLE, MAX_NAME, CampaignDTO, CampaignInput, CampaignPage
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from crm_app.domain.text import clean_line
from crm_app.i18n import t
from crm_app.models import Campaign, Customer, MessageTemplate, Organization
from crm_app.models.types import utcnow
from crm_app.services import messaging
from crm_app.services.campaigns.audience import first_addresses
from crm_app.services.campaigns.records import campaign_row, require_admin, segment_row, to_dto, to_dtos
from crm_app.services.campaigns.segments import normalize_query
from crm_app.services.customer_selection import walk_segment
from crm_app.services.template_render import render_message
from crm_app.services.tenancy import org_ref

MAX_PAGE = 100


def email_template(session: Session, org_id: int, template_id: object) -> MessageTemplate | None:
    template = org_ref(session, MessageTemplate, template_id, org_id)
    return template if template is not None and template.channel == "email" else None


def _checked(session: Session, actor: Actor, data: CampaignInput) -> dict:
    """The draft's columns from the form, or ValidationFailed naming each bad field."""
    errors: dict[str, FieldError] = {}
    name = clean_line(data.name or "")
    if not name:
        errors["name"] = FieldError("required")
    elif len(name) > MAX_NAME:
        errors["name"] = FieldError("too_long", max=MAX_NAME)
    if data.template_id is None:
        errors["template_id"] = FieldError("required")
    elif email_template(session, actor.organization_id, data.template_id) is None:
        errors["template_id"] = FieldError("camp_template_not_email")
    query = normalize_query(data.query)
    if data.segment_id is not None:
        try:
            query = segment_row(session, actor, data.segment_id).query
        except NotFound:  # another organization's, or deleted: refused next to its field
            errors["segment"] = FieldError("camp_segment_unknown")
    if errors:
        raise ValidationFailed(errors)
    return {"name": name, "template_id": data.template_id, "segment_id": data.segment_id, "query": query}


def create_campaign(*, session: Session, actor: Actor, data: CampaignInput) -> CampaignDTO:
    require_admin(actor)
    campaign = Campaign(organization_id=actor.organization_id, created_by=actor.user_id,
                        **_checked(session, actor, data))
    session.add(campaign)
    session.flush()
    return to_dto(session, campaign)


def _draft(session: Session, actor: Actor, campaign_id: int) -> Campaign:
    campaign = campaign_row(session, actor, campaign_id, lock=True)
    if campaign.status not in EDITABLE:
        raise Conflict("camp_not_draft")
    return campaign


def update_campaign(*, session: Session, actor: Actor, campaign_id: int, data: CampaignInput) -> CampaignDTO:
    campaign = _draft(session, actor, campaign_id)
    for column, value in _checked(session, actor, data).items():
        setattr(campaign, column, value)
    campaign.updated_at = utcnow()
    session.add(campaign)
    session.flush()
    return to_dto(session, campaign)


def delete_campaign(*, session: Session, actor: Actor, campaign_id: int) -> None:
    """Only a draft: a campaign that sent anything stays, as the record of what went."""
    session.delete(_draft(session, actor, campaign_id))


def get_campaign(*, session: Session, actor: Actor, campaign_id: int) -> CampaignDTO:
    return to_dto(session, campaign_row(session, actor, campaign_id))


def list_campaigns(*, session: Session, actor: Actor, after: str = "", limit: int = 50) -> CampaignPage:
    """Newest first, keyset paged by id."""
    require_admin(actor)
    if after and not (after.isdigit() and len(after) <= 12):
        raise ValidationFailed({"after": FieldError("cursor_invalid")})
    limit = max(1, min(int(limit), MAX_PAGE))
    query = select(Campaign).where(Campaign.organization_id == actor.organization_id)
    if after:
        query = query.where(Campaign.id < int(after))
    rows = list(session.execute(query.order_by(Campaign.id.desc()).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return CampaignPage(rows=tuple(to_dtos(session, rows)),
                        next_cursor=str(rows[-1].id) if more else "")


def _sample_customer(session: Session, actor: Actor, query: str) -> Customer | None:
    """The segment's first page's first customer with an e-mail that accepts mail (None if none there):
    the test shows his placeholders."""
    first_page = walk_segment(partial(session_scope, session.get_bind()), actor, query)
    ids = next((ids for ids, _ in first_page), [])
    found = first_addresses(session, ids) if ids else {}
    return next((session.get(Customer, i) for i in ids if i in found), None)


def send_test(*, session: Session, actor: Actor, campaign_id: int) -> str:
    """The campaign's e-mail, rendered for the segment's first customer, to the admin's own address
    ("[Prueba] ..."); nothing is recorded on any customer. Returns the address it went to."""
    campaign = campaign_row(session, actor, campaign_id)
    template = email_template(session, actor.organization_id, campaign.template_id)
    if template is None:
        raise ValidationFailed({"template_id": FieldError("required")})
    org = session.get(Organization, actor.organization_id)
    customer = _sample_customer(session, actor, campaign.query)
    rendered = render_message("email", template.subject, template.body,
                              messaging.template_context(org, actor, customer))
    subject = f"{t('camp_test_prefix', actor.language)} {rendered.subject}"
    messaging.enqueue(session, organization_id=org.id, channel="email", recipient=actor.email,
                      subject=subject, body=rendered.body, html=True, created_by=actor.user_id)
    return actor.email


def scheduled_moment(scheduled_at: datetime | None) -> datetime | None:
    """A start time in the future, or ValidationFailed on "scheduled_at"."""
    if scheduled_at is not None and scheduled_at <= utcnow():
        raise ValidationFailed({"scheduled_at": FieldError("camp_schedule_past")})
    return scheduled_at
