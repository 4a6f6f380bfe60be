"""Cells of a spreadsheet as text, both ways: a read cell (calamine gives str, int, float, bool, date,
datetime, time or timedelta) as the text a person typed, and a written cell made safe to open.

Spreadsheets turn long digit strings into floats: 0991234567 typed in a number cell is read back as
991234567.0, and 1234567890123456789 as 1.2345678901234568e+18. :func:`cell_text` writes a float
that holds an integer without ".0" and never in scientific notation, so at least what Excel kept is
kept; the template's text cells keep the leading zeros in the first place.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (OWASP's
# "CSV injection"): exported text gets a leading apostrophe, so it shows as typed and never runs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number ("-0.1807", a longitude) is no formula and stays as it is.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def cell_text(value: object) -> str:
    """A read cell as text: "" for empty, dates as ISO (2024-05-31), integral floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def guard_formula(text: str) -> str:
    """``text`` safe to put in a cell: prefixed with an apostrophe when a spreadsheet would run it."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text
