"""Row ids that come from a client (a URL, an event payload): positive integers that fit the column.

Anything else cannot name a row, and a bigger number overflows the database driver (a 500 instead of
"not found"), so it is refused where it enters. A bool is an int in Python but never an id.
"""

from __future__ import annotations

# Most primary keys are INTEGER on PostgreSQL (32 bits): a 64-bit bound would still overflow there
# ("integer out of range" from psycopg), so ids are bounded by the narrowest id column.
MAX_ROW_ID = 2**31 - 1
# Any other integer a client sends must at least fit a 64-bit column.
MAX_INT64 = 2**63 - 1


def is_row_id(value: object) -> bool:
    return type(value) is int and 1 <= value <= MAX_ROW_ID


def parse_id(raw: object) -> int | None:
    """An id from a client's text or number ("42", 42), else None: ASCII digits only ("²".isdigit()
    is true but int("²") fails), never a bool, never past MAX_ROW_ID."""
    if isinstance(raw, str):
        text = raw.strip()
        raw = int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else None
    return raw if is_row_id(raw) else None
