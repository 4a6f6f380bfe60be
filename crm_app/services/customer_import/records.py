"""An import as the pages see it, and where its file lives.

Every entry point reads the import through :func:`import_row`, which checks the actor may import
(services/transfer_access) and that the import is of his organization (else NotFound, as a missing one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.models import CustomerImport, User
from crm_app.services.tenancy import valid_id
from crm_app.services.transfer_access import check_transfer
from crm_app.settings import get_settings

# Statuses in which a job of the import is at work.
WORKING = frozenset({"checking", "importing", "reverting"})
# Statuses after which the import wrote customers that a revert can undo, or a resume complete.
WROTE = frozenset({"done", "interrupted", "cancelled", "failed"})


@dataclass(frozen=True)
class ImportDTO:
    id: int
    file_name: str
    created_at: datetime
    created_by_name: str
    status: str
    row_count: int
    headers: tuple[str, ...]
    client_type: str
    mode: str
    match_by: str
    columns: dict[int, str]
    defaults: dict[str, str]
    valid_only: bool
    job_id: int | None
    counts: dict[str, Any] = field(default_factory=dict)
    created_count: int = 0
    updated_count: int = 0
    next_row: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    reverted_at: datetime | None = None
    revert_skipped: tuple[dict[str, Any], ...] = ()


def mapping_of(row: CustomerImport) -> tuple[dict[int, str], dict[str, str]]:
    mapping = json.loads(row.mapping or "{}")
    columns = {int(index): key for index, key in mapping.get("columns", {}).items()}
    return columns, dict(mapping.get("defaults", {}))


def to_dto(session: Session, row: CustomerImport) -> ImportDTO:
    columns, defaults = mapping_of(row)
    user = session.get(User, row.created_by)
    return ImportDTO(
        id=row.id, file_name=row.file_name, created_at=row.created_at,
        created_by_name=user.name if user else "", status=row.status, row_count=row.row_count,
        headers=tuple(json.loads(row.headers or "[]")), client_type=row.client_type, mode=row.mode,
        match_by=row.match_by, columns=columns, defaults=defaults, valid_only=row.valid_only,
        job_id=row.job_id, counts=json.loads(row.counts or "{}"), created_count=row.created_count,
        updated_count=row.updated_count, next_row=row.next_row, started_at=row.started_at,
        finished_at=row.finished_at, reverted_at=row.reverted_at,
        revert_skipped=tuple(json.loads(row.revert_skipped or "[]")),
    )


def import_row(session: Session, actor: Actor, import_id: object) -> CustomerImport:
    """The organization's import ``import_id`` (read afresh: a job writes it), else NotFound; Forbidden
    when the actor may not import."""
    check_transfer(session, actor)
    row = session.get(CustomerImport, import_id) if valid_id(import_id) else None
    if row is None or row.organization_id != actor.organization_id:
        raise NotFound("import")
    session.refresh(row)
    return row


def get_import(*, session: Session, actor: Actor, import_id: int) -> ImportDTO:
    return to_dto(session, import_row(session, actor, import_id))


def list_imports(*, session: Session, actor: Actor, limit: int = 20) -> list[ImportDTO]:
    """The organization's latest imports, newest first."""
    check_transfer(session, actor)
    rows = session.execute(
        select(CustomerImport).where(CustomerImport.organization_id == actor.organization_id)
        .order_by(CustomerImport.id.desc()).limit(max(1, min(limit, 100)))
    ).scalars().all()
    return [to_dto(session, row) for row in rows]


def imports_dir(organization_id: int) -> Path:
    return Path(get_settings().imports_dir) / str(int(organization_id))


def file_path(row: CustomerImport) -> Path:
    return imports_dir(row.organization_id) / row.stored_name


def report_path(row: CustomerImport) -> Path:
    """The check's copy of the file with an error column."""
    return imports_dir(row.organization_id) / (row.stored_name.rsplit(".", 1)[0] + ".errors.xlsx")


def report_file(*, session: Session, actor: Actor, import_id: int) -> tuple[Path, str]:
    """The check's report of the import (its path, and a download name), or NotFound before the check."""
    row = import_row(session, actor, import_id)
    path = report_path(row)
    if not path.is_file():
        raise NotFound("import_report")
    return path, Path(row.file_name).stem + ".errores.xlsx"
