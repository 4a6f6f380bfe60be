"""Who reads the panel and when: his organization (checked), its time zone and today there, his
language; and the addresses of the lists a figure links to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.local_time import zone
from crm_app.models.types import utcnow
from crm_app.services.tenancy import staff_organization


@dataclass(frozen=True)
class Reader:
    organization_id: int
    user_id: int
    is_admin: bool
    lang: str
    tz: str
    now: datetime  # aware UTC

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.tz)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    def day_start(self, day: date) -> datetime:
        """The UTC moment the local ``day`` begins (a day that starts at a DST jump begins at the jump)."""
        return start_of(day, self.zone)


def start_of(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def reader(session: Session, actor: Actor, now: datetime | None = None) -> Reader:
    """The actor as a panel reader; Forbidden for anyone but the staff of an organization.

    On PostgreSQL the rest of the transaction plans without parallel workers: the panel's reads are
    small (milliseconds of work each), and starting workers cost more than the work itself on a busy
    machine (bench/panel.py: the whole panel's p95 437 ms with them, 101 ms without)."""
    org = staff_organization(session, actor)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    return Reader(organization_id=org.id, user_id=actor.user_id, is_admin=actor.is_admin,
                  lang=actor.language or org.language, tz=org.timezone, now=now or utcnow())


def href(path: str, **params: object) -> str:
    """A list's address with its filters (empty ones left out)."""
    given = {name: str(value) for name, value in params.items() if value not in ("", None)}
    return f"{path}?{urlencode(given)}" if given else path


def month_start(day: date) -> date:
    return day.replace(day=1)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
