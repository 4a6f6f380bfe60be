"""The panel (the home page, ``/``) as plain values: the date range its address asks for, and what each
tile shows. services/panel computes the tiles; states/panel.py shows them; the CSV export writes them.

The range is in the organization's local days, both ends included: ``/?from=2026-11-01&to=2026-11-30
&by=week``. An address that does not read falls back to the last 30 days by day, as a list does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_skeleton

from crm_app.domain.local_time import iso_day, locale

BUCKETS = ("day", "week", "month")
DEFAULT_DAYS = 30
MAX_DAYS = 731  # two years: the chart stays readable and the summary read bounded
# The most points a chart draws: a longer range by day is drawn by week, by week is drawn by month.
MAX_POINTS = 120


@dataclass(frozen=True)
class PanelRange:
    start: date  # first local day
    end: date  # last local day (included)
    bucket: str = "day"  # day | week (starting Monday) | month

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> PanelRange:
        """The same number of days just before: what the figures are compared with."""
        end = self.start - timedelta(days=1)
        return PanelRange(end - timedelta(days=self.days - 1), end, self.bucket)

    def params(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.bucket}

    def bucket_of(self, day: date) -> date:
        """The first day of the bucket ``day`` falls in."""
        if self.bucket == "week":
            return day - timedelta(days=day.weekday())
        if self.bucket == "month":
            return day.replace(day=1)
        return day

    def buckets(self) -> list[date]:
        """Every bucket of the range in order, empty ones included (a chart shows the gaps as 0)."""
        found, day = [], self.start
        while day <= self.end:
            first = self.bucket_of(day)
            if not found or found[-1] != first:
                found.append(first)
            day += timedelta(days=1)
        return found


def bucket_label(first: date, bucket: str, lang: str) -> str:
    """A bucket as the reader reads it: a day or a week by its first day ("3 nov", "Nov 3"), a month
    with its year ("nov 2026")."""
    return format_skeleton("yMMM" if bucket == "month" else "MMMd", first, locale=locale(lang))


def read_range(params: Mapping[str, str], today: date) -> PanelRange:
    """The range the address asks for; the last 30 days by day when it does not read. The end is never
    after today, the range never longer than MAX_DAYS, and a bucket too fine for its length is widened."""
    start, end = iso_day(params.get("from", "")), iso_day(params.get("to", ""))
    last = min(date.fromisoformat(end), today) if end else today
    first = date.fromisoformat(start) if start else last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first = last - timedelta(days=DEFAULT_DAYS - 1)
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    bucket = params.get("by", "day") if params.get("by") in BUCKETS else "day"
    span = (last - first).days + 1
    if bucket == "day" and span > MAX_POINTS:
        bucket = "week"
    if bucket == "week" and span > MAX_POINTS * 7:
        bucket = "month"
    return PanelRange(first, last, bucket)


# ----------------------------------------------------------------------------------------------- tiles
# Every count that stands for a list carries ``href``: the list behind it, already filtered.


@dataclass(frozen=True)
class Count:
    key: str  # what is counted: a client type, a channel id, a status...
    label: str  # in the reader's language
    count: int
    href: str = ""


@dataclass(frozen=True)
class Point:
    bucket: date  # the bucket's first day
    label: str  # the bucket as the reader reads it ("3 nov", "sem. 45", "nov 2026")
    count: int
    previous: int  # the same position in the previous period


@dataclass(frozen=True)
class CustomersTile:
    total: int  # created in the range (and not in the trash)
    previous_total: int  # created in the previous period
    series: tuple[Point, ...]
    by_type: tuple[Count, ...]
    by_channel: tuple[Count, ...]
    by_source: tuple[Count, ...]
    by_tag: tuple[Count, ...]  # the ten tags with most new customers
    href: str  # the list of the customers created in the range
    as_of: datetime | None  # when the summary of past days was refreshed (None: never, all counted live)


@dataclass(frozen=True)
class ContactTile:
    total: int  # active customers
    mobile: int  # with a valid mobile number
    whatsapp: int  # with a number flagged WhatsApp
    email_consent: int  # with an e-mail that accepts mail
    any_consent: int  # e-mail consent, WhatsApp or SMS on some number
    unreachable: int  # no phone and no e-mail with consent
    unreachable_href: str
    as_of: datetime | None


@dataclass(frozen=True)
class TodayItem:
    id: int
    title: str  # a task's title, a customer's name, an order's number, a comment's first words
    detail: str  # due time, "cumple el 5 dic", the order's client, the comment's author and customer
    href: str
    overdue: bool = False
    customer_id: int = 0


@dataclass(frozen=True)
class TodayTile:
    overdue_tasks: tuple[TodayItem, ...]
    due_today_tasks: tuple[TodayItem, ...]
    birthdays: tuple[TodayItem, ...]  # this week (Monday to Sunday, local), by month and day
    orders_due: tuple[TodayItem, ...]  # open orders due today or before; () with no orders
    comments: tuple[TodayItem, ...]  # the latest comments by others on the reader's customers
    has_orders: bool  # the organization has orders at all: the tile shows the list only then


@dataclass(frozen=True)
class WorkloadRow:
    user_id: int
    name: str
    open_tasks: Count
    overdue_tasks: Count
    customers_this_month: Count
    leads: tuple[Count, ...]  # by status (domain.documents.LEAD_STATUSES)
    orders: tuple[Count, ...]  # by status (domain.documents.ORDER_STATUSES); () with no orders


@dataclass(frozen=True)
class WorkloadTile:
    rows: tuple[WorkloadRow, ...]  # admins: every active user; sales users: themselves
    totals: WorkloadRow  # the organization's (user_id 0)
    has_leads: bool
    has_orders: bool


@dataclass(frozen=True)
class PipelineStage:
    status: str
    label: str
    count: int  # leads created in the range now in this status
    # Leads created in the range at this stage or past it on the way to won (new < contacted < qualified
    # < won); a lost lead's last stage is not kept, so lost ones count only as lost.
    reached: int
    rate: float  # reached / leads created in the range, 0..1
    href: str


@dataclass(frozen=True)
class PipelineTile:
    total: int  # leads created in the range
    won: int
    conversion: float  # won / total, 0..1
    stages: tuple[PipelineStage, ...]


TILES = ("today", "customers", "contact", "workload", "pipeline")
