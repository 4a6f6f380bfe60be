"""A customer's value on his profile: his purchase figures (services/customer_totals) and his latest
orders, sales and leads.

Six short queries whatever his history: the customer row, his open orders and open credit, and the
latest ``LATEST`` of each kind read newest first along the (organization_id, customer_id, id) indexes
(leads: (organization_id, customer_id), a customer has few). Deleted documents are left out, as the
lists leave them out.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.customer_documents import (
    LATEST,
    CustomerDocuments,
    LeadBrief,
    OrderBrief,
    PurchaseFigures,
    SaleBrief,
)
from crm_app.domain.dto import Actor
from crm_app.models import Lead, Order, OrderType, Sale
from crm_app.services.customer_dto import customer_row
from crm_app.services.customer_totals import totals_of


def customer_documents(*, session: Session, actor: Actor, customer_id: int) -> CustomerDocuments:
    """The profile's purchase section for a customer of the actor's organization (trashed ones too, as
    the profile shows them); another organization's customer is NotFound("customer")."""
    customer = customer_row(session, actor, customer_id)
    totals = totals_of(session, customer)
    org = actor.organization_id
    return CustomerDocuments(
        figures=PurchaseFigures(
            sales_count=totals.sales_count,
            amount_spent=totals.amount_spent,
            last_purchase_at=totals.last_purchase_at,
            open_orders=totals.open_orders,
            open_credit=totals.open_credit,
        ),
        orders=_orders(session, org, customer.id),
        sales=_sales(session, org, customer.id),
        leads=_leads(session, org, customer.id),
    )


def _orders(session: Session, org: int, customer_id: int) -> tuple[OrderBrief, ...]:
    rows = session.execute(
        select(Order.id, Order.number, OrderType.name, OrderType.color, Order.status, Order.total,
               Order.currency, Order.created_at)
        .join(OrderType, OrderType.id == Order.order_type_id)
        .where(Order.organization_id == org, Order.customer_id == customer_id, Order.deleted_at.is_(None))
        .order_by(Order.id.desc())
        .limit(LATEST)
    ).all()
    return tuple(OrderBrief(*row) for row in rows)


def _sales(session: Session, org: int, customer_id: int) -> tuple[SaleBrief, ...]:
    rows = session.execute(
        select(Sale.id, Sale.number, Sale.payment_method, Sale.status, Sale.total, Sale.currency,
               Sale.created_at, Sale.paid_at)
        .where(Sale.organization_id == org, Sale.customer_id == customer_id, Sale.deleted_at.is_(None))
        .order_by(Sale.id.desc())
        .limit(LATEST)
    ).all()
    return tuple(
        SaleBrief(id=r.id, number=r.number, payment_method=r.payment_method, status=r.status, total=r.total,
                  currency=r.currency, created_at=r.created_at,
                  credit_paid=(r.paid_at is not None) if r.payment_method == "credit" else None)
        for r in rows
    )


def _leads(session: Session, org: int, customer_id: int) -> tuple[LeadBrief, ...]:
    rows = session.execute(
        select(Lead.id, Lead.name, Lead.status, Lead.created_at)
        .where(Lead.organization_id == org, Lead.customer_id == customer_id, Lead.deleted_at.is_(None))
        .order_by(Lead.id.desc())
        .limit(LATEST)
    ).all()
    return tuple(LeadBrief(*row) for row in rows)
