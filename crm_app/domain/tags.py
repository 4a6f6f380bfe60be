"""Tag names (pure): the rules customers and accounts share for the tags typed into their forms."""

from __future__ import annotations

from crm_app.domain.errors import FieldError
from crm_app.domain.search_text import normalize
from crm_app.domain.text import clean_line

MAX_TAG = 60
MAX_TAGS = 30


def clean_tags(tags: tuple[str, ...], errors: dict[str, FieldError]) -> tuple[str, ...]:
    """Tags with inner spaces collapsed, duplicates (by normalized name) and blanks dropped.

    A too long tag or too many of them put a message under ``errors["tags"]``.
    """
    result: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        name = clean_line(tag)
        key = normalize(name)
        if not key or key in seen:
            continue
        if len(name) > MAX_TAG:
            errors["tags"] = FieldError("too_long", max=MAX_TAG)
            continue
        seen.add(key)
        result.append(name)
    if len(result) > MAX_TAGS:
        errors["tags"] = FieldError("too_many", max=MAX_TAGS)
    return tuple(result)
