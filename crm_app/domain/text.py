"""Free text typed by people: what every cleaner removes before it checks or stores a value; and a typed
day read into a date.

C0 control characters (NUL, escape...; newline and tab are kept) and the bidirectional embedding,
override and isolate characters (U+202A-U+202E, U+2066-U+2069) are never meaningful in a name, a
comment or a note, and U+202E lets one customer's name display as another's in lists and feeds.
"""

from __future__ import annotations

import re
from datetime import date

from crm_app.domain.errors import FieldError

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def strip_unsafe(value: object) -> str:
    """``value`` without control and bidi-override characters; anything but a string is ""."""
    return _UNSAFE.sub("", value) if isinstance(value, str) else ""


def clean_text(value: object) -> str:
    """Multi-line text (comments, notes, bodies): safe characters, outer blanks trimmed."""
    return strip_unsafe(value).strip()


def clean_line(value: object) -> str:
    """One-line text (names, titles, tags): safe characters, runs of blanks made one space."""
    return " ".join(strip_unsafe(value).split())


def clean_date(raw: str, field: str, errors: dict[str, FieldError]) -> date | None:
    """A day as a date input sends it (YYYY-MM-DD): None when blank; an unreadable one is refused next
    to ``field``."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = FieldError("date_invalid")
        return None
