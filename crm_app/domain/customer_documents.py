"""What a customer is worth to the business, as his profile shows it: his purchase figures and his
latest orders, sales and leads (services/customer_documents.py reads them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

# The profile lists this many of each; "see all" opens the list filtered on the customer.
LATEST = 5


@dataclass(frozen=True)
class PurchaseFigures:
    sales_count: int
    amount_spent: Decimal
    last_purchase_at: datetime | None  # None: he never bought
    open_orders: int
    open_credit: Decimal  # his completed credit sales not yet paid


@dataclass(frozen=True)
class OrderBrief:
    id: int
    number: int
    type_name: str
    type_color: str  # "#rrggbb"
    status: str
    total: Decimal
    currency: str
    created_at: datetime


@dataclass(frozen=True)
class SaleBrief:
    id: int
    number: int
    payment_method: str
    status: str
    total: Decimal
    currency: str
    created_at: datetime
    credit_paid: bool | None  # a credit sale: settled or not; None for the other methods


@dataclass(frozen=True)
class LeadBrief:
    id: int
    name: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class CustomerDocuments:
    figures: PurchaseFigures
    orders: tuple[OrderBrief, ...]
    sales: tuple[SaleBrief, ...]
    leads: tuple[LeadBrief, ...]
