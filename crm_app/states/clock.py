"""The organization's time zone (and currency) from its row, and the clock a state formats times with.

Every time a user sees goes through :class:`crm_app.domain.local_time.Clock`: the organization's zone,
the reader's language. The zone is read from the organization on each load, so a change in /settings
shows on the next page without signing in again.
"""

from __future__ import annotations

from crm_app.db import session_scope
from crm_app.domain import local_time
from crm_app.domain.dto import Actor
from crm_app.models.types import utcnow
from crm_app.services import auth as auth_service


def organization_locale(actor: Actor) -> tuple[str, str]:
    """The organization's time zone and currency."""
    with session_scope() as session:
        org = auth_service.organization_of(session, actor)
        return org.timezone, org.currency


def clock_for(actor: Actor, lang: str) -> local_time.Clock:
    """How ``actor`` reads times now: his language, his organization's time zone."""
    tz, _ = organization_locale(actor)
    return local_time.Clock(lang=lang, tz=tz, now=utcnow())
