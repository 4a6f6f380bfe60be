"""Files attached to a customer: store an upload, list the latest, open one for download, delete.

Anyone of the organization attaches files and downloads them; the uploader or an admin deletes one.
A stored file is checked from its content (type allow-list, images decoded by Pillow), named at
random on disk (services/file_store.py), and its "file" feed event is written in the same
transaction. Another organization's customer or file is NotFound, exactly like a missing one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.file_types import CHUNK_TEXT_SCAN, detect, display_name, looks_like_text, name_for_type
from crm_app.domain.images import THUMBNAIL_CONTENT_TYPE, NotAnImage, inspect_image, write_thumbnail
from crm_app.models import StoredFile, User
from crm_app.services import feed
from crm_app.services.file_store import FileStore, TooBig, default_store, on_commit, on_rollback
from crm_app.services.tenancy import org_row

log = logging.getLogger(__name__)

MAX_FILE_MB = 20
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_FILES_PER_UPLOAD = 10
FILES_PAGE = 12


@dataclass(frozen=True)
class FileDTO:
    id: int
    customer_id: int
    name: str
    content_type: str
    size: int
    sha256: str
    is_image: bool
    width: int | None
    height: int | None
    has_thumbnail: bool
    created_at: datetime
    uploaded_by: int | None
    uploaded_by_name: str


@dataclass(frozen=True)
class FileContent:
    """What a download sends: the file's description and where its bytes (or thumbnail) are."""

    file: FileDTO
    path: Path
    content_type: str


def _dto(row: StoredFile, uploader_name: str) -> FileDTO:
    return FileDTO(
        id=row.id, customer_id=row.customer_id, name=row.original_name, content_type=row.content_type,
        size=row.size, sha256=row.sha256, is_image=row.is_image, width=row.width, height=row.height,
        has_thumbnail=row.has_thumbnail, created_at=row.created_at, uploaded_by=row.uploaded_by,
        uploaded_by_name=uploader_name,
    )


def _refuse(code: str, **params: object) -> ValidationFailed:
    return ValidationFailed({"file": FieldError(code, **params)})


def _is_text(path: Path) -> bool:
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK_TEXT_SCAN):
            if not looks_like_text(chunk):
                return False
    return True


def store_file(
    *,
    session: Session,
    actor: Actor,
    customer_id: int,
    stream: BinaryIO,
    filename: str | None,
    size_hint: int | None = None,
    store: FileStore | None = None,
) -> FileDTO:
    """Attach the bytes of ``stream`` to the customer; returns the stored file.

    ``size_hint`` (what the upload announced) refuses an oversized file before reading it; the
    limit is enforced while reading either way. Raises NotFound (customer), ValidationFailed with a
    ``file`` error: file_too_big, file_empty, file_type_not_allowed.
    """
    feed.check_customer(session, actor, customer_id)
    if size_hint is not None and size_hint > MAX_FILE_BYTES:
        raise _refuse("file_too_big", max_mb=MAX_FILE_MB)
    store = store or default_store()
    name = display_name(filename)
    try:
        received = store.receive(stream, limit=MAX_FILE_BYTES)
    except TooBig:
        raise _refuse("file_too_big", max_mb=MAX_FILE_MB) from None
    try:
        if received.size == 0:
            raise _refuse("file_empty")
        kind = detect(received.head, name)
        if kind is not None and kind.mime.startswith("text/") and not _is_text(received.temp):
            kind = None
        if kind is None:
            raise _refuse("file_type_not_allowed")
        info = inspect_image(received.temp) if kind.is_image else None
    except NotAnImage:
        received.temp.unlink(missing_ok=True)
        raise _refuse("file_type_not_allowed") from None
    except BaseException:
        received.temp.unlink(missing_ok=True)
        raise

    name = name_for_type(name, kind)
    key = store.new_key()
    on_rollback(session, lambda: store.remove(key))
    path = store.place(received.temp, key)
    has_thumbnail = False
    if kind.is_image:
        try:
            write_thumbnail(path, store.thumbnail_path(key))
            has_thumbnail = True
        except Exception:  # the original is fine; the feed shows an icon instead
            log.exception("no thumbnail for stored file %s", key)
    row = StoredFile(
        organization_id=actor.organization_id, customer_id=customer_id, uploaded_by=actor.user_id,
        storage_key=key, original_name=name, content_type=kind.mime, size=received.size,
        sha256=received.sha256, is_image=kind.is_image, width=info.width if info else None,
        height=info.height if info else None, has_thumbnail=has_thumbnail,
    )
    feed.add_with_event(session, actor, row, "file", {"name": name})
    return _dto(row, actor.name)


def _file_of_org(session: Session, actor: Actor, file_id: int) -> StoredFile:
    return org_row(session, StoredFile, file_id, actor, "file")


def _uploader_name(session: Session, row: StoredFile) -> str:
    user = session.get(User, row.uploaded_by) if row.uploaded_by else None
    return user.name if user else ""


def get_file(*, session: Session, actor: Actor, file_id: int) -> FileDTO:
    row = _file_of_org(session, actor, file_id)
    return _dto(row, _uploader_name(session, row))


def open_file(
    *, session: Session, actor: Actor, file_id: int, thumbnail: bool = False, store: FileStore | None = None
) -> FileContent:
    """Where to read a file (or its thumbnail) for a download. NotFound for another organization's
    file, a file without thumbnail, or bytes missing on disk."""
    row = _file_of_org(session, actor, file_id)
    store = store or default_store()
    if thumbnail:
        if not row.has_thumbnail:
            raise NotFound("file")
        path, content_type = store.thumbnail_path(row.storage_key), THUMBNAIL_CONTENT_TYPE
    else:
        path, content_type = store.path(row.storage_key), row.content_type
    if not path.is_file():
        log.error("stored file %s is missing on disk (%s)", row.id, path)
        raise NotFound("file")
    return FileContent(file=_dto(row, _uploader_name(session, row)), path=path, content_type=content_type)


@dataclass(frozen=True)
class FilePage:
    files: tuple[FileDTO, ...]
    next_before: int | None  # pass as ``before`` for older files; None at the end


def list_files(
    *, session: Session, actor: Actor, customer_id: int, before: int | None = None, limit: int = FILES_PAGE
) -> FilePage:
    """The customer's files, newest first, keyset paged on the id."""
    feed.check_customer(session, actor, customer_id)
    limit = max(1, min(int(limit), 100))
    query = select(StoredFile, User.name).outerjoin(User, User.id == StoredFile.uploaded_by).where(
        StoredFile.customer_id == customer_id, StoredFile.organization_id == actor.organization_id
    )
    if before is not None:
        query = query.where(StoredFile.id < int(before))
    rows = session.execute(query.order_by(StoredFile.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    files = tuple(_dto(row, name or "") for row, name in rows[:limit])
    return FilePage(files=files, next_before=files[-1].id if more else None)


def delete_file(*, session: Session, actor: Actor, file_id: int, store: FileStore | None = None) -> None:
    """Remove a file, its feed line and, once the transaction commits, its bytes. Uploader or admin."""
    row = _file_of_org(session, actor, file_id)
    if row.uploaded_by != actor.user_id and not actor.is_admin:
        raise Forbidden()
    store = store or default_store()
    key = row.storage_key
    feed.delete_events(session, kind="file", ref_id=row.id)
    session.delete(row)
    session.flush()
    on_commit(session, lambda: store.remove(key))
