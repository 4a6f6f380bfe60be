"""Row ids that come from a client (a URL, an event payload) are positive integers that fit the column.

Anything else cannot name a row, and a bigger number overflows the database driver (a 500 instead of
"not found"), so it is refused where it enters.
"""

from __future__ import annotations

# Most primary keys are INTEGER on PostgreSQL (32 bits): a 64-bit bound would still overflow there
# ("integer out of range" from psycopg), so ids are bounded by the narrowest id column.
MAX_ROW_ID = 2**31 - 1


def is_row_id(value: object) -> bool:
    return type(value) is int and 1 <= value <= MAX_ROW_ID
