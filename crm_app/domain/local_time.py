"""Times and amounts as a person reads them: relative ("hace 5 minutos"), exact in the organization's
time zone, money in its currency (domain/locale_format.py); and the other way, a typed local date + time
into UTC.

This is the one way a date or a time becomes text on a screen (tests/unit/test_display_times.py holds
states, components, pages and services to it): a moment goes to the organization's time zone, then to
the reader's language; a date has one format per language ("2 dic 2026", "Dec 2, 2026"), the same one
the exact times use. A state gets a :class:`Clock` for the signed-in user from states/clock.py.

Babel holds the CLDR data (plural rules, month names, currency formats) for every language we speak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_datetime_format

from crm_app.domain.locale_format import format_money, format_number, reader_locale


def zone(name: str) -> ZoneInfo:
    """The organization's time zone; an unknown name (never expected) falls back to UTC."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def locale(lang: str) -> Locale:
    """The language's locale for dates (parsed once; an unknown code reads as Spanish)."""
    return reader_locale(lang)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


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
        .replace("{1}", local_date(local.date(), lang))
        .replace("{0}", format_time(local, "short", locale=loc))
    )


def local_date(value: date, lang: str) -> str:
    """A calendar date (a birthday, a date field): "2 dic 2026" / "Dec 2, 2026", the one date format of
    each language, also the date part of :func:`exact`."""
    return format_date(value, "medium", locale=locale(lang))


def local_day(moment: datetime, tz: str, lang: str) -> str:
    """The day ``moment`` falls on in the organization's time zone (a file added late in the evening
    in Quito is of that day there, not of the next day in UTC)."""
    return local_date(_aware(moment).astimezone(zone(tz)).date(), lang)


@dataclass(frozen=True)
class Clock:
    """How one reader sees times and amounts: his language, his organization's time zone, and now;
    the organization's country picks the language's variant for money ("$1.234,56" in es-EC)."""

    lang: str
    tz: str
    now: datetime
    country: str = field(default="", kw_only=True)

    def money(self, amount: Decimal, currency: str) -> str:
        return format_money(amount, currency, self.lang, self.country)

    def relative(self, moment: datetime) -> str:
        return relative(moment, self.now, self.lang)

    def exact(self, moment: datetime) -> str:
        return exact(moment, self.tz, self.lang)

    def exact_or_blank(self, moment: datetime | None) -> str:
        return exact(moment, self.tz, self.lang) if moment is not None else ""

    def day(self, moment: datetime) -> str:
        return local_day(moment, self.tz, self.lang)

    def plain_date(self, value: date | None) -> str:
        return local_date(value, self.lang) if value is not None else ""


def duration(seconds: float, lang: str) -> str:
    """A length of time as people say it: "12 segundos", "3 minutos" / "12 seconds", "3 minutes"."""
    return format_timedelta(timedelta(seconds=max(seconds, 1)), threshold=1.5, locale=locale(lang))


def country_names(lang: str) -> dict[str, str]:
    """ISO 3166 country codes and their names in ``lang`` (CLDR): "EC" -> "Ecuador"."""
    names = locale(lang).territories.items()
    return {code: name for code, name in names if len(code) == 2 and code.isalpha()}


def number(value: float, lang: str) -> str:
    return format_number(value, lang)


def file_size(size: int, lang: str) -> str:
    """A file's size as the reader writes numbers: "1,5 MB" in es and pt, "1.5 MB" in en; a decimal only
    below 10 of the unit ("12 KB", "3,4 KB")."""
    value, unit = float(size), "B"
    for next_unit in ("KB", "MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, next_unit
    return f"{number(round(value) if unit == 'B' or value >= 10 else round(value, 1), lang)} {unit}"


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
    return local.astimezone(UTC)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def input_date(day: date | None) -> str:
    """The value of an ``<input type="date">`` or a day in an address: ISO (YYYY-MM-DD) whatever the
    reader's language (the browser shows it in his own format); "" for none."""
    return day.isoformat() if day else ""


def iso_day(raw: str) -> str:
    """A YYYY-MM-DD read from an address, or "" when it is not a real day (a hand-edited link)."""
    if not _ISO_DAY.fullmatch(raw or ""):
        return ""
    try:
        return input_date(date.fromisoformat(raw))
    except ValueError:
        return ""
