"""A campaign's report: its messages counted by status, and its recipients page by page.

A recipient's status is his message's ("sending" reads "queued"), or "unsubscribed" once he used the
link. Pages follow the messages' ids (one message a recipient, made in the same order), so a status
filter reads the (campaign, status) index of the outbox rather than every recipient.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.domain.campaigns import RECIPIENT_STATUSES, RecipientPage, RecipientRow
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.models import CampaignRecipient, Customer, OutboxMessage
from crm_app.services.campaigns.records import campaign_row

MAX_PAGE = 100
_AS = {"sending": "queued"}
_STATUSES_OF = {"queued": ("queued", "sending")}


def report(*, session: Session, actor: Actor, campaign_id: int) -> dict[str, int]:
    campaign = campaign_row(session, actor, campaign_id)
    counts = dict.fromkeys(RECIPIENT_STATUSES, 0)
    for status, count in session.execute(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.campaign_id == campaign.id)
        .group_by(OutboxMessage.status)
    ).all():
        key = _AS.get(status, status)
        counts[key] = counts.get(key, 0) + count
    counts["unsubscribed"] = session.execute(
        select(func.count()).select_from(CampaignRecipient).where(
            CampaignRecipient.campaign_id == campaign.id, CampaignRecipient.unsubscribed_at.is_not(None))
    ).scalar_one()
    return counts


def list_recipients(
    *, session: Session, actor: Actor, campaign_id: int, status: str = "", after: str = "", limit: int = 50,
) -> RecipientPage:
    campaign = campaign_row(session, actor, campaign_id)
    if status and status not in RECIPIENT_STATUSES:
        raise ValidationFailed({"status": FieldError("invalid_choice")})
    if after and not (after.isdigit() and len(after) <= 12):
        raise ValidationFailed({"after": FieldError("cursor_invalid")})
    limit = max(1, min(int(limit), MAX_PAGE))
    r, m = CampaignRecipient, OutboxMessage
    query = (select(r.id, r.customer_id, Customer.display_name, r.address, m.id, m.status, m.last_error,
                    m.sent_at, r.unsubscribed_at)
             .join(m, m.id == r.message_id).join(Customer, Customer.id == r.customer_id)
             .where(m.campaign_id == campaign.id))
    if status == "unsubscribed":
        query = query.where(r.unsubscribed_at.is_not(None))
    elif status:
        query = query.where(m.status.in_(_STATUSES_OF.get(status, (status,))), r.unsubscribed_at.is_(None))
    if after:
        query = query.where(m.id > int(after))
    rows = session.execute(query.order_by(m.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return RecipientPage(
        rows=tuple(
            RecipientRow(id=rid, customer_id=cid, customer_name=name, address=address,
                         status="unsubscribed" if unsubscribed else _AS.get(st, st), error=error or "",
                         sent_at=sent_at, unsubscribed_at=unsubscribed)
            for rid, cid, name, address, _mid, st, error, sent_at, unsubscribed in rows
        ),
        next_cursor=str(rows[-1][4]) if more else "",
    )
