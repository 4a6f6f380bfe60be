"""Work orders without a database: what the form sends, how it is checked, and what the pages read.

The lines, totals and statuses are the documents' (``domain.documents``); here are the order's own
fields (type, client, due date, assignee, notes) and the rules only an order has: its client may wait
while it is open, and a walk-in type never needs one (``order_needs_client``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from crm_app.domain.documents import (
    Line,
    LineInput,
    Totals,
    clean_lines,
    clean_percent,
    totals,
)
from crm_app.domain.errors import FieldError
from crm_app.domain.text import clean_date, clean_text

MAX_NOTES = 5000


@dataclass(frozen=True)
class OrderInput:
    """An order as the form sends it. ``discount_percent`` None takes the client's personal discount."""

    order_type_id: int | None = None
    customer_id: int | None = None
    lines: tuple[LineInput, ...] = ()
    discount_percent: str | None = None
    due_date: str = ""  # YYYY-MM-DD, "" for none
    assignee_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class CleanOrder:
    lines: tuple[Line, ...]
    totals: Totals
    due_date: date | None
    notes: str


def clean_order(
    data: OrderInput, currency: str, client_discount: Decimal, errors: dict[str, FieldError]
) -> CleanOrder:
    """The order's own values checked (every error at once, added to ``errors``); the type, client and
    assignee are the database's to check."""
    line_errors: dict[str, FieldError] = {}  # its own: "no lines" is said only when no line is wrong
    lines = clean_lines(list(data.lines), currency, line_errors)
    errors.update(line_errors)
    if data.discount_percent is None:
        discount = client_discount
    else:
        discount = clean_percent(data.discount_percent, "discount_percent", errors)
    due = clean_date(data.due_date, "due_date", errors)
    notes = clean_text(data.notes or "")
    if len(notes) > MAX_NOTES:
        errors["notes"] = FieldError("too_long", max=MAX_NOTES)
    return CleanOrder(tuple(lines), totals(lines, discount, currency), due, notes[:MAX_NOTES])


@dataclass(frozen=True)
class OrderType:
    """An order type as the form offers it: its name, colour and whether it takes walk-in orders."""

    id: int
    name: str
    color: str
    walk_in_allowed: bool


@dataclass(frozen=True)
class OrderDTO:
    id: int
    number: int
    order_type_id: int
    type_name: str
    type_color: str
    walk_in_allowed: bool
    customer_id: int | None
    customer_name: str
    status: str
    due_date: date | None
    assignee_id: int | None
    assignee_name: str
    notes: str
    subtotal: Decimal
    discount_percent: Decimal
    discount_amount: Decimal
    total: Decimal
    currency: str
    version: int
    created_at: datetime
    updated_at: datetime
    lines: tuple[Line, ...] = field(default=())


@dataclass(frozen=True)
class OrderRow:
    """One line of the order list: the names it shows, read with the page."""

    id: int
    number: int
    status: str
    type_name: str
    type_color: str
    customer_id: int | None
    customer_name: str
    assignee_name: str
    due_date: date | None
    total: Decimal
    currency: str
    created_at: datetime


@dataclass(frozen=True)
class OrderPage:
    rows: tuple[OrderRow, ...]
    next_cursor: str
