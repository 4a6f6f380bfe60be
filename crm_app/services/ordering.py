"""Moving one row of an ordered admin list (acquisition channels, phone labels, order types, a form's
custom fields) one step up or down."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session


def move_one_step(session: Session, rows: Sequence[Any], row: Any, offset: int) -> tuple[int, int] | None:
    """Move ``row`` among ``rows`` (in display order, each with a ``position``) one step up (offset < 0)
    or down, renumbering them all 0..n-1. Returns (old index, new index), or None at either end."""
    ordered = list(rows)
    index = ordered.index(row)
    target = max(0, min(len(ordered) - 1, index + (1 if offset > 0 else -1)))
    if target == index:
        return None
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        item.position = position
        session.add(item)
    session.flush()
    return index, target
