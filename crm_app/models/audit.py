"""The audit trail of a record people edit: who created, changed and soft-deleted it, when, its version;
and the partial indexes that list its active (not soft-deleted) rows.

Declared by type (``sa_type``, ``foreign_key``) rather than with ``sa_column``: a mixin's Column object
would be shared by every table that inherits it, and SQLAlchemy gives a column to one table only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, text
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


def created_by(user_id: int) -> dict[str, Any]:
    """The audit columns of a record a user creates now: its first version, created and last changed
    by him at the same instant."""
    now = utcnow()
    return {"created_at": now, "created_by": user_id, "updated_at": now, "updated_by": user_id, "version": 1}


def partial_index(name: str, *columns: str, where: str, sqlite_where: str = "", **kw: Any) -> Index:
    """An index of the rows ``where`` holds, on both dialects (``sqlite_where`` where SQLite spells it
    otherwise: it has no boolean type, ``flag = 1``)."""
    return Index(name, *columns, sqlite_where=text(sqlite_where or where), postgresql_where=text(where), **kw)


def active_index(name: str, *columns: str, **kw: Any) -> Index:
    """An index of the records not soft-deleted. Partial rather than led by ``deleted_at``: PostgreSQL
    does not take "IS NULL" as fixing a column for the index order, and would sort instead."""
    return partial_index(name, *columns, where="deleted_at IS NULL", **kw)
