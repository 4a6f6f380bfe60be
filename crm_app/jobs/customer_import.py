"""The import's jobs: its dry run, its write and its revert (the work is services/customer_import/runs.py)."""

from __future__ import annotations

from typing import Any

from crm_app.db import get_engine, session_scope
from crm_app.jobs.job_run import JobKind, JobRun
from crm_app.services import customer_import
from crm_app.services.customer_import import runs


def _run(work):
    def run(job: JobRun) -> dict[str, Any]:
        engine = get_engine(job.database_url)
        return work(int(job.payload["import_id"]), lambda: session_scope(engine), job.progress)

    return run


KINDS = {
    customer_import.CHECK: JobKind(run=_run(runs.run_check), ended=customer_import.job_ended),
    customer_import.WRITE: JobKind(run=_run(runs.run_write), ended=customer_import.job_ended),
    customer_import.REVERT: JobKind(run=_run(runs.run_revert), ended=customer_import.job_ended),
}
