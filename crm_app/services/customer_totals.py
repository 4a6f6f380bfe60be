"""What a customer bought, kept on his row (``sales_count``, ``amount_spent``, ``last_purchase_at``) in
the same transaction as the sale that changes it, so that the profile and the list's sorts read three
columns instead of adding up his sales; and his open credit balance, read from his open credit sales.

A new sale adds itself (one UPDATE, no read); a cancelled one makes the row recomputed from the
customer's remaining sales (rare, and exact whatever happened before).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, select, update
from sqlmodel import Session

from crm_app.domain.documents import OPEN_ORDER_STATUSES
from crm_app.models import Customer, Order, Sale


@dataclass(frozen=True)
class CustomerTotals:
    sales_count: int
    amount_spent: Decimal
    last_purchase_at: datetime | None
    open_orders: int
    open_credit: Decimal


def add_sale(session: Session, customer_id: int, total: Decimal, sold_at: datetime) -> None:
    session.execute(
        update(Customer)
        .where(Customer.id == customer_id)
        .values(
            sales_count=Customer.sales_count + 1,
            amount_spent=Customer.amount_spent + total,
            last_purchase_at=case(
                (Customer.last_purchase_at.is_(None), sold_at),
                (Customer.last_purchase_at < sold_at, sold_at),
                else_=Customer.last_purchase_at,
            ),
        )
        .execution_options(synchronize_session=False)
    )


def recompute(session: Session, customer_id: int) -> None:
    """The customer's figures from his completed sales (after a cancellation, a merge...)."""
    count, spent, last = session.execute(
        select(func.count(), func.coalesce(func.sum(Sale.total), 0), func.max(Sale.created_at))
        .where(Sale.customer_id == customer_id, Sale.status == "completed", Sale.deleted_at.is_(None))
    ).one()
    session.execute(
        update(Customer)
        .where(Customer.id == customer_id)
        .values(sales_count=count, amount_spent=Decimal(str(spent)), last_purchase_at=last)
        .execution_options(synchronize_session=False)
    )


def open_credit(session: Session, organization_id: int, customer_id: int) -> Decimal:
    """What the customer owes: his completed credit sales not yet paid (ix_sale_open_credit holds just
    those, so a client with thousands of paid sales costs the same as a new one)."""
    owed = session.execute(
        select(func.coalesce(func.sum(Sale.total), 0)).where(
            Sale.organization_id == organization_id,
            Sale.customer_id == customer_id,
            Sale.payment_method == "credit",
            Sale.status == "completed",
            Sale.paid_at.is_(None),
            Sale.deleted_at.is_(None),
        )
    ).scalar_one()
    return Decimal(str(owed)).quantize(Decimal("0.01"))


def totals_of(session: Session, customer: Customer) -> CustomerTotals:
    """The profile's figures: the row's three columns, his open orders and his open credit."""
    open_orders = session.execute(
        select(func.count()).select_from(Order).where(
            Order.organization_id == customer.organization_id,
            Order.customer_id == customer.id,
            Order.status.in_(OPEN_ORDER_STATUSES),
            Order.deleted_at.is_(None),
        )
    ).scalar_one()
    return CustomerTotals(
        sales_count=customer.sales_count,
        amount_spent=customer.amount_spent,
        last_purchase_at=customer.last_purchase_at,
        open_orders=open_orders,
        open_credit=open_credit(session, customer.organization_id, customer.id),
    )
