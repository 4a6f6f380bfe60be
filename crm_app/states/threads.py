"""A service call from an event handler, off the event loop: in its own transaction in a worker thread,
for calls that take a moment (rendering a template, reading an uploaded file), so the other tabs' events
go on meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from crm_app.db import session_scope

T = TypeVar("T")


def _call_in_session(fn: Callable[..., T], kwargs: dict[str, Any]) -> T:
    with session_scope() as session:
        return fn(session=session, **kwargs)


async def in_thread(fn: Callable[..., T], **kwargs: Any) -> T:
    """``fn(session=..., **kwargs)`` in its own transaction in a worker thread."""
    return await asyncio.to_thread(_call_in_session, fn, kwargs)
