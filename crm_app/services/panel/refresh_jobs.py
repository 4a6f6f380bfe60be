"""When the panel's summary is refreshed: a job of kind "panel_refresh" per organization, queued by the
runner's tick when the summary is missing or older than STALE_AFTER, or by the panel when it finds it
stale; never a second one while one is queued or running, nor again within STALE_AFTER of the last
(a failing refresh is retried that often, not at every tick or page load).

Every STALE_AFTER a big organization's refresh reads all its customers again (seconds at a million:
bench/panel.py); cheaper than keeping day counts in every customer write, import batch, trash and
restore, and the panel's today is counted live anyway."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.models import Customer, Job, Organization, PanelSummary, User
from crm_app.models.types import utcnow
from crm_app.services import jobs
from crm_app.services.panel.context import reader

KIND = "panel_refresh"
STALE_AFTER = timedelta(minutes=10)
KEEP_ENDED = timedelta(days=1)
ACTIVE = ("queued", "running")


def recent_job(session: Session, organization_id: int, now: datetime | None = None) -> int | None:
    """The organization's latest refresh job while it is pending or younger than STALE_AFTER."""
    row = session.execute(select(Job.id, Job.status, Job.created_at)
                          .where(Job.organization_id == organization_id, Job.kind == KIND)
                          .order_by(Job.id.desc()).limit(1)).first()
    if row is None:
        return None
    job_id, status, created_at = row
    return job_id if status in ACTIVE or created_at >= (now or utcnow()) - STALE_AFTER else None


def is_stale(refreshed_at: datetime | None, now: datetime | None = None) -> bool:
    return refreshed_at is None or refreshed_at < (now or utcnow()) - STALE_AFTER


def _queue(session: Session, organization_id: int, owner_id: int) -> int:
    """Queue a refresh, and drop the organization's refreshes that ended over KEEP_ENDED ago: one every
    STALE_AFTER would otherwise pile up in the job table for ever (nothing else refers to them)."""
    session.execute(delete(Job).where(Job.organization_id == organization_id, Job.kind == KIND,
                                      Job.status.not_in(ACTIVE), Job.created_at < utcnow() - KEEP_ENDED)
                    .execution_options(synchronize_session=False))
    return jobs.enqueue(session, organization_id=organization_id, owner_id=owner_id, kind=KIND,
                        payload={"organization_id": organization_id})


def request_refresh(*, session: Session, actor: Actor) -> int:
    """Queue a refresh of the actor's organization's summary (in the caller's transaction), unless one
    is pending or was queued less than STALE_AFTER ago (a page loaded again and again, a refresh that
    failed): the id of the job that refreshes, or last refreshed, it."""
    who = reader(session, actor)
    return recent_job(session, who.organization_id) or _queue(session, who.organization_id, who.user_id)


def due_organizations(session: Session, now: datetime | None = None) -> list[tuple[int, int]]:
    """(organization, the user its job is queued for: its first active admin) of the organizations with
    customers whose summary is missing or stale, and whose latest refresh job is neither pending nor
    younger than STALE_AFTER (a refresh that fails is retried every STALE_AFTER, not at every tick).
    One query over the organizations, the latest job found through ix_job_org_kind_id: cheap when
    nothing is due."""
    cutoff = (now or utcnow()) - STALE_AFTER
    owner = (select(func.min(User.id)).where(User.organization_id == Organization.id, User.is_active,
                                            User.role == "admin").scalar_subquery())
    latest_id = (select(Job.id).where(Job.organization_id == Organization.id, Job.kind == KIND)
                 .order_by(Job.id.desc()).limit(1).scalar_subquery())
    latest = aliased(Job)
    has_customers = exists().where(Customer.organization_id == Organization.id)
    query = (select(Organization.id, owner)
             .outerjoin(PanelSummary, PanelSummary.organization_id == Organization.id)
             .outerjoin(latest, latest.id == latest_id)
             .where(PanelSummary.organization_id.is_(None) | (PanelSummary.refreshed_at < cutoff))
             .where(latest.id.is_(None) | (latest.status.not_in(ACTIVE) & (latest.created_at < cutoff)))
             .where(has_customers))
    return [(org_id, owner_id) for org_id, owner_id in session.execute(query) if owner_id is not None]


def queue_due(session: Session, now: datetime | None = None) -> list[int]:
    """Queue a refresh for every organization :func:`due_organizations` names; the jobs' ids."""
    return [_queue(session, org_id, owner_id) for org_id, owner_id in due_organizations(session, now)]
