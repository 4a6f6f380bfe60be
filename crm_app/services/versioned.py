"""Rows with a version column and a soft delete (customers, accounts): the bookkeeping they share.

Every write bumps ``version``; an edit is a compare-and-set on the version it was made on, so of two
saves of the same version exactly one wins and the other is told who saved in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.sql.dml import Update
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict
from crm_app.models import User
from crm_app.models.types import utcnow


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def stale_conflict(session: Session, row: Any, code: str) -> Conflict:
    """Conflict(code, by=<who saved last>) for an edit made on an old version of ``row``."""
    return Conflict(code, by=user_names(session, (row.updated_by,)).get(row.updated_by or 0, ""))


def versioned_update(model: type, row_id: int, version: int, actor: Actor, values: dict[str, Any]) -> Update:
    """The compare-and-set UPDATE of an edit made on ``version``: it changes one row or none."""
    return (
        update(model)
        .where(model.id == row_id, model.version == version)
        .values(**values, version=version + 1, updated_at=utcnow(), updated_by=actor.user_id)
        .execution_options(synchronize_session=False)
    )


def set_deleted(session: Session, model: type, row: Any, actor: Actor, deleted: bool) -> None:
    """Soft-delete (or restore) ``row``: who and when are kept, and the version moves on."""
    now = utcnow()
    session.execute(
        update(model)
        .where(model.id == row.id)
        .values(
            deleted_at=now if deleted else None,
            deleted_by=actor.user_id if deleted else None,
            updated_at=now,
            updated_by=actor.user_id,
            version=model.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.expire(row)
