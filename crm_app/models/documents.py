"""Orders and sales (the documents a customer's value is read from) and their numbering.

Amounts are exact ``NUMERIC`` read back as ``Decimal`` (``DecimalNumeric``), in the organization's
currency, with at most its minor units (``domain.documents``). A document's totals are computed once by
the service from its lines and stored, so lists and the customer's figures never re-add lines.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_app.models.audit import AuditTrail, active_index, partial_index
from crm_app.models.types import DecimalNumeric, UTCDateTime

MONEY = (14, 2)  # up to 999,999,999,999.99: no currency of the region has more than 2 minor units
QUANTITY = (12, 3)  # 1.5 kg, 0.25 h
PERCENT = (5, 2)


def _money(nullable: bool = False) -> Column:
    return Column(DecimalNumeric(*MONEY), nullable=nullable, server_default=None if nullable else "0")


class DocumentCounter(SQLModel, table=True):
    """The last number given to a kind of document ("order", "sale") in an organization: one row,
    incremented in the creating transaction, so numbers are sequential and never reused."""

    __tablename__ = "document_counter"
    __table_args__ = (UniqueConstraint("organization_id", "kind", name="uq_document_counter_org_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    kind: str = Field(max_length=16)
    last_number: int = Field(default=0)


class LineColumns(SQLModel):
    """What an order line and a sale line share (declared by type: a mixin's Column would be shared)."""

    organization_id: int = Field(foreign_key="organization.id")
    position: int = Field(default=0)
    description: str = Field(max_length=200)
    quantity: Decimal = Field(sa_type=DecimalNumeric(*QUANTITY), nullable=False)
    unit_price: Decimal = Field(sa_type=DecimalNumeric(*MONEY), nullable=False)
    discount_percent: Decimal = Field(default=Decimal(0), sa_type=DecimalNumeric(*PERCENT), nullable=False)
    line_total: Decimal = Field(sa_type=DecimalNumeric(*MONEY), nullable=False)


class TotalsColumns(SQLModel):
    """A document's totals as the service computed them from its lines (domain.documents.totals)."""

    subtotal: Decimal = Field(default=Decimal(0), sa_type=DecimalNumeric(*MONEY), nullable=False)
    # The document's own discount: an order takes the client's personal discount by default.
    discount_percent: Decimal = Field(default=Decimal(0), sa_type=DecimalNumeric(*PERCENT), nullable=False)
    discount_amount: Decimal = Field(default=Decimal(0), sa_type=DecimalNumeric(*MONEY), nullable=False)
    total: Decimal = Field(default=Decimal(0), sa_type=DecimalNumeric(*MONEY), nullable=False)
    currency: str = Field(max_length=3)


class Order(AuditTrail, TotalsColumns, table=True):
    """A work order (repair, service, subscription)."""

    __tablename__ = "sales_order"  # "order" is an SQL keyword
    __table_args__ = (
        UniqueConstraint("organization_id", "number", name="uq_sales_order_org_number"),
        # Newest first (ids grow with time), optionally narrowed by status, type, assignee or client.
        Index("ix_sales_order_org_id", "organization_id", "id"),
        Index("ix_sales_order_org_status_id", "organization_id", "status", "id"),
        Index("ix_sales_order_org_type_id", "organization_id", "order_type_id", "id"),
        Index("ix_sales_order_org_assignee_id", "organization_id", "assignee_id", "id"),
        Index("ix_sales_order_org_customer_id", "organization_id", "customer_id", "id"),
        Index("ix_sales_order_org_created", "organization_id", "created_at", "id"),
        # The panel's workload (0014): each assignee's active orders by status, from the index alone.
        active_index("ix_sales_order_org_assignee_status", "organization_id", "assignee_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    number: int
    order_type_id: int = Field(sa_column=Column(Integer, ForeignKey("order_type.id"), nullable=False))
    customer_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("customer.id"), nullable=True)
    )
    status: str = Field(default="open", max_length=16)
    due_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    assignee_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=True)
    )
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OrderLine(LineColumns, table=True):
    __tablename__ = "sales_order_line"
    __table_args__ = (Index("ix_sales_order_line_order", "order_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(sa_column=Column(Integer, ForeignKey("sales_order.id"), nullable=False))


class Sale(AuditTrail, TotalsColumns, table=True):
    """A retail receipt at the counter. A credit sale stays open (``paid_at`` empty) until settled."""

    __tablename__ = "sale"
    __table_args__ = (
        UniqueConstraint("organization_id", "number", name="uq_sale_org_number"),
        Index("ix_sale_org_id", "organization_id", "id"),
        Index("ix_sale_org_status_id", "organization_id", "status", "id"),
        Index("ix_sale_org_method_id", "organization_id", "payment_method", "id"),
        Index("ix_sale_org_seller_id", "organization_id", "created_by", "id"),
        Index("ix_sale_org_customer_id", "organization_id", "customer_id", "id"),
        Index("ix_sale_org_created", "organization_id", "created_at", "id"),
        # What each client owes: his open credit sales only (customer_totals.open_credit).
        partial_index(
            "ix_sale_open_credit", "organization_id", "customer_id",
            where="payment_method = 'credit' AND status = 'completed' AND paid_at IS NULL"
                  " AND deleted_at IS NULL",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    number: int
    customer_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("customer.id"), nullable=True)
    )
    payment_method: str = Field(max_length=16)
    status: str = Field(default="completed", max_length=16)  # completed | cancelled
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # credit sales: when settled
    # Over the client's credit limit: the admin who confirmed it.
    credit_approved_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=True)
    )
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class SaleLine(LineColumns, table=True):
    __tablename__ = "sale_line"
    __table_args__ = (Index("ix_sale_line_sale", "sale_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    sale_id: int = Field(sa_column=Column(Integer, ForeignKey("sale.id"), nullable=False))


__all__ = ["DocumentCounter", "Order", "OrderLine", "Sale", "SaleLine"]
