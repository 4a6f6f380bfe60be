"""One-click unsubscribe from a campaign's e-mail: the link's token names the recipient (signed, see
domain/campaigns.py), and using it withdraws that address's consent, at once and for good.

No session is needed: the token is the capability. Everything happens in one transaction: the
customer's e-mail rows with that address stop accepting mail (consent_at records when, consent_source
"unsubscribe" how), the recipient row records the time, the organization's campaign messages to that
address still waiting are cancelled, and the customer's feed says he left, as his own doing. A second
use changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlmodel import Session

from crm_app.domain.campaigns import UNSUBSCRIBED, read_unsubscribe_token, unsubscribe_token
from crm_app.models import Campaign, CampaignRecipient, CustomerEmail, Organization, OutboxMessage
from crm_app.models.types import utcnow
from crm_app.services import feed
from crm_app.services.campaigns.completion import finish_if_complete
from crm_app.settings import get_settings


@dataclass(frozen=True)
class Unsubscribe:
    organization: str
    language: str
    masked_address: str  # "a***@example.com": the page confirms whose address without showing it all
    already: bool  # it had been used before: nothing changed now


def unsubscribe_url(recipient_id: int) -> str:
    settings = get_settings()
    return f"{settings.public_url}/api/unsubscribe/{unsubscribe_token(recipient_id, settings.secret_key)}"


def mask(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _recipient(session: Session, token: str) -> CampaignRecipient | None:
    recipient_id = read_unsubscribe_token(token, get_settings().secret_key)
    return session.get(CampaignRecipient, recipient_id) if recipient_id else None


def _answer(session: Session, recipient: CampaignRecipient, already: bool) -> Unsubscribe:
    org = session.get(Organization, recipient.organization_id)
    return Unsubscribe(organization=org.name, language=org.language, masked_address=mask(recipient.address),
                       already=already)


def describe(*, session: Session, token: str) -> Unsubscribe | None:
    """What the confirmation page shows; None for a token that is not one of ours."""
    recipient = _recipient(session, token)
    return None if recipient is None else _answer(session, recipient, recipient.unsubscribed_at is not None)


def unsubscribe(*, session: Session, token: str) -> Unsubscribe | None:
    """Withdraw the consent the token's recipient gave (see the module); None for a bad token."""
    recipient = _recipient(session, token)
    if recipient is None:
        return None
    now = utcnow()
    # Only the first use writes: two clicks at once (the mail client's and the page's) leave one event.
    first = session.execute(
        update(CampaignRecipient)
        .where(CampaignRecipient.id == recipient.id, CampaignRecipient.unsubscribed_at.is_(None))
        .values(unsubscribed_at=now).execution_options(synchronize_session=False)).rowcount
    if not first:
        return _answer(session, recipient, True)
    session.execute(
        update(CustomerEmail)
        .where(CustomerEmail.customer_id == recipient.customer_id, CustomerEmail.address == recipient.address)
        .values(accepts_email=False, consent_at=now, consent_source=UNSUBSCRIBED)
        .execution_options(synchronize_session=False))
    waiting = (OutboxMessage.organization_id == recipient.organization_id,
               OutboxMessage.recipient == recipient.address, OutboxMessage.campaign_id.is_not(None),
               OutboxMessage.status.in_(("queued", "paused")))
    campaigns = set(session.execute(select(OutboxMessage.campaign_id).where(*waiting)).scalars())
    session.execute(update(OutboxMessage).where(*waiting)
                    .values(status="cancelled", last_error="unsubscribed")
                    .execution_options(synchronize_session=False))
    for campaign_id in campaigns:  # its last waiting message may have been this one
        finish_if_complete(session, campaign_id)
    campaign = session.get(Campaign, recipient.campaign_id)
    feed.record_event(session, organization_id=recipient.organization_id, customer_id=recipient.customer_id,
                      actor_id=None, kind="unsubscribed",
                      data={"address": recipient.address, "campaign_id": campaign.id,
                            "campaign": campaign.name})
    return _answer(session, recipient, False)
