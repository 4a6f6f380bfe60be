"""The "campaign_send" job: fix a campaign's recipients and queue their messages at the pace.

It walks the segment page by page (the list's own search, as the form counted it), and for each page,
in one transaction: every customer's first e-mail with consent becomes a recipient (an address once per
campaign), his message is rendered and queued with its unsubscribe link at the next slot of the pace,
and his feed records it. A customer already a recipient (a run cut short, then resumed) is skipped, so
running it again finishes the work without sending twice. Each page checks the campaign is still being
prepared: a pause or a cancel stops it there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.i18n import t
from crm_app.models import Campaign, CampaignRecipient, Customer, Organization, OutboxMessage, User
from crm_app.models.types import utcnow
from crm_app.services import feed, messaging
from crm_app.services.auth import actor_for
from crm_app.services.campaigns.audience import first_addresses
from crm_app.services.campaigns.completion import finish_if_complete
from crm_app.services.campaigns.pacing import first_slot, interval, respace_paused
from crm_app.services.campaigns.records import locked, set_message_status
from crm_app.services.campaigns.unsubscribe import unsubscribe_url
from crm_app.services.customer_selection import walk_segment
from crm_app.services.template_render import render_message

OpenSession = Callable[[], AbstractContextManager[Session]]
Progress = Callable[..., None]


def _footer(url: str, lang: str) -> str:
    return ('<p style="font-size:12px;color:#555">'
            f'{t("camp_footer", lang)} <a href="{url}">{t("camp_footer_link", lang)}</a></p>')


def _preparing(session: Session, campaign_id: int) -> Campaign | None:
    """The campaign, locked for this batch, if it is still being prepared."""
    campaign = locked(session, campaign_id)
    return campaign if campaign is not None and campaign.status == "preparing" else None


def _queue_one(session: Session, org: Organization, sender: Actor, campaign: Campaign, customer: Customer,
               address: str, slot) -> None:
    recipient = CampaignRecipient(organization_id=org.id, campaign_id=campaign.id, customer_id=customer.id,
                                  address=address)
    session.add(recipient)
    session.flush()
    url = unsubscribe_url(recipient.id)
    status, error, subject, body = "queued", "", campaign.subject, ""
    try:
        rendered = render_message("email", campaign.subject, campaign.body,
                                  messaging.template_context(org, sender, customer))
        subject, body = rendered.subject, rendered.body + _footer(url, org.language)
    except ValidationFailed as exc:  # this customer's values broke the template: recorded, not sent
        status, error = "failed", f"template: {', '.join(sorted(exc.errors))}"
    message = OutboxMessage(organization_id=org.id, customer_id=customer.id, channel="email",
                            recipient=address, subject=subject[:200], body=body, html=True, status=status,
                            last_error=error, next_attempt_at=slot, created_by=campaign.created_by,
                            campaign_id=campaign.id, unsubscribe_url=url)
    session.add(message)
    session.flush()
    recipient.message_id = message.id
    feed.record_event(session, organization_id=org.id, customer_id=customer.id, actor_id=campaign.created_by,
                      kind="message", ref_id=message.id, flush=False,
                      data={"channel": "email", "recipient": address, "campaign_id": campaign.id,
                            "campaign": campaign.name})


def _batch(session: Session, campaign_id: int, ids: list[int], sender: Actor) -> int | None:
    """Queue one page's messages; returns the customers left out for want of consent, or None when the
    campaign is no longer being prepared (paused or cancelled meanwhile)."""
    campaign = _preparing(session, campaign_id)
    if campaign is None:
        return None
    org = session.get(Organization, campaign.organization_id)
    done = set(session.execute(select(CampaignRecipient.customer_id).where(
        CampaignRecipient.campaign_id == campaign_id, CampaignRecipient.customer_id.in_(ids))).scalars())
    addresses = first_addresses(session, ids)
    taken = set(session.execute(select(CampaignRecipient.address).where(
        CampaignRecipient.campaign_id == campaign_id,
        CampaignRecipient.address.in_(list(addresses.values()) or [""]))).scalars())
    customers = {c.id: c for c in session.execute(select(Customer).where(Customer.id.in_(ids))).scalars()}
    slot, step = first_slot(session, org), interval(org)
    for customer_id in ids:
        address = addresses.get(customer_id)
        if customer_id in done or address is None or address in taken or customer_id not in customers:
            continue
        _queue_one(session, org, sender, campaign, customers[customer_id], address, slot)
        taken.add(address)
        slot += step
    session.flush()
    return sum(1 for i in ids if i not in addresses)


def _count(open_session: OpenSession, sender: Actor, query: str) -> int:
    return sum(len(ids) for ids, _ in walk_segment(open_session, sender, query))


def run_send(campaign_id: int, open_session: OpenSession, progress: Progress, *,
             prepared: bool = False) -> dict[str, Any]:
    """The job's work (see the module's docstring); returns its result for the job row. ``prepared``:
    a resumed campaign whose recipients were all queued: only its paused messages are spaced again."""
    with open_session() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or campaign.status != "preparing":
            return {"skipped": campaign.status if campaign else "missing"}
        sender = actor_for(session.get(User, campaign.created_by))
        query, org_id = campaign.query, campaign.organization_id
        walked, excluded = campaign.recipients + campaign.excluded, campaign.excluded
    respace_paused(open_session, org_id, campaign_id)
    if not prepared:
        done, excluded = _walk(campaign_id, open_session, progress, sender, query)
        if done is None:  # stopped: ``excluded`` holds how many were walked
            return {"customers": excluded, "stopped": True}
        walked = done
    return _sending(open_session, campaign_id, walked, excluded)


def _walk(campaign_id: int, open_session: OpenSession, progress: Progress, sender: Actor,
          query: str) -> tuple[int | None, int]:
    """Queue the segment's messages page by page: (customers walked, left out), or (None, walked) when
    the campaign stopped being prepared meanwhile."""
    total = _count(open_session, sender, query)
    progress(0, total)
    walked = excluded = 0
    for ids, _cursor in walk_segment(open_session, sender, query):
        with open_session() as session:
            left_out = _batch(session, campaign_id, ids, sender)
        if left_out is None:  # paused or cancelled meanwhile: the campaign already says so
            return None, walked
        walked, excluded = walked + len(ids), excluded + left_out
        progress(walked, max(total, walked))
    return walked, excluded


def _sending(open_session: OpenSession, campaign_id: int, walked: int, excluded: int) -> dict[str, Any]:
    """Prepared: the campaign sends (or is done, with nothing left to send)."""
    with open_session() as session:
        campaign = _preparing(session, campaign_id)
        if campaign is None:
            return {"customers": walked, "stopped": True}
        campaign.recipients = session.execute(select(func.count()).select_from(CampaignRecipient).where(
            CampaignRecipient.campaign_id == campaign_id)).scalar_one()
        campaign.excluded, campaign.status, campaign.updated_at = excluded, "sending", utcnow()
        session.add(campaign)
        session.flush()
        finish_if_complete(session, campaign_id)  # nothing to send (every message failed, none at all)
    return {"customers": walked, "excluded": excluded}


def job_ended(session: Session, job, status: str) -> None:
    """A preparation that failed or whose worker died leaves its campaign paused, with what it queued
    held back: the admin resumes it (the work carries on from where it stopped) or cancels it."""
    if status in ("done", "cancelled"):
        return
    campaign_id = json.loads(job.payload or "{}").get("campaign_id")
    campaign = session.get(Campaign, campaign_id) if campaign_id else None
    if campaign is not None and campaign.status == "preparing" and campaign.job_id == job.id:
        campaign.status, campaign.updated_at = "paused", utcnow()
        session.add(campaign)
        set_message_status(session, campaign.id, ("queued",), "paused")
