"""Bulk actions' jobs: "bulk_action" applies a large selection batch by batch, "bulk_undo" undoes a
large action (services/bulk/run.py and undo.py do the work; this wires them to the runner)."""

from __future__ import annotations

from typing import Any

from crm_app.db import get_engine, session_scope
from crm_app.jobs.job_run import JobKind, JobRun
from crm_app.services.bulk import reverting, run


def _run(job: JobRun) -> dict[str, Any]:
    engine = get_engine(job.database_url)
    return run.run_job(int(job.payload["bulk_action_id"]), lambda: session_scope(engine), job.progress)


def _undo(job: JobRun) -> dict[str, Any]:
    engine = get_engine(job.database_url)
    return reverting.run_job(int(job.payload["bulk_action_id"]), lambda: session_scope(engine), job.progress)


KINDS: dict[str, JobKind] = {
    run.JOB_KIND: JobKind(run=_run, ended=run.job_ended),
    reverting.JOB_KIND: JobKind(run=_undo, ended=reverting.job_ended),
}
