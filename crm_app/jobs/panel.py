"""The panel's jobs: refresh an organization's customer day stats and contactability summary
(services/panel/refresh.py), and the runner's tick that queues a refresh for the organizations whose
summary is stale (services/panel/refresh_jobs.py: missing or older than STALE_AFTER, none pending)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from crm_app.db import get_engine, session_scope
from crm_app.jobs.job_run import JobKind, JobRun
from crm_app.models import Job
from crm_app.services.panel.refresh import refresh_summary
from crm_app.services.panel.refresh_jobs import KIND, queue_due


def _run(job: JobRun) -> dict[str, Any]:
    # The job's own organization: a payload naming another one is not trusted.
    organization_id = job.organization_id
    engine = get_engine(job.database_url)
    refresh_summary(organization_id, session_factory=lambda: session_scope(engine), progress=job.progress)
    return {"organization_id": organization_id}


def _ended(session: Session, job: Job, status: str) -> None:
    """Nothing to undo: a refresh that did not finish left the previous summary in place."""


KINDS: dict[str, JobKind] = {KIND: JobKind(run=_run, ended=_ended)}


def tick(database_url: str | None) -> None:
    """Queue what is due (called by the runner between jobs; must be cheap when nothing is)."""
    with session_scope(get_engine(database_url)) as session:
        queue_due(session)
