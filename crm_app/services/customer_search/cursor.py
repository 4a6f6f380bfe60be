"""The list's keyset cursor: the last row's sort key and id, opaque to the browser that hands it back."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime

from crm_app.domain.errors import FieldError, ValidationFailed


def encode_cursor(sort: str, key: str | datetime, row_id: int) -> str:
    """Opaque cursor: base64url of {"s": sort field, "k": key, "i": id} (JSON), without padding."""
    value = key.astimezone(UTC).isoformat() if isinstance(key, datetime) else key
    raw = json.dumps({"s": sort, "k": value, "i": row_id}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[str | datetime, int]:
    """(key, id) of a cursor made by :func:`encode_cursor` for the same sort field; else ValidationFailed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
        key, row_id = data["k"], data["i"]
        if data["s"] != sort or not isinstance(key, str) or type(row_id) is not int or len(key) > 400:
            raise ValueError(cursor)
        if sort == "created":
            parsed = datetime.fromisoformat(key)
            if parsed.tzinfo is None:
                raise ValueError(cursor)
            return parsed.astimezone(UTC), row_id
        return key, row_id
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationFailed({"after": FieldError("cursor_invalid")}) from None
