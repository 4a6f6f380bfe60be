"""The duplicate scan's job ("duplicate_scan"): services/duplicates/scan.py does the work, reporting
progress after each batch of customers (where a cancel request stops it)."""

from __future__ import annotations

from typing import Any

from crm_app.db import get_engine, session_scope
from crm_app.jobs.job_run import JobKind, JobRun
from crm_app.services.duplicates import scan


def _run(job: JobRun) -> dict[str, Any]:
    engine = get_engine(job.database_url)
    return scan.run_scan(job.id, lambda: session_scope(engine), job.progress)


KINDS: dict[str, JobKind] = {scan.SCAN_JOB: JobKind(run=_run, ended=scan.job_ended)}
