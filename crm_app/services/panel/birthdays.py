"""Customers whose birthday falls in a week, by month and day, read through the birthday index
(ix_customer_org_birthday, migration 0014). The query spells the index's own expression per dialect,
or the database would read every customer: SQLite "MM-DD" (``substr(birthday, 6, 5)``), PostgreSQL
``month * 100 + day`` as an integer. One small indexed read per day of the week (an equality: an IN
list is not always taken as the index's condition), in the week's order, until the tile has its fill."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlalchemy import Integer, cast, extract, func, literal_column, select
from sqlmodel import Session

from crm_app.models import Customer


def birthday_key(session: Session):
    """The index's expression."""
    # Its numbers as literals: with bound parameters the expression would not be the index's.
    if session.get_bind().dialect.name == "sqlite":
        return func.substr(Customer.birthday, literal_column("6"), literal_column("5"))
    month, day = extract("month", Customer.birthday), extract("day", Customer.birthday)
    return cast(month * literal_column("100") + day, Integer)


def key_of(session: Session, month: int, day: int) -> str | int:
    if session.get_bind().dialect.name == "sqlite":
        return f"{month:02d}-{day:02d}"
    return month * 100 + day


def week_days(today: date) -> list[date]:
    """Monday to Sunday of the week ``today`` is in (across a year's end too)."""
    monday = today - timedelta(days=today.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def _keys_of_day(day: date) -> list[tuple[int, int]]:
    """The (month, day) birthdays celebrated on ``day``: February 29th ones on the 28th in other years."""
    keys = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        keys.append((2, 29))
    return keys


def birthday_query(session: Session, organization_id: int, month: int, day: int, limit: int):
    return (select(Customer.id, Customer.display_name)
            .where(Customer.organization_id == organization_id, Customer.birthday.is_not(None),
                   Customer.deleted_at.is_(None), birthday_key(session) == key_of(session, month, day))
            # "+ 0": ordered by the primary key, PostgreSQL walks it filtering every customer (all of them on
            # a day nobody celebrates); by an expression it reads the day's index entries and sorts those.
            .order_by(Customer.id + 0).limit(limit))


def birthdays_of_week(session: Session, organization_id: int, today: date,
                      limit: int) -> list[tuple[date, int, str]]:
    """(the day it is celebrated this week, customer id, name), in the week's order, at most ``limit``."""
    found: list[tuple[date, int, str]] = []
    for day in week_days(today):
        for month, dom in _keys_of_day(day):
            if len(found) >= limit:
                return found
            rows = session.execute(birthday_query(session, organization_id, month, dom, limit - len(found)))
            found += [(day, customer_id, name) for customer_id, name in rows]
    return found
