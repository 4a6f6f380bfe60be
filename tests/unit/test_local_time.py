"""Times and amounts in the reader's language and the organization's time zone."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from crm_app.domain import local_time

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def test_relative_times_speak_the_users_language():
    assert local_time.relative(NOW - timedelta(minutes=5), NOW, "es") == "hace 5 minutos"
    assert local_time.relative(NOW - timedelta(minutes=5), NOW, "en") == "5 minutes ago"
    assert local_time.relative(NOW + timedelta(days=1), NOW, "es") == "dentro de 1 día"
    assert local_time.relative(NOW + timedelta(days=1), NOW, "en") == "in 1 day"


def test_exact_time_is_local_to_the_organization_without_seconds():
    # 15:00 UTC is 10:00 in Guayaquil (UTC-5, no daylight saving time).
    assert local_time.exact(NOW, "America/Guayaquil", "es") == "23 nov 2026, 10:00"
    assert local_time.exact(NOW, "America/Guayaquil", "en") == "Nov 23, 2026, 10:00\u202fAM"
    assert local_time.exact(NOW.replace(tzinfo=None), "Nowhere/Unknown", "es") == "23 nov 2026, 15:00"


def test_money_and_dates():
    # Money in the organization's country's variant of the reader's language (domain/locale_format.py).
    clock = local_time.Clock(lang="pt", tz="America/Sao_Paulo", now=NOW, country="BR")
    assert clock.money(Decimal("1250.5"), "BRL") == "R$\xa01.250,50"
    assert local_time.Clock(lang="en", tz="UTC", now=NOW).money(Decimal("1250.5"), "USD") == "$1,250.50"
    # One date format per language, the date part of the exact times too.
    assert local_time.local_date(date(1990, 5, 3), "es") == "3 may 1990"
    assert local_time.local_date(date(1990, 5, 3), "en") == "May 3, 1990"
    assert local_time.local_date(date(1990, 5, 3), "pt") == "3 de mai. de 1990"


def test_times_in_brazilian_portuguese():
    # 15:00 UTC is 12:00 in São Paulo (UTC-3, no daylight saving time since 2019).
    assert local_time.exact(NOW, "America/Sao_Paulo", "pt") == "23 de nov. de 2026 12:00"
    assert local_time.relative(NOW - timedelta(minutes=5), NOW, "pt") == "há 5 minutos"
    assert local_time.relative(NOW + timedelta(days=1), NOW, "pt") == "em 1 dia"
    assert local_time.duration(12, "pt") == "12 segundos"


def test_typed_local_due_time_becomes_utc():
    assert local_time.utc_from_local("2026-11-24", "14:30", "America/Guayaquil") == datetime(
        2026, 11, 24, 19, 30, tzinfo=UTC)
    # A date alone means the end of that local day; nothing typed means no due time.
    assert local_time.utc_from_local("2026-11-24", "", "America/Guayaquil") == datetime(
        2026, 11, 25, 4, 59, tzinfo=UTC)
    assert local_time.utc_from_local("", "", "UTC") is None


@pytest.mark.parametrize("day, clock", [("", "10:00"), ("24/11/2026", ""), ("2026-11-24", "25:00")])
def test_unreadable_dates_are_refused(day, clock):
    with pytest.raises(ValueError):
        local_time.utc_from_local(day, clock, "UTC")


def test_one_date_format_per_language_also_for_a_moments_day_in_the_organizations_zone():
    # 02:30 UTC on 3 Dec is still 2 Dec in Guayaquil: a file added that evening is of 2 Dec there.
    late = datetime(2026, 12, 3, 2, 30, tzinfo=UTC)
    assert local_time.local_day(late, "America/Guayaquil", "es") == "2 dic 2026"
    assert local_time.local_day(late, "America/Guayaquil", "en") == "Dec 2, 2026"
    assert local_time.local_day(late, "UTC", "es") == "3 dic 2026"
    # The date part of an exact time is that same format.
    assert local_time.exact(late, "America/Guayaquil", "es").startswith("2 dic 2026, ")


def test_a_clock_formats_for_one_reader():
    clock = local_time.Clock(lang="en", tz="America/Guayaquil", now=NOW)
    assert clock.exact(NOW) == "Nov 23, 2026, 10:00\u202fAM"
    assert clock.exact_or_blank(None) == "" and clock.plain_date(None) == ""
    assert clock.relative(NOW - timedelta(hours=2)) == "2 hours ago"
    assert clock.day(NOW) == "Nov 23, 2026" and clock.plain_date(date(1990, 5, 3)) == "May 3, 1990"


def test_an_unknown_language_code_reads_as_spanish_instead_of_failing():
    assert local_time.exact(NOW, "UTC", "xx") == "23 nov 2026, 15:00"
