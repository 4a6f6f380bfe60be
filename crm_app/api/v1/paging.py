"""Cursor paging for list routes: ``?limit=`` (1..200, default 50) and an opaque ``cursor``.

A cursor is the service's keyset position as base64url JSON: opaque to integrators (they only echo
``next_cursor``), and checked again by the service, so a forged one can only name another page of
the caller's own organization. Lists never count their total (at a million rows it costs a scan).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from crm_app.api.v1.problems import ApiProblem

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (at most 200).")]
Cursor = Annotated[str | None, Query(max_length=2000, description="The next_cursor of the previous page.")]

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    """One page of a list; ``next_cursor`` is null on the last page."""

    items: list[Item]
    next_cursor: str | None = None


def encode_cursor(position: dict[str, Any]) -> str:
    raw = json.dumps(position, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> dict[str, Any]:
    """The position in ``value``; a cursor that is not one of ours is a 422 problem."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        position = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiProblem(422, "api_bad_cursor") from None
    if not isinstance(position, dict):
        raise ApiProblem(422, "api_bad_cursor")
    return position
