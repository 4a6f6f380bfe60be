"""The lines of an order or a sale as they are typed, with live totals: a state mixin.

A document form inherits it next to its session state and calls ``_start_lines(currency, ...)`` when it
opens (the organization's currency; the client's personal discount, or the stored lines of an edited
document), ``_line_inputs()`` and ``self.discount_percent`` to build what it sends to its service, and
``_show_line_errors(errors)`` with the service's field errors (keyed ``lines[i].field`` by the line's
index as sent), which land next to that line's field. The page embeds
``components/document_lines.document_lines(TheFormState)``.

Typing sends debounced events that touch no data but the tab's own lines: they only recompute the
totals with the same domain functions the service uses (domain/documents), so the total shown is the
total saved.
"""

from __future__ import annotations

import dataclasses
import secrets
from decimal import Decimal

import reflex as rx

from crm_app.domain.documents import MAX_LINES, Line, LineInput, clean_lines, clean_percent, totals
from crm_app.domain.errors import FieldError
from crm_app.domain.locale_format import format_money, format_percent
from crm_app.i18n import error_text

LINE_FIELDS = ("description", "quantity", "unit_price", "discount_percent")
_MAX_TEXT = 200


def is_line_error(field: str) -> bool:
    """A service error the lines' editor shows (a line's field, or the document's discount)."""
    return field.startswith("lines") or field == "discount_percent"


@dataclasses.dataclass
class LineRow:
    key: str
    description: str = ""
    quantity: str = "1"
    unit_price: str = ""
    discount_percent: str = ""
    total: str = ""  # the line's total, formatted; "" while a value is unreadable


def _new_row(**values: str) -> LineRow:
    # Random keys, not indexes: React keeps each input with its line when one above is removed.
    return LineRow(key="l" + secrets.token_hex(4), **values)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else ""


class DocumentLines(rx.State, mixin=True):
    lines: list[LineRow] = []
    discount_percent: str = ""  # the document's own discount, as typed
    discount_hint: str = ""  # why it is there: "the client's personal discount"
    subtotal_text: str = ""
    discount_text: str = ""
    total_text: str = ""
    line_errors: dict[str, str] = {}  # "<line key>.<field>" or "lines" / "discount_percent" -> message
    _currency: str = ""
    _country: str = ""  # the organization's: which variant of the reader's language writes amounts

    # -- for the form state -------------------------------------------------------------------------
    def _start_lines(self, currency: str, lines: list[Line] | None = None,
                     discount: Decimal = Decimal(0), hint: str = "", *, country: str = "") -> None:
        self._currency, self._country = currency, country
        self.lines = [
            _new_row(description=line.description, quantity=_plain(line.quantity) or "1",
                     unit_price=_plain(line.unit_price) or "0",
                     discount_percent=_plain(line.discount_percent))
            for line in lines or []
        ] or [_new_row()]
        self.discount_percent, self.discount_hint = _plain(discount), hint
        self.line_errors = {}
        self._recompute()

    def _apply_discount(self, discount: Decimal, hint: str) -> None:
        """A newly chosen client's personal discount becomes the document's (the user may change it)."""
        self.discount_percent, self.discount_hint = _plain(discount), hint
        self._recompute()

    def _line_inputs(self) -> list[LineInput]:
        return [LineInput(r.description, r.quantity, r.unit_price, r.discount_percent) for r in self.lines]

    def _show_line_errors(self, errors: dict[str, FieldError]) -> None:
        """The service's errors about lines, next to the line's field (index as sent -> line key)."""
        keys = [r.key for r in self.lines]
        shown: dict[str, str] = {}
        for field, error in errors.items():
            if field.startswith("lines[") and "]." in field:
                index, name = field[len("lines["):].split("].", 1)
                if index.isdigit() and int(index) < len(keys):
                    shown[f"{keys[int(index)]}.{name}"] = error_text(error, self.lang)
            elif field in ("lines", "discount_percent"):
                shown[field] = error_text(error, self.lang)
        self.line_errors = shown

    # -- events: the tab's own lines only ------------------------------------------------------------
    @rx.event
    def add_line(self):
        if len(self.lines) < MAX_LINES:
            self.lines = [*self.lines, _new_row()]

    # These events touch nothing but the tab's own lines, so they need no session check; what they are
    # sent is made text and cut to size, whatever a forged event carries.
    @rx.event
    def remove_line(self, key: str):
        self.lines = [r for r in self.lines if r.key != str(key)] or [_new_row()]
        self._recompute()

    @rx.event
    def set_line_field(self, key: str, field: str, value: str):
        if field not in LINE_FIELDS:
            return
        key = str(key)
        for row in self.lines:
            if row.key == key:
                setattr(row, field, str(value)[:_MAX_TEXT])
                self.line_errors.pop(f"{key}.{field}", None)
        self._recompute()

    @rx.event
    def set_discount_percent(self, value: str):
        self.discount_percent = str(value)[:12]
        self.line_errors.pop("discount_percent", None)
        self._recompute()

    def _recompute(self) -> None:
        """Each line's total and the document's, from what is typed; a line not readable yet shows no
        total, and the document's totals leave it out until it is."""
        currency = self._currency or "USD"
        errors: dict[str, FieldError] = {}
        typed = dict(self._typed_lines(clean_lines(self._line_inputs(), currency, errors)))
        unreadable = {int(k[len("lines["):].split("]")[0]) for k in errors if k.startswith("lines[")}
        good: list[Line] = []
        for i, row in enumerate(self.lines):
            line = typed.get(i) if i not in unreadable else None
            row.total = self._money(line.line_total) if line is not None else ""
            if line is not None:
                good.append(line)
        result = totals(good, clean_percent(self.discount_percent, "discount_percent", {}), currency)
        self.subtotal_text, self.total_text = self._money(result.subtotal), self._money(result.total)
        self.discount_text = self._money(result.discount_amount) if result.discount_amount else ""
        self.lines = list(self.lines)

    def _typed_lines(self, lines: list[Line]) -> list[tuple[int, Line]]:
        """The cleaned lines with the index each had as typed (blank lines were dropped)."""
        indexes = [i for i, r in enumerate(self.lines) if r.description.strip() or r.unit_price.strip()]
        return list(zip(indexes, lines, strict=False))

    def _money(self, amount: Decimal) -> str:
        return format_money(amount, self._currency or "USD", self.lang, self._country)

    def _percent(self, value: Decimal) -> str:
        """12.5 -> "12,5%" (es, EC): the reader's locale, as amounts are."""
        return format_percent(value, self.lang, self._country)
