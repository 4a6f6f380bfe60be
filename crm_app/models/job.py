"""Background jobs (imports, their dry runs and reverts; later scans, bulk actions, campaigns): one row a
job, claimed by one worker, with its progress and heartbeat, so any page or tab shows the same bar and
a job whose worker died is seen as interrupted rather than running forever."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow

JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled", "interrupted")


class Job(SQLModel, table=True):
    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_status_id", "status", "id"),  # the runner's claim: the oldest queued job
        Index("ix_job_org_kind_id", "organization_id", "kind", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    kind: str = Field(max_length=40)
    owner_id: int = Field(foreign_key="app_user.id")
    status: str = Field(default="queued", max_length=16)
    # What the job works on (an import's id...), as JSON; its outcome (counts, a report), as JSON.
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    result: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    done: int = Field(default=0)
    total: int = Field(default=0)
    worker: str = Field(default="", max_length=64)
    cancel_requested: bool = Field(default=False)
    error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    heartbeat_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
