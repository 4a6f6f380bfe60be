"""The leads pipeline: the leads created in the range, how many are in each status, how many reached
each stage on the way to won, and the conversion (won / created). One grouped read through the leads'
creation index."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.domain.documents import LEAD_STATUSES
from crm_app.domain.dto import Actor
from crm_app.domain.panel import PanelRange, PipelineStage, PipelineTile
from crm_app.i18n import t
from crm_app.models import Lead
from crm_app.services.panel.context import href, reader

WAY_TO_WON = ("new", "contacted", "qualified", "won")


def reached(counts: dict[str, int], status: str) -> int:
    """Leads at ``status`` or past it on the way to won; lost ones count only as lost."""
    if status not in WAY_TO_WON:
        return counts.get(status, 0)
    return sum(counts.get(later, 0) for later in WAY_TO_WON[WAY_TO_WON.index(status):])


def pipeline(*, session: Session, actor: Actor, rng: PanelRange) -> PipelineTile:
    who = reader(session, actor)
    rows = session.execute(
        select(Lead.status, func.count())
        .where(Lead.organization_id == who.organization_id, Lead.deleted_at.is_(None),
               Lead.created_at >= who.day_start(rng.start),
               Lead.created_at < who.day_start(rng.end + timedelta(days=1)))
        .group_by(Lead.status))
    counts = {status: int(count) for status, count in rows}
    total = sum(counts.values())
    stages = tuple(
        PipelineStage(status=status, label=t(f"lead_status_{status}", who.lang), count=counts.get(status, 0),
                      reached=reached(counts, status),
                      rate=reached(counts, status) / total if total else 0.0,
                      href=href("/leads", status=status, **{"from": rng.start, "to": rng.end}))
        for status in LEAD_STATUSES)
    won = counts.get("won", 0)
    return PipelineTile(total=total, won=won, conversion=won / total if total else 0.0, stages=stages)
