"""Amounts typed by people: "1.234,56" (most of Latin America) and "1,234.56" both mean 1234.56."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def parse_decimal(raw: str) -> Decimal:
    """Parse a typed number; the last of ',' or '.' is the decimal mark. Raises ValueError."""
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        # A lone comma is a decimal mark ("12,5"); several are thousands separators ("1,000,000").
        text = text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(raw) from exc
    if not value.is_finite():
        raise ValueError(raw)
    return value
