"""Times and amounts as a person reads them: relative ("hace 5 minutos"), exact in the organization's
time zone, money in its currency; and the other way, a typed local date + time into UTC.

Babel holds the CLDR data (plural rules, month names, currency formats) for every language we speak.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_datetime_format
from babel.numbers import format_currency, format_decimal


def zone(name: str) -> ZoneInfo:
    """The organization's time zone; an unknown name (never expected) falls back to UTC."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@lru_cache(maxsize=16)
def locale(lang: str) -> Locale:
    """Parsed once: Babel parses a language code string again on every call (most of its cost)."""
    return Locale.parse(lang or "es")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def relative(moment: datetime, now: datetime, lang: str) -> str:
    """"hace 5 minutos" / "in 2 days": the distance from ``now``, rounded the way people say it."""
    return format_timedelta(_aware(moment) - _aware(now), add_direction=True, locale=locale(lang))


def exact(moment: datetime, tz: str, lang: str) -> str:
    """Date and time to the minute in the organization's time zone: "23 nov 2026, 10:38"."""
    local = _aware(moment).astimezone(zone(tz))
    # The language's own "date, time" pattern with a medium date and a short (no seconds) time.
    loc = locale(lang)
    return (
        get_datetime_format("medium", locale=loc)
        .replace("{1}", format_date(local, "medium", locale=loc))
        .replace("{0}", format_time(local, "short", locale=loc))
    )


def local_date(value: date, lang: str) -> str:
    return format_date(value, "long", locale=locale(lang))


def money(amount: Decimal, currency: str, lang: str) -> str:
    return format_currency(amount, currency or "USD", locale=locale(lang))


def number(value: float, lang: str) -> str:
    return format_decimal(value, locale=locale(lang))


def utc_from_local(day: str, clock: str, tz: str) -> datetime | None:
    """A date ("2026-11-24") and an optional time ("14:30") typed in the organization's time zone, in
    UTC. No date means no due time (None); a date alone means the end of that day. Raises ValueError
    on anything unreadable (a time without a date included)."""
    day, clock = (day or "").strip(), (clock or "").strip()
    if not day:
        if clock:
            raise ValueError("time without a date")
        return None
    parsed_day = date.fromisoformat(day)
    parsed_time = time.fromisoformat(clock) if clock else time(23, 59)
    local = datetime.combine(parsed_day, parsed_time.replace(second=0, microsecond=0), tzinfo=zone(tz))
    return local.astimezone(timezone.utc)
