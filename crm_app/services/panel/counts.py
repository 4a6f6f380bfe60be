"""New customers over a range of local days: the summary's rows for the days before its refresh, a live
count (the creation index, a few rows) for the days since. A customer created a minute ago counts at
once; one trashed since the refresh still counts until the next one (at most minutes: jobs/panel.py)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.models import CustomerDayStat, PanelSummary
from crm_app.services.panel.context import Reader
from crm_app.services.panel.day_counts import count_days


@dataclass(frozen=True)
class RangeCounts:
    per_day: Counter  # local day -> new customers ("all")
    per_key: dict[tuple[str, str], int]  # (dimension, key) -> new customers over the whole range


def summary_of(session: Session, organization_id: int) -> PanelSummary | None:
    return session.get(PanelSummary, organization_id)


def contact_of(summary: PanelSummary) -> dict[str, int]:
    return json.loads(summary.contact or "{}")


def _summarized(session: Session, org_id: int, first: date, last: date, dimensions: tuple[str, ...],
                per_day: bool) -> RangeCounts:
    in_range = (CustomerDayStat.organization_id == org_id, CustomerDayStat.day >= first,
                CustomerDayStat.day <= last)
    days: Counter = Counter()
    if per_day:
        days.update(dict(session.execute(
            select(CustomerDayStat.day, CustomerDayStat.count)
            .where(*in_range, CustomerDayStat.dimension == "all")).all()))
    keys: dict[tuple[str, str], int] = {}
    if dimensions:
        rows = session.execute(
            select(CustomerDayStat.dimension, CustomerDayStat.key, func.sum(CustomerDayStat.count))
            .where(*in_range, CustomerDayStat.dimension.in_(dimensions))
            .group_by(CustomerDayStat.dimension, CustomerDayStat.key))
        keys = {(dimension, key): int(total) for dimension, key, total in rows}
    return RangeCounts(days, keys)


def range_counts(
    session: Session, reader: Reader, first: date, last: date, dimensions: Iterable[str] = (), *,
    summary: PanelSummary | None, per_day: bool = True,
) -> RangeCounts:
    """New customers from ``first`` to ``last`` (local days, included): per day, and per key of each of
    ``dimensions``. Without a summary every day is counted live."""
    dimensions = tuple(dimensions)
    cut = summary.through_day if summary is not None else first
    per_key: dict[tuple[str, str], int] = defaultdict(int)
    days: Counter = Counter()
    if first < cut:
        old = _summarized(session, reader.organization_id, first, min(last, cut - timedelta(days=1)),
                          dimensions, per_day)
        days.update(old.per_day)
        for key, count in old.per_key.items():
            per_key[key] += count
    if last >= cut:
        live_first = max(first, cut)
        wanted = (("all",) if per_day else ()) + dimensions
        live = count_days(session, reader.organization_id, reader.zone, wanted,
                          start=reader.day_start(live_first), end=reader.day_start(last + timedelta(days=1)))
        for (dimension, key), by_day in live.items():
            if dimension == "all":
                days.update(by_day)
            else:
                per_key[(dimension, key)] += sum(by_day.values())
    return RangeCounts(days, dict(per_key))
