"""Downloads of customer files: ``GET /api/files/{file_id}`` and ``/api/files/{file_id}/thumbnail``.

Only signed-in users of the file's organization get it; another organization's file is 404 exactly
like a missing one. The browser is told never to guess another type (nosniff), to download
everything that is not an image, and to keep copies only in the user's own cache.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse
from sqlmodel import Session

from crm_app.api.auth import CurrentActor, DbSession
from crm_app.api.params import RowId
from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.services import files as files_service

router = APIRouter(prefix="/api/files", tags=["files"])

# Types a browser renders without running anything: shown inline, everything else is a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
SANDBOX = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def content_disposition(kind: str, filename: str) -> str:
    """``attachment``/``inline`` with an ASCII fallback name and the exact name per RFC 5987/6266."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if c.isprintable() and c not in '"\\;' else "_" for c in ascii_name)
    if not ascii_name.rsplit(".", 1)[0]:
        ascii_name = "file" + ascii_name
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _send(session: Session, actor: Actor, file_id: int, *, thumbnail: bool, download: bool) -> FileResponse:
    try:
        content = files_service.open_file(session=session, actor=actor, file_id=file_id, thumbnail=thumbnail)
    except NotFound:
        raise HTTPException(status_code=404, detail="not found") from None
    inline = content.content_type in INLINE_TYPES and not download
    name = content.file.name
    if thumbnail:
        name = name.rsplit(".", 1)[0] + ".webp"
    return FileResponse(
        content.path,
        media_type=content.content_type,
        headers={
            "Content-Disposition": content_disposition("inline" if inline else "attachment", name),
            "X-Content-Type-Options": "nosniff",
            # Nothing in a file may run as part of our site, even if a browser renders it.
            "Content-Security-Policy": SANDBOX,
            # Never in shared caches; a thumbnail may be reused by the same browser for a while.
            "Cache-Control": "private, max-age=600" if thumbnail else "private, no-cache",
        },
    )


@router.get("/{file_id}")
def download_file(
    file_id: RowId, actor: CurrentActor, session: DbSession, download: bool = False
) -> FileResponse:
    """The file as uploaded; images inline unless ``?download=1``."""
    return _send(session, actor, file_id, thumbnail=False, download=download)


@router.get("/{file_id}/thumbnail")
def download_thumbnail(file_id: RowId, actor: CurrentActor, session: DbSession) -> FileResponse:
    return _send(session, actor, file_id, thumbnail=True, download=False)
