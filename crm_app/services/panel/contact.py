"""Contactability: of the active customers, how many have a mobile, WhatsApp, e-mail consent, any
consent, and how many cannot be reached at all. One grouped read of the phones and consenting e-mails,
made by the refresh job (a million customers is seconds); the panel shows the summary's figures."""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal, or_, select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.panel import ContactTile
from crm_app.models import Customer, CustomerEmail, CustomerPhone
from crm_app.services.panel.context import href, reader
from crm_app.services.panel.counts import contact_of, summary_of

FIGURES = ("total", "mobile", "whatsapp", "email_consent", "any_consent", "unreachable")


def _flag(condition) -> object:
    return func.max(case((condition, 1), else_=0))


def count_contact(session: Session, organization_id: int) -> dict[str, int]:
    """The figures of :data:`FIGURES`, counted now."""
    phones = (
        select(CustomerPhone.customer_id.label("customer_id"),
               _flag(CustomerPhone.kind == "mobile").label("mobile"),
               _flag(CustomerPhone.whatsapp).label("whatsapp"),
               _flag(or_(CustomerPhone.whatsapp, CustomerPhone.sms)).label("message"))
        .where(CustomerPhone.organization_id == organization_id)
        .group_by(CustomerPhone.customer_id).subquery())
    mails = (select(CustomerEmail.customer_id.label("customer_id"), literal(1).label("consent"))
             .where(CustomerEmail.organization_id == organization_id, CustomerEmail.accepts_email)
             .group_by(CustomerEmail.customer_id).subquery())
    consent = mails.c.consent.is_not(None)

    def total(condition) -> object:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = session.execute(
        select(func.count(), total(phones.c.mobile == 1), total(phones.c.whatsapp == 1), total(consent),
               total(or_(consent, phones.c.message == 1)),
               total(and_(phones.c.customer_id.is_(None), mails.c.customer_id.is_(None))))
        .select_from(Customer)
        .outerjoin(phones, phones.c.customer_id == Customer.id)
        .outerjoin(mails, mails.c.customer_id == Customer.id)
        .where(Customer.organization_id == organization_id, Customer.deleted_at.is_(None))).one()
    return {name: int(value or 0) for name, value in zip(FIGURES, row, strict=True)}


def contact(*, session: Session, actor: Actor) -> ContactTile:
    """The summary's figures; counted live for an organization never summarized (a new, small one)."""
    who = reader(session, actor)
    summary = summary_of(session, who.organization_id)
    figures = contact_of(summary) if summary is not None else count_contact(session, who.organization_id)
    return ContactTile(
        **{name: int(figures.get(name, 0)) for name in FIGURES},
        unreachable_href=href("/customers", reach="none"),
        as_of=summary.refreshed_at if summary is not None else None)
