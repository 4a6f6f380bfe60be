"""The audit trail of a record people edit: who created, changed and soft-deleted it, when, its version.

Declared by type (``sa_type``, ``foreign_key``) rather than with ``sa_column``: a mixin's Column object
would be shared by every table that inherits it, and SQLAlchemy gives a column to one table only.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow


class AuditTrail(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_by: int | None = Field(default=None, foreign_key="app_user.id")
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # None = active
    deleted_by: int | None = Field(default=None, foreign_key="app_user.id")
    version: int = Field(default=1)  # bumped by each save; a stale save is refused
