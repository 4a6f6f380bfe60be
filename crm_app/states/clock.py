"""The organization's time zone, currency and country from its row, and the clock a state formats times
and amounts with.

Every time a user sees goes through :class:`crm_app.domain.local_time.Clock`: the organization's zone,
the reader's language. The zone is read from the organization on each load, so a change in /settings
shows on the next page without signing in again.
"""

from __future__ import annotations

from typing import NamedTuple

from crm_app.db import session_scope
from crm_app.domain import local_time
from crm_app.domain.dto import Actor
from crm_app.models.types import utcnow
from crm_app.services import auth as auth_service


class OrgLocale(NamedTuple):
    tz: str
    currency: str
    country: str


def organization_locale(actor: Actor) -> OrgLocale:
    """The organization's time zone, currency and country."""
    with session_scope() as session:
        org = auth_service.organization_of(session, actor)
        return OrgLocale(org.timezone, org.currency, org.country)


def clock_for(actor: Actor, lang: str) -> local_time.Clock:
    """How ``actor`` reads times and amounts now: his language, his organization's zone and country."""
    org = organization_locale(actor)
    return local_time.Clock(lang=lang, tz=org.tz, now=utcnow(), country=org.country)
