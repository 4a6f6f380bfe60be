"""The list's keyset cursor: the last row's sort key and id, opaque to the browser that hands it back."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from crm_app.domain.errors import FieldError, ValidationFailed

Key = str | datetime | Decimal | None
# Sort fields whose key is a time, an amount, or may be missing (a customer who never bought).
_TIMES = ("created", "purchase")
_AMOUNTS = ("spent",)
_NULLABLE = ("purchase",)
_MAX_AMOUNT = Decimal(10) ** 14


def encode_cursor(sort: str, key: Key, row_id: int) -> str:
    """Opaque cursor: base64url of {"s": sort field, "k": key, "i": id} (JSON), without padding."""
    value = key.astimezone(UTC).isoformat() if isinstance(key, datetime) else key
    if isinstance(value, Decimal):
        value = str(value)
    raw = json.dumps({"s": sort, "k": value, "i": row_id}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Key, int]:
    """(key, id) of a cursor made by :func:`encode_cursor` for the same sort field; else ValidationFailed.
    The key is None only for a sort whose key may be missing ("purchase": past the last buyer)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
        key, row_id = data["k"], data["i"]
        if data["s"] != sort or type(row_id) is not int:
            raise ValueError(cursor)
        if key is None and sort in _NULLABLE:
            return None, row_id
        if not isinstance(key, str) or len(key) > 400:
            raise ValueError(cursor)
        return _key(sort, key), row_id
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError,
            InvalidOperation):
        raise ValidationFailed({"after": FieldError("cursor_invalid")}) from None


def _key(sort: str, key: str) -> Key:
    if sort in _TIMES:
        parsed = datetime.fromisoformat(key)
        if parsed.tzinfo is None:
            raise ValueError(key)
        return parsed.astimezone(UTC)
    if sort in _AMOUNTS:
        amount = Decimal(key)
        if not amount.is_finite() or abs(amount) >= _MAX_AMOUNT:
            raise ValueError(key)
        return amount
    return key
