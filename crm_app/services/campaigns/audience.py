"""Who a campaign reaches: the customers the list's filters select (the list's own search, page by
page, so the segment is exactly what the list shows: services/customer_selection.walk_segment), each by
his first e-mail that accepts mail.

The count for the form's preview walks at most AUDIENCE_CAP customers and says so when it stopped
there; the preparation job walks them all, in batches, with its progress.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.db import session_scope
from crm_app.domain.campaigns import Audience
from crm_app.domain.dto import Actor
from crm_app.models import CustomerEmail
from crm_app.services.campaigns.records import require_admin
from crm_app.services.customer_selection import walk_segment

AUDIENCE_CAP = 50_000


def first_addresses(session: Session, customer_ids: list[int]) -> dict[int, str]:
    """Each customer's first e-mail (by position) that accepts mail; customers with none are absent."""
    rows = session.execute(
        select(CustomerEmail.customer_id, CustomerEmail.address)
        .where(CustomerEmail.customer_id.in_(customer_ids), CustomerEmail.accepts_email.is_(True))
        .order_by(CustomerEmail.customer_id, CustomerEmail.position, CustomerEmail.id)
    ).all()
    found: dict[int, str] = {}
    for customer_id, address in rows:
        found.setdefault(customer_id, address)
    return found


def _with_consent(session: Session, customer_ids: list[int]) -> int:
    return session.execute(
        select(func.count(func.distinct(CustomerEmail.customer_id)))
        .where(CustomerEmail.customer_id.in_(customer_ids), CustomerEmail.accepts_email.is_(True))
    ).scalar_one()


def audience(*, session: Session, actor: Actor, query: str) -> Audience:
    """How many customers the filters select, and how many of them a campaign reaches. Past
    AUDIENCE_CAP customers it stops counting: ``complete`` is then False ("at least")."""
    require_admin(actor)
    short_session = partial(session_scope, session.get_bind())
    customers = addresses = 0
    for ids, _cursor in walk_segment(short_session, actor, query):
        customers += len(ids)
        with short_session() as page_session:
            addresses += _with_consent(page_session, ids)
        if customers >= AUDIENCE_CAP:
            return Audience(customers=customers, addresses=addresses, excluded=customers - addresses,
                            complete=False)
    return Audience(customers=customers, addresses=addresses, excluded=customers - addresses)
