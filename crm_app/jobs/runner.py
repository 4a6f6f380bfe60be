"""The job runner: claim the oldest queued job, run it, record how it ended.

Like the outbox, several runners may work at once (the app's own thread, ``python -m crm_app worker``
processes, several machines): a claim is one ``UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP
LOCKED) RETURNING``, so a job runs once. A job reports progress after each batch (its heartbeat); a
running job whose heartbeat stopped, or whose worker process on this machine is gone (``kill -9``), is
marked "interrupted" rather than run again by itself: what it wrote stays, and its owner decides to
resume or revert it. A job so marked that was only slow stops at its next batch (``progress`` raises
JobInterrupted), so a resumed copy never runs beside it; so does the job in hand when the worker
process is told to stop (SIGTERM), which then exits at once instead of being killed mid-batch.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
from collections.abc import AsyncIterator
from datetime import timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from crm_app.db import get_engine, session_scope
from crm_app.jobs import bulk, campaigns, customer_import, duplicates, panel
from crm_app.jobs.app_thread import app_thread
from crm_app.jobs.job_run import JobCancelled, JobInterrupted, JobKind, JobRun
from crm_app.models import Job
from crm_app.models.types import utcnow
from crm_app.settings import get_settings

log = logging.getLogger("crm_app.jobs")

KINDS: dict[str, JobKind] = {**customer_import.KINDS, **panel.KINDS, **campaigns.KINDS, **duplicates.KINDS,
                             **bulk.KINDS}
# Called between jobs: each queues the work that became due (scheduled campaigns, stale panel summaries).
TICKS = (campaigns.tick, panel.tick)
# A running job reports at least this often (each batch); silent longer, its worker is taken for dead.
STALE_HEARTBEAT = timedelta(minutes=2)
POLL_SECONDS = 1.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


def _process_gone(worker: str) -> bool:
    """True for a worker of this machine whose process no longer exists."""
    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def _end(session: Session, job: Job, status: str, *, error: str = "", result: dict | None = None) -> None:
    job.status, job.finished_at, job.error = status, utcnow(), error[:500]
    if result is not None:
        job.result = json.dumps(result, default=str)
    session.add(job)
    kind = KINDS.get(job.kind)
    if kind is not None:
        kind.ended(session, job, status)


def sweep(*, database_url: str | None = None) -> int:
    """Mark the running jobs whose worker died as interrupted; returns how many."""
    stale_before = utcnow() - STALE_HEARTBEAT
    with session_scope(get_engine(database_url)) as session:
        running = session.execute(select(Job).where(Job.status == "running")).scalars().all()
        dead = [j for j in running if _process_gone(j.worker)
                or (j.heartbeat_at is not None and j.heartbeat_at < stale_before)]
        for job in dead:
            log.warning("job %s (%s) of worker %s is interrupted", job.id, job.kind, job.worker)
            _end(session, job, "interrupted")
    return len(dead)


def claim(worker: str, *, database_url: str | None = None) -> JobRun | None:
    """Take the oldest queued job for ``worker``, or None."""
    now = utcnow()
    with session_scope(get_engine(database_url)) as session:
        oldest = (select(Job.id).where(Job.status == "queued").order_by(Job.id).limit(1)
                  .with_for_update(skip_locked=True))
        row = session.execute(
            update(Job).where(Job.id == oldest.scalar_subquery(), Job.status == "queued")
            .values(status="running", worker=worker, started_at=now, heartbeat_at=now)
            .returning(Job.id, Job.organization_id, Job.owner_id, Job.kind, Job.payload)
            .execution_options(synchronize_session=False)
        ).first()
    if row is None:
        return None
    return JobRun(id=row[0], organization_id=row[1], owner_id=row[2], kind=row[3],
                  payload=json.loads(row[4] or "{}"), worker=worker, database_url=database_url)


def run_job(job: JobRun) -> str:
    """Run a claimed job to its end and record it; returns the status it ended with."""
    kind = KINDS.get(job.kind)
    status, error, result = "done", "", None
    try:
        if kind is None:
            raise LookupError(f"unknown job kind {job.kind!r}")
        result = kind.run(job)
    except JobCancelled:
        status = "cancelled"
    except JobInterrupted:  # recorded only if it is still this worker's (a sweep may have done it)
        log.warning("job %s (%s) interrupted: its worker stops or lost it", job.id, job.kind)
        status = "interrupted"
    except Exception as exc:  # the job failed; the runner lives on and says why
        log.exception("job %s (%s) failed", job.id, job.kind)
        status, error = "failed", f"{type(exc).__name__}: {exc}"
    with session_scope(get_engine(job.database_url)) as session:
        row = session.get(Job, job.id)
        if row is not None and row.worker == job.worker and row.status == "running":
            _end(session, row, status, error=error, result=result)
    return status


def run_once(*, worker: str | None = None, database_url: str | None = None,
             stop: threading.Event | None = None) -> bool:
    """Sweep, queue what became due, then claim and run one job; False when none was queued. Once
    ``stop`` is set the job stops at its next batch, interrupted (its owner resumes it)."""
    sweep(database_url=database_url)
    for tick in TICKS:
        try:
            tick(database_url)
        except Exception:  # one tick's failure must not stop the jobs
            log.exception("job runner: %s failed", tick.__module__)
    if stop is not None and stop.is_set():  # shutting down: no new job
        return False
    job = claim(worker or worker_name(), database_url=database_url)
    if job is None:
        return False
    job.stop = stop
    run_job(job)
    return True


def run_forever(stop: threading.Event, *, database_url: str | None = None) -> None:
    worker = worker_name()
    log.info("job runner %s started", worker)
    while not stop.is_set():
        try:
            worked = run_once(worker=worker, database_url=database_url, stop=stop)
        except Exception:  # a database hiccup must not kill the runner
            log.exception("job runner %s: claim failed", worker)
            worked = False
        if not worked:
            stop.wait(POLL_SECONDS)


@contextlib.asynccontextmanager
async def in_app_runner() -> AsyncIterator[None]:
    """Reflex lifespan task: the app runs jobs in a thread of its own, unless CRM_WORKER_IN_APP=false
    leaves them, like the outbox, to ``python -m crm_app worker`` processes (the nodes of make prod)."""
    if not get_settings().messaging.worker_in_app:
        yield
        return
    async with app_thread(run_forever, "job-runner"):
        yield
