"""Recompute an organization's panel summary: its customers' day stats (every dimension of
models.panel.DAY_DIMENSIONS) for the local days before today, and its contactability figures.

The grouping reads come first, each its own short read; the org's rows are then replaced in one short
transaction, so the panel never sees half a summary and writers are not held back by the reads.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import delete, insert
from sqlmodel import Session

from crm_app.domain.errors import NotFound
from crm_app.domain.local_time import zone
from crm_app.models import CustomerDayStat, Organization, PanelSummary
from crm_app.models.types import utcnow
from crm_app.services.panel.contact import count_contact
from crm_app.services.panel.context import start_of
from crm_app.services.panel.day_counts import count_days

SessionFactory = Callable[[], AbstractContextManager[Session]]
Progress = Callable[[int, int], None]
GROUPED = ("type", "channel", "source", "creator", "tag")  # "all" is the sum of the types
STEPS = len(GROUPED) + 2  # each grouping, the contact figures, the write
INSERT_BATCH = 5000


def refresh_summary(organization_id: int, *, session_factory: SessionFactory,
                    progress: Progress | None = None) -> None:
    def step(done: int) -> None:
        if progress is not None:
            progress(done, STEPS)

    refreshed_at = utcnow()
    with session_factory() as session:
        org = session.get(Organization, organization_id)
        if org is None:
            raise NotFound("organization")
        tz = zone(org.timezone)
    through_day = refreshed_at.astimezone(tz).date()
    before = start_of(through_day, tz)  # the summary holds the days before today; today is counted live
    rows: list[dict] = []
    for done, dimension in enumerate(GROUPED):
        with session_factory() as session:
            found = count_days(session, organization_id, tz, (dimension,), end=before)
        if dimension == "type":
            rows += _rows(organization_id, "all", "", sum(found.values(), Counter()))
        for (dim, key), by_day in found.items():
            rows += _rows(organization_id, dim, key[:64], by_day)
        step(done + 1)
    with session_factory() as session:
        figures = count_contact(session, organization_id)
    step(len(GROUPED) + 1)
    with session_factory() as session:
        session.execute(delete(CustomerDayStat).where(CustomerDayStat.organization_id == organization_id))
        for first in range(0, len(rows), INSERT_BATCH):
            session.execute(insert(CustomerDayStat), rows[first:first + INSERT_BATCH])
        summary = session.get(PanelSummary, organization_id) or PanelSummary(organization_id=organization_id)
        summary.refreshed_at, summary.through_day = refreshed_at, through_day
        summary.contact = json.dumps(figures)
        session.add(summary)
    step(STEPS)


def _rows(organization_id: int, dimension: str, key: str, by_day: Counter) -> list[dict]:
    return [{"organization_id": organization_id, "day": day, "dimension": dimension, "key": key,
             "count": count} for day, count in by_day.items() if count]
