"""Orders, sales and leads without a database: their statuses, and the lines and totals of a document.

Money is ``Decimal`` in the organization's currency, never float. A price or a total has at most the
currency's minor units (CLDR through ``money_places``: 2 for USD, 0 for CLP and PYG): a typed price with
more decimals is refused, not rounded, as the credit limit is. Percentages apply with half-up rounding to
the currency's unit, line by line, then the document's discount on the subtotal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from crm_app.domain.customer_numbers import money_places
from crm_app.domain.errors import FieldError
from crm_app.domain.ids import parse_id
from crm_app.domain.local_time import iso_day
from crm_app.domain.money import parse_decimal

ORDER_STATUSES = ("open", "in_progress", "done", "delivered", "cancelled")
# Past "open" an order is confirmed: it needs a client, unless its type allows walk-in orders.
CONFIRMED_ORDER_STATUSES = ("in_progress", "done", "delivered")
# Not yet handed over: the profile's "open orders".
OPEN_ORDER_STATUSES = ("open", "in_progress", "done")
SALE_STATUSES = ("completed", "cancelled")
PAYMENT_METHODS = ("cash", "card", "transfer", "credit")
LEAD_STATUSES = ("new", "contacted", "qualified", "won", "lost")
OPEN_LEAD_STATUSES = ("new", "contacted", "qualified")

MAX_LINES = 100
MAX_DESCRIPTION = 200
MAX_QUANTITY = Decimal("999999999.999")  # NUMERIC(12, 3)
MAX_PRICE = Decimal("999999999999.99")  # NUMERIC(14, 2)
_QUANTITY_PLACES = 3
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineInput:
    """A line as typed: text, parsed by :func:`clean_lines`."""

    description: str = ""
    quantity: str = "1"
    unit_price: str = ""
    discount_percent: str = ""


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_percent: Decimal
    discount_amount: Decimal
    total: Decimal


def unit(currency: str) -> Decimal:
    """The currency's smallest amount: 0.01, or 1 for a currency without minor units."""
    return Decimal(1).scaleb(-money_places(currency))


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _number(raw: str | Decimal | None) -> Decimal | None:
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    try:
        return parse_decimal(str(raw or ""))
    except ValueError:
        return None


def clean_money(
    raw: str | Decimal | None, currency: str, field: str, errors: dict[str, FieldError]
) -> Decimal:
    """A price typed in ``currency``: positive or zero, no more decimals than the currency has."""
    value = _number(raw)
    if value is None or value < 0 or value > MAX_PRICE:
        errors[field] = FieldError("document_price_invalid")
        return Decimal(0)
    places = money_places(currency)
    if _places(value) > places:
        errors[field] = (
            FieldError("money_decimals", places=places) if places else FieldError("money_no_decimals")
        )
        return Decimal(0)
    return value.quantize(unit(currency))


def clean_percent(raw: str | Decimal | None, field: str, errors: dict[str, FieldError]) -> Decimal:
    """A discount: 0 to 100 with at most two decimals; blank is 0."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Decimal(0)
    value = _number(raw)
    if value is None or not 0 <= value <= _HUNDRED:
        errors[field] = FieldError("discount_range", min=0, max=100)
        return Decimal(0)
    if _places(value) > 2:
        errors[field] = FieldError("discount_decimals")
        return Decimal(0)
    return value.quantize(Decimal("0.01"))


def clean_quantity(raw: str | Decimal | None, field: str, errors: dict[str, FieldError]) -> Decimal:
    value = _number(raw)
    if value is None or value <= 0 or value > MAX_QUANTITY:
        errors[field] = FieldError("document_quantity_invalid")
        return Decimal(0)
    if _places(value) > _QUANTITY_PLACES:
        errors[field] = FieldError("document_quantity_decimals", places=_QUANTITY_PLACES)
        return Decimal(0)
    return value.quantize(Decimal("0.001"))


def line_total(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, currency: str) -> Decimal:
    gross = quantity * unit_price
    return (gross - gross * discount_percent / _HUNDRED).quantize(unit(currency), rounding=ROUND_HALF_UP)


def clean_lines(
    raw: list[LineInput], currency: str, errors: dict[str, FieldError]
) -> list[Line]:
    """Typed lines as stored: blank lines dropped, each field's error keyed ``lines[i].field`` (``i`` the
    line's index as typed, so the form shows it next to that line). At least one line is needed."""
    lines: list[Line] = []
    if len(raw) > MAX_LINES:
        errors["lines"] = FieldError("document_too_many_lines", max=MAX_LINES)
        return []
    for i, typed in enumerate(raw):
        if not (typed.description.strip() or typed.unit_price.strip()):
            continue
        key = f"lines[{i}]"
        description = " ".join(typed.description.split())
        if not description:
            errors[f"{key}.description"] = FieldError("required")
        elif len(description) > MAX_DESCRIPTION:
            errors[f"{key}.description"] = FieldError("too_long", max=MAX_DESCRIPTION)
        quantity = clean_quantity(typed.quantity, f"{key}.quantity", errors)
        price = clean_money(typed.unit_price, currency, f"{key}.unit_price", errors)
        discount = clean_percent(typed.discount_percent, f"{key}.discount_percent", errors)
        lines.append(Line(description[:MAX_DESCRIPTION], quantity, price, discount,
                          line_total(quantity, price, discount, currency)))
    if not lines and not errors:
        errors["lines"] = FieldError("document_no_lines")
    return lines


def totals(lines: list[Line], discount_percent: Decimal, currency: str) -> Totals:
    """The document's totals: its lines added, then its own discount (the client's personal one by
    default) taken off the subtotal."""
    subtotal = sum((line.line_total for line in lines), Decimal(0)).quantize(unit(currency))
    discount = (subtotal * discount_percent / _HUNDRED).quantize(unit(currency), rounding=ROUND_HALF_UP)
    return Totals(subtotal, discount_percent, discount, subtotal - discount)


def order_needs_client(status: str, walk_in_allowed: bool) -> bool:
    """An order may wait for its client while open; once confirmed it needs one, unless its type takes
    walk-in orders."""
    return status in CONFIRMED_ORDER_STATUSES and not walk_in_allowed


def credit_available(credit_limit: Decimal | None, open_balance: Decimal) -> Decimal | None:
    """What the client may still buy on credit; None when he has no limit set (no credit check)."""
    if credit_limit is None:
        return None
    return credit_limit - open_balance


def over_credit_limit(credit_limit: Decimal | None, open_balance: Decimal, amount: Decimal) -> bool:
    """A credit sale of ``amount`` takes the client past his limit. A client with no limit set has no
    credit to use: every credit sale to him needs an admin's confirmation too (limit 0)."""
    return open_balance + amount > (credit_limit if credit_limit is not None else Decimal(0))


def document_number(number: int) -> str:
    """How a document's number is shown: "#1024"."""
    return f"#{number}"


@dataclass(frozen=True)
class DocumentQuery:
    """A page of an order, sale or lead list, as its address says (``/sales?q=&status=&from=...``)."""

    search: str = ""  # a number ("1024", "#1024") or the client's name, phone digits or tax ID
    status: str = ""
    type_id: int | None = None  # orders: the order type
    owner_id: int | None = None  # orders: the assignee; sales: the seller; leads: the owner
    customer_id: int | None = None  # one customer's documents (the profile's "see all")
    method: str = ""  # sales: the payment method
    date_from: str = ""  # created on or after this day (YYYY-MM-DD), in the organization's zone
    date_to: str = ""  # created on or before this day
    after: str = ""  # the page cursor: the last row's id, opaque to the browser
    limit: int = 25


def number_searched(text: str) -> int | None:
    """The document number a search names ("1024", "#1024", "nº 1024"), or None for a name."""
    digits = text.strip().lstrip("#").removeprefix("nº").removeprefix("no.").strip()
    return int(digits) if digits.isdigit() and len(digits) <= 9 else None


# The list pages' filters: the URL parameter of each, and the query field it sets ("q" is the search,
# "after" the cursor).
LIST_FILTERS = {
    "status": "status", "type": "type_id", "owner": "owner_id", "customer": "customer_id",
    "method": "method", "from": "date_from", "to": "date_to",
}
_ID_FILTERS = ("type", "owner", "customer")
_DAY_FILTERS = ("from", "to")


def read_list_filters(
    params: dict[str, str], names: tuple[str, ...], choices: dict[str, tuple[str, ...]]
) -> dict[str, str]:
    """The filters ``names`` of a list's address, each kept only when well formed: an id, a day, or one
    of its ``choices`` (statuses, payment methods); anything else is "" (a hand-edited link)."""
    read: dict[str, str] = {}
    for name in names:
        raw = str(params.get(name, "") or "")
        if name in _ID_FILTERS:
            read[name] = str(parse_id(raw) or "")
        elif name in _DAY_FILTERS:
            read[name] = iso_day(raw)
        else:
            read[name] = raw if raw in choices.get(name, ()) else ""
    return read


def list_query(search: str, filters: dict[str, str], after: str, limit: int) -> DocumentQuery:
    """The query of a list page from its search, its filters as ``read_list_filters`` kept them and
    its cursor."""
    values: dict[str, object] = {}
    for name, value in filters.items():
        if value:
            values[LIST_FILTERS[name]] = parse_id(value) if name in _ID_FILTERS else value
    return DocumentQuery(search=search, after=after, limit=limit, **values)
