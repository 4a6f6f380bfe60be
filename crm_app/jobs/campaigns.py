"""The e-mail campaigns' job and tick: "campaign_send" prepares a campaign (its recipients and their
messages at the pace, services/campaigns/prepare.py) and, on resume, spaces its paused messages again;
the runner's tick starts the scheduled campaigns whose time came."""

from __future__ import annotations

from typing import Any

from crm_app.db import get_engine, session_scope
from crm_app.jobs.job_run import JobKind, JobRun
from crm_app.models.types import utcnow
from crm_app.services.campaigns import lifecycle, prepare


def _run(job: JobRun) -> dict[str, Any]:
    engine = get_engine(job.database_url)
    return prepare.run_send(int(job.payload["campaign_id"]), lambda: session_scope(engine), job.progress,
                            prepared=bool(job.payload.get("prepared")))


KINDS: dict[str, JobKind] = {lifecycle.SEND_JOB: JobKind(run=_run, ended=prepare.job_ended)}


def tick(database_url: str | None) -> None:
    """Start the scheduled campaigns that are due (one indexed query when none is)."""
    with session_scope(get_engine(database_url)) as session:
        lifecycle.start_due(session, utcnow())
