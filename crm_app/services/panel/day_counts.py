"""New customers per local day, split by one dimension at a time, counted by the database.

SQL groups by the UTC hour of creation (SQLite keeps a time as the text "YYYY-MM-DD HH:MM:SS.ffffff",
so its first 13 characters are the hour; PostgreSQL truncates the UTC time to the hour), and Python
folds each hour into the organization's local day with zoneinfo: exact across daylight-saving changes
for every zone whose offset is whole hours (all of the countries we serve). A database-side
conversion would need the zone database in SQLite and one expression per dialect for the same answer.

The refresh job reads all of an organization's customers this way; the panel reads the days since the
last refresh (through the creation index: a few rows).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal_column, select
from sqlmodel import Session

from crm_app.models import Customer, CustomerTag

# dimension -> the customer column it splits by ("all" and "tag" are handled apart).
COLUMNS = {
    "type": Customer.client_type,
    "channel": Customer.channel_id,
    "source": Customer.source,
    "creator": Customer.created_by,
}
# (dimension, key) -> {local day: count}
DayCounts = dict[tuple[str, str], Counter]


def _hour(session: Session):
    # Literals, not bound parameters: the SELECT's and the GROUP BY's expressions are then one and the
    # same statement text for the database (a prepared statement's two parameters would not be).
    if session.get_bind().dialect.name == "sqlite":
        return func.substr(Customer.created_at, literal_column("1"), literal_column("13"))
    utc = Customer.created_at.op("AT TIME ZONE")(literal_column("'UTC'"))
    return func.date_trunc(literal_column("'hour'"), utc)


def _hour_moment(value: object) -> datetime:
    if isinstance(value, str):  # SQLite: "2026-12-04 17"
        return datetime(int(value[:4]), int(value[5:7]), int(value[8:10]), int(value[11:13]), tzinfo=UTC)
    return value.replace(tzinfo=UTC)  # PostgreSQL: a naive UTC timestamp


def _filters(organization_id: int, start: datetime | None, end: datetime | None) -> list:
    where = [Customer.organization_id == organization_id, Customer.deleted_at.is_(None)]
    if start is not None:
        where.append(Customer.created_at >= start)
    if end is not None:
        where.append(Customer.created_at < end)
    return where


def count_days(
    session: Session, organization_id: int, tz: ZoneInfo, dimensions: Iterable[str], *,
    start: datetime | None = None, end: datetime | None = None,
) -> DayCounts:
    """Active customers created in [start, end) (UTC; None: unbounded) per local day and dimension key.
    "all" has the key ""; a missing channel or creator is the key ""."""
    hour = _hour(session)
    where = _filters(organization_id, start, end)
    days: dict[object, date] = {}
    found: DayCounts = defaultdict(Counter)

    def add(dimension: str, rows) -> None:
        for moment, key, count in rows:
            day = days.get(moment)
            if day is None:
                day = days[moment] = _hour_moment(moment).astimezone(tz).date()
            found[(dimension, "" if key is None else str(key))][day] += count

    for dimension in dimensions:
        if dimension == "all":
            rows = session.execute(select(hour, literal_column("''"), func.count()).where(*where)
                                   .group_by(hour))
        elif dimension == "tag":
            rows = session.execute(
                select(hour, CustomerTag.tag_id, func.count())
                .join(CustomerTag, CustomerTag.customer_id == Customer.id).where(*where)
                .group_by(hour, CustomerTag.tag_id))
        else:
            column = COLUMNS[dimension]
            rows = session.execute(select(hour, column, func.count()).where(*where).group_by(hour, column))
        add(dimension, rows)
    return found
