"""Through what a change is made, when it is not a person in the app: "via API key <name>".

The API sets it around the service call of a request (``with acting_via("API key «Web»")``); every feed
event written meanwhile carries it (``data["via"]``), so the customer's history says where the change
came from. A context variable rather than a field of Actor: the services hand the actor's id down to
the feed in many places, and all of them then record it without change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_via: ContextVar[dict[str, str] | None] = ContextVar("crm_acting_via", default=None)


@contextmanager
def acting_via(kind: str, name: str) -> Iterator[None]:
    """``kind``: "api_key", "web_form" or "lead_ads"; ``name``: the key's, form's or connector's name."""
    token = _via.set({"kind": kind, "name": name})
    try:
        yield
    finally:
        _via.reset(token)


def current_via() -> dict[str, str] | None:
    return _via.get()
