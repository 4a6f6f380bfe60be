"""What a job's code sees while it runs: its payload, a way to report progress (which is also its
heartbeat and where a cancel request reaches it), and how a kind of job is declared."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from crm_app.db import get_engine, session_scope
from crm_app.models import Job
from crm_app.models.types import utcnow


class JobCancelled(Exception):
    """The job's owner asked it to stop: raised by :meth:`JobRun.progress` between batches."""


class JobInterrupted(Exception):
    """The job stops between batches without finishing: its worker is shutting down (SIGTERM), or a
    sweep already took it for dead (a batch slower than the heartbeat's limit). What it did stays; it
    is "interrupted", and its owner resumes or reverts it, so it never runs twice at once."""


@dataclass
class JobRun:
    id: int
    organization_id: int
    owner_id: int
    kind: str
    payload: dict[str, Any]
    worker: str
    database_url: str | None = None
    stop: threading.Event | None = None  # set when the worker process is told to stop

    def progress(self, done: int, total: int | None = None) -> None:
        """Record ``done`` of ``total`` (and that the worker is alive); raise JobCancelled when asked to
        stop, JobInterrupted when the worker stops or lost the job. Call it between batches, after each
        batch's commit: what is done stays done."""
        values: dict[str, Any] = {"done": done, "heartbeat_at": utcnow()}
        if total is not None:
            values["total"] = total
        with session_scope(get_engine(self.database_url)) as session:
            held = session.execute(
                update(Job).where(Job.id == self.id, Job.worker == self.worker, Job.status == "running")
                .values(**values).execution_options(synchronize_session=False)).rowcount
            cancel = session.execute(select(Job.cancel_requested).where(Job.id == self.id)).scalar_one()
        if not held or (self.stop is not None and self.stop.is_set()):
            raise JobInterrupted()
        if cancel:
            raise JobCancelled()


@dataclass(frozen=True)
class JobKind:
    """A kind of job: ``run`` does the work and returns its result (JSON-able); ``ended(session, job,
    status)`` runs in the transaction that records how the job ended (done, failed, cancelled,
    interrupted), so the record the job works for (an import) says the same."""

    run: Callable[[JobRun], dict[str, Any]]
    ended: Callable[[Session, Job, str], None]
