"""Row ids that come from a client (a URL, an event payload) are positive 64-bit integers.

Anything else cannot name a row, and a bigger number overflows the database driver (a 500 instead of
"not found"), so it is refused where it enters.
"""

from __future__ import annotations

# PostgreSQL BIGINT and SQLite INTEGER both end here.
MAX_ROW_ID = 2**63 - 1


def is_row_id(value: object) -> bool:
    return type(value) is int and 1 <= value <= MAX_ROW_ID
