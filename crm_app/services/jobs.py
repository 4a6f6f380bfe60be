"""Background jobs for services: queue one, read its progress, ask it to stop.

The runner (crm_app/jobs/runner.py) claims queued jobs and runs them; a job's owner service decides
who may see or cancel it (an import's job: whoever may import in its organization), so these
functions take the organization and check that the job is of it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from crm_app.domain.dto import fields_of
from crm_app.domain.errors import NotFound
from crm_app.domain.jobs import JobDTO
from crm_app.models import Job
from crm_app.services.tenancy import valid_id


def enqueue(
    session: Session, *, organization_id: int, owner_id: int, kind: str, payload: dict[str, Any],
    total: int = 0,
) -> int:
    """Queue a job in the caller's transaction (it starts once that commits); returns its id."""
    job = Job(organization_id=organization_id, owner_id=owner_id, kind=kind, total=total,
              payload=json.dumps(payload))
    session.add(job)
    session.flush()
    return job.id


def to_dto(job: Job) -> JobDTO:
    return fields_of(JobDTO, job, result=json.loads(job.result or "{}"))


def job_row(session: Session, organization_id: int, job_id: object) -> Job:
    job = session.get(Job, job_id) if valid_id(job_id) else None
    if job is None or job.organization_id != organization_id:
        raise NotFound("job")
    return job


def get_job(session: Session, organization_id: int, job_id: object) -> JobDTO:
    """The job's progress, read afresh (another process writes it)."""
    job = job_row(session, organization_id, job_id)
    session.refresh(job)
    return to_dto(job)


def request_cancel(session: Session, organization_id: int, job_id: object) -> None:
    """Ask a queued or running job to stop: the runner stops it before its next batch."""
    job = job_row(session, organization_id, job_id)
    session.execute(
        update(Job).where(Job.id == job.id, Job.status.in_(("queued", "running")))
        .values(cancel_requested=True).execution_options(synchronize_session=False)
    )
