"""``GET /api/customers/import/{import_id}/report``: an import's dry-run report (the file with an error
column), for users who may import in the import's organization; another organization's is 404."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from crm_app.api.auth import CurrentActor, DbSession
from crm_app.api.files import content_disposition
from crm_app.api.params import RowId
from crm_app.domain.errors import Forbidden, NotFound
from crm_app.services.customer_import.records import report_file

router = APIRouter(prefix="/api/customers/import", tags=["imports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/{import_id}/report")
def download_report(import_id: RowId, actor: CurrentActor, session: DbSession) -> FileResponse:
    try:
        path, name = report_file(session=session, actor=actor, import_id=import_id)
    except Forbidden:
        raise HTTPException(status_code=403, detail="forbidden") from None
    except NotFound:
        raise HTTPException(status_code=404, detail="not found") from None
    return FileResponse(path, media_type=XLSX, headers={
        "Content-Disposition": content_disposition("attachment", name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })
