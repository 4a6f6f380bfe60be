"""Sales (a retail receipt at the counter) without a database: what the form sends, how it is checked,
the credit rule, and what the pages read.

The lines, totals, statuses and payment methods are the documents' (``domain.documents``). What only a
sale has: a client is optional (a counter sale) except for a credit sale, and a credit sale must fit in
what the client still has of his credit limit (``credit_refusal``), or be confirmed by an admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from crm_app.domain.documents import (
    PAYMENT_METHODS,
    Line,
    LineInput,
    Totals,
    clean_lines,
    clean_percent,
    credit_available,
    over_credit_limit,
    totals,
)
from crm_app.domain.errors import FieldError
from crm_app.domain.text import clean_text

MAX_NOTES = 2000


@dataclass(frozen=True)
class SaleInput:
    """A sale as the form sends it. ``discount_percent`` None takes the client's personal discount."""

    customer_id: int | None = None
    lines: tuple[LineInput, ...] = ()
    discount_percent: str | None = None
    payment_method: str = "cash"
    notes: str = ""


@dataclass(frozen=True)
class CleanSale:
    lines: tuple[Line, ...]
    totals: Totals
    payment_method: str
    notes: str


def clean_sale(
    data: SaleInput, currency: str, client_discount: Decimal, errors: dict[str, FieldError]
) -> CleanSale:
    """The sale's own values checked (every error at once, added to ``errors``); the client is the
    database's to check."""
    line_errors: dict[str, FieldError] = {}  # its own: "no lines" is said only when no line is wrong
    lines = clean_lines(list(data.lines), currency, line_errors)
    errors.update(line_errors)
    if data.discount_percent is None:
        discount = client_discount
    else:
        discount = clean_percent(data.discount_percent, "discount_percent", errors)
    if data.payment_method not in PAYMENT_METHODS:
        errors["payment_method"] = FieldError("sale_method_invalid")
    notes = clean_text(data.notes or "")
    if len(notes) > MAX_NOTES:
        errors["notes"] = FieldError("too_long", max=MAX_NOTES)
    return CleanSale(tuple(lines), totals(lines, discount, currency), data.payment_method, notes[:MAX_NOTES])


def credit_refusal(
    credit_limit: Decimal | None, owed: Decimal, total: Decimal, currency: str, *, admin: bool
) -> FieldError | None:
    """Why a credit sale of ``total`` may not be recorded as it is, or None when it fits.

    Past the limit (a client without one has none), a sales user is refused, with the limit, what is
    owed and what is left; an admin is asked to confirm, with the same figures and the sale's total.
    The amounts stay Decimal with their currency: the page formats them in the reader's language."""
    if not over_credit_limit(credit_limit, owed, total):
        return None
    available = max(credit_available(credit_limit, owed) or Decimal(0), Decimal(0))
    figures = {"limit": credit_limit or Decimal(0), "owed": owed, "available": available, "total": total,
               "currency": currency}
    if admin:
        return FieldError("sale_credit_confirm", **figures)
    return FieldError("sale_credit_over_limit" if credit_limit else "sale_credit_no_limit", **figures)


@dataclass(frozen=True)
class CreditStatus:
    """What a client may still buy on credit, shown beside the payment method before the sale."""

    limit: Decimal | None  # None: no limit set, so no credit without an admin
    owed: Decimal
    available: Decimal


@dataclass(frozen=True)
class SaleDTO:
    id: int
    number: int
    customer_id: int | None
    customer_name: str
    seller_name: str  # created_by's name
    payment_method: str
    status: str
    paid_at: datetime | None
    credit_approved_by: int | None
    approver_name: str
    notes: str
    subtotal: Decimal
    discount_percent: Decimal
    discount_amount: Decimal
    total: Decimal
    currency: str
    version: int
    created_at: datetime
    lines: tuple[Line, ...] = field(default=())

    @property
    def credit_open(self) -> bool:
        """A credit sale not yet settled: it counts in what the client owes."""
        return self.payment_method == "credit" and self.status == "completed" and self.paid_at is None


@dataclass(frozen=True)
class SaleRow:
    """One line of the sale list: the names it shows, read with the page."""

    id: int
    number: int
    status: str
    payment_method: str
    customer_id: int | None
    customer_name: str
    seller_name: str
    total: Decimal
    currency: str
    created_at: datetime
    paid_at: datetime | None


@dataclass(frozen=True)
class SalePage:
    rows: tuple[SaleRow, ...]
    next_cursor: str
