"""Row ids as a client may send them: positive integers that fit a 64-bit column.

A larger int reaches the database driver as an overflow (PostgreSQL BIGINT, SQLite INTEGER) and
answers 500 instead of "not found"; a bool is an int in Python but never an id.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


def is_row_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def parse_id(raw: object) -> int | None:
    """An id from a client's text or number ("42", 42), else None: ASCII digits only ("²".isdigit()
    is true but int("²") fails), never a bool, never past MAX_ID."""
    if isinstance(raw, str):
        text = raw.strip()
        raw = int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else None
    return raw if is_row_id(raw) else None
