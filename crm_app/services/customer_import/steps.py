"""An import's steps as the user takes them: upload a file, map its columns and choose the mode, check
it (a dry run), write it, cancel, resume, revert. The long steps queue a job (services/jobs); the job
runner calls back :func:`job_ended` when it ends, in the same transaction, so the import's status
follows its job's.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, ValidationFailed
from crm_app.domain.import_columns import header_key, numbered
from crm_app.domain.import_headers import match_headers
from crm_app.domain.import_rows import IMPORT_MODES, MATCH_KEYS
from crm_app.domain.sheet_reading import SHEET_SUFFIXES, SheetLimits, inspect_sheet
from crm_app.models import CustomerImport, Job
from crm_app.models.types import utcnow
from crm_app.services import jobs
from crm_app.services.customer_import.judged import forget
from crm_app.services.customer_import.records import (
    WORKING,
    WROTE,
    ImportDTO,
    import_row,
    imports_dir,
    mapping_of,
    to_dto,
)
from crm_app.services.import_template import header_names_for
from crm_app.services.transfer_access import check_transfer
from crm_app.settings import get_settings

CHECK, WRITE, REVERT = "customer_import.check", "customer_import.write", "customer_import.revert"
MAX_FILE_NAME = 255


def _limits() -> SheetLimits:
    settings = get_settings()
    return SheetLimits(max_bytes=settings.import_max_bytes, max_rows=settings.import_max_rows)


def _remembered(session: Session, organization_id: int) -> dict[str, str]:
    """The organization's last mapping, by header: what the user chose for a header last time."""
    last = session.execute(
        select(CustomerImport).where(CustomerImport.organization_id == organization_id,
                                     CustomerImport.status != "uploaded")
        .order_by(CustomerImport.id.desc()).limit(1)
    ).scalars().first()
    if last is None:
        return {}
    columns, _ = mapping_of(last)
    headers = json.loads(last.headers or "[]")
    return {header_key(headers[i]): key for i, key in columns.items() if i < len(headers)}


def suggest_mapping(
    headers: tuple[str, ...], names: Mapping[str, object], remembered: dict[str, str]
) -> dict[int, str]:
    """Columns matched by header, then the organization's last choices for the same headers."""
    columns = match_headers(headers, names)
    for index, header in enumerate(headers):
        key = remembered.get(header_key(header))
        if key in names and key not in columns.values():
            columns[index] = key
    return columns


def _copy_bounded(source: BinaryIO, target: Path, limit: int) -> None:
    """Copy the upload to where the import keeps it, refusing it as soon as it passes ``limit`` bytes."""
    copied = 0
    with target.open("wb") as out:
        while chunk := source.read(1024 * 1024):
            copied += len(chunk)
            if copied > limit:
                break
            out.write(chunk)
    if copied > limit:
        target.unlink(missing_ok=True)
        raise ValidationFailed({"file": FieldError("file_too_large", max_mb=limit // (1024 * 1024))})


def register_upload(*, session: Session, actor: Actor, source: BinaryIO, file_name: str) -> ImportDTO:
    """Keep an uploaded file (``source``, read once) for an import: checked (type, size, rows, header),
    its columns matched.

    Raises Forbidden, or ValidationFailed({"file": ...}) with nothing kept."""
    org = check_transfer(session, actor)
    name = Path(file_name or "").name[:MAX_FILE_NAME] or "import"
    suffix = Path(name).suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise ValidationFailed({"file": FieldError("file_type_unsupported")})
    folder = imports_dir(org.id)
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}{suffix}"
    target = folder / stored
    _copy_bounded(source, target, _limits().max_bytes)
    try:
        info = inspect_sheet(target, name, _limits())
    except FieldError as exc:
        target.unlink(missing_ok=True)
        raise ValidationFailed({"file": exc}) from None
    names = header_names_for(session, org, "person")
    columns = suggest_mapping(info.headers, names, _remembered(session, org.id))
    types = {k for k in columns.values() if k in ("legal_name", "trade_name")}
    row = CustomerImport(
        organization_id=org.id, created_by=actor.user_id, file_name=name, stored_name=stored,
        file_size=target.stat().st_size, row_count=info.row_count, headers=json.dumps(list(info.headers)),
        client_type="company" if types and "first_name" not in columns.values() else "person",
        mapping=json.dumps({"columns": {str(i): k for i, k in columns.items()}, "defaults": {}}),
    )
    session.add(row)
    session.flush()
    return to_dto(session, row)


@dataclass(frozen=True)
class ImportChoices:
    """What the user chose on the mapping screen."""

    columns: Mapping[int, str]  # column index -> key ("" or absent: ignored)
    defaults: Mapping[str, str]  # key -> value for every row (a field the file lacks)
    client_type: str
    mode: str
    match_by: str
    valid_only: bool = False


def _check_choices(choices: ImportChoices, headers: int, names: Mapping[str, object]) -> dict[str, str]:
    errors: dict[str, FieldError] = {}
    columns = {int(i): k for i, k in choices.columns.items() if k}
    if any(not 0 <= i < headers for i in columns) or any(k not in names for k in columns.values()):
        errors["columns"] = FieldError("import_column_unknown")
    elif len(set(columns.values())) != len(columns):
        errors["columns"] = FieldError("import_column_twice")
    if choices.client_type not in CLIENT_TYPES:
        errors["client_type"] = FieldError("client_type_invalid", client_type=choices.client_type)
    if choices.mode not in IMPORT_MODES:
        errors["mode"] = FieldError("import_mode_invalid")
    if choices.match_by not in MATCH_KEYS:
        errors["match_by"] = FieldError("import_match_invalid")
    elif choices.mode != "create" and not _match_mapped(choices.match_by, columns.values()):
        errors["match_by"] = FieldError("import_match_unmapped")
    defaults = {k: str(v).strip()[:200] for k, v in choices.defaults.items() if str(v).strip()}
    if any(k not in names or numbered(k) for k in defaults):
        errors["defaults"] = FieldError("import_column_unknown")
    if errors:
        raise ValidationFailed(errors)
    return defaults


def _match_mapped(match_by: str, keys) -> bool:
    keys = set(keys)
    return {"tax_id": "tax_id" in keys, "loyalty_id": "loyalty_id" in keys,
            "email": any(k.startswith("emails.") and k.endswith(".address") for k in keys),
            "phone": any(k.startswith("phones.") and k.endswith(".number") for k in keys)}[match_by]


def save_choices(*, session: Session, actor: Actor, import_id: int, choices: ImportChoices) -> ImportDTO:
    """Keep the mapping and mode of an import not yet written; a change asks for a new check."""
    row = import_row(session, actor, import_id)
    if row.status not in ("uploaded", "checked"):
        raise Conflict("import_busy")
    org = check_transfer(session, actor)
    defaults = _check_choices(choices, len(json.loads(row.headers)), header_names_for(session, org, "person"))
    row.mapping = json.dumps({"columns": {str(int(i)): k for i, k in choices.columns.items() if k},
                              "defaults": defaults})
    row.client_type, row.mode, row.match_by = choices.client_type, choices.mode, choices.match_by
    row.valid_only, row.status, row.counts = bool(choices.valid_only), "uploaded", "{}"
    forget(row)  # the last dry run judged another mapping
    session.add(row)
    session.flush()
    return to_dto(session, row)


def save_valid_only(*, session: Session, actor: Actor, import_id: int, valid_only: bool) -> ImportDTO:
    """Import only the valid rows of a checked file, or all (refused while some have problems)."""
    row = import_row(session, actor, import_id)
    if row.status != "checked":
        raise Conflict("import_busy")
    row.valid_only = bool(valid_only)
    session.add(row)
    session.flush()
    return to_dto(session, row)


def _start(
    session: Session, actor: Actor, row: CustomerImport, kind: str, status: str, total: int
) -> ImportDTO:
    row.job_id = jobs.enqueue(session, organization_id=row.organization_id, owner_id=actor.user_id,
                              kind=kind, payload={"import_id": row.id}, total=total)
    row.status = status
    session.add(row)
    session.flush()
    return to_dto(session, row)


def start_check(*, session: Session, actor: Actor, import_id: int) -> ImportDTO:
    """Queue the dry run of an import not yet written."""
    row = import_row(session, actor, import_id)
    if row.status not in ("uploaded", "checked"):
        raise Conflict("import_busy")
    forget(row)
    return _start(session, actor, row, CHECK, "checking", row.row_count)


def start_write(*, session: Session, actor: Actor, import_id: int) -> ImportDTO:
    """Queue the write of a checked import (or the rest of one cut short: a resume).

    Refused while the check found problems, unless the user chose to import only the valid rows."""
    row = import_row(session, actor, import_id)
    if row.status == "checked":
        errors = json.loads(row.counts or "{}").get("error", 0)
        if errors and not row.valid_only:
            raise Conflict("import_has_errors", count=errors)
    elif row.status not in ("interrupted", "cancelled", "failed") or row.reverted_at is not None:
        raise Conflict("import_busy")
    return _start(session, actor, row, WRITE, "importing", row.row_count)


def start_revert(*, session: Session, actor: Actor, import_id: int) -> ImportDTO:
    """Queue the revert of what an import wrote."""
    row = import_row(session, actor, import_id)
    if row.status not in (*WROTE, "revert_stopped") or row.reverted_at is not None:
        raise Conflict("import_busy")
    return _start(session, actor, row, REVERT, "reverting", row.created_count + row.updated_count)


def cancel(*, session: Session, actor: Actor, import_id: int) -> None:
    """Ask the import's running job to stop after its current batch (what it wrote stays, revertible)."""
    row = import_row(session, actor, import_id)
    if row.status in WORKING and row.job_id is not None:
        jobs.request_cancel(session, row.organization_id, row.job_id)


# --------------------------------------------------------------------------- the runner's callback

# The import's status once its job ended, by job kind and how the job ended. A check that did not
# finish leaves the import to be checked again; a write that did not finish can be resumed or reverted;
# a revert that did not finish can be run again (it goes on with what it had not undone).
_AFTER = {
    CHECK: {"done": "checked"},
    WRITE: {"done": "done", "cancelled": "cancelled", "failed": "failed", "interrupted": "interrupted"},
    REVERT: {"done": "reverted"},
}
_NOT_FINISHED = {CHECK: "uploaded", WRITE: "failed", REVERT: "revert_stopped"}


def job_ended(session: Session, job: Job, status: str) -> None:
    """Called by the runner in the transaction that ends ``job``."""
    import_id = json.loads(job.payload or "{}").get("import_id")
    row = session.get(CustomerImport, import_id)
    if row is None or row.job_id != job.id:
        return
    after = _AFTER[job.kind].get(status, _NOT_FINISHED[job.kind])
    row.status = after
    result = json.loads(job.result or "{}")
    if job.kind == CHECK and status == "done":
        row.counts = json.dumps(result.get("counts", {}))
    if job.kind == WRITE and status == "done":
        row.finished_at = utcnow()
    if job.kind == REVERT and status == "done":
        row.reverted_at, row.reverted_by = utcnow(), job.owner_id
    session.add(row)
