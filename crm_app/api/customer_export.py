"""``GET /api/customers/export?format=xlsx|csv&<the list's query>``: the customers the list shows for the
same query (``q``, ``type``, ``tags``, ``supplier``, ``conflictive``, ``channel``, ``consent``,
``option``, ``account``, ``sort``, ``trash``; see domain/customer_list_params), every page of them, as a
download, for users who may export (admins; sales users when an admin allows it).

A parameter that does not read is refused (400, naming it) rather than exporting another selection
than the user saw; ``after`` (the list's page) and unknown parameters are ignored. CSV is streamed as the
pages are read; .xlsx is written to a temporary file in constant-memory mode, then streamed from disk
and deleted. Either way memory stays flat and the request's own transaction ends before the rows are
read, each page in a short transaction of its own (services/customer_export).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from crm_app.api.auth import CurrentActor, DbSession
from crm_app.api.files import content_disposition
from crm_app.domain.customer_list_params import bad_params, read_filters
from crm_app.domain.errors import Forbidden
from crm_app.i18n import t
from crm_app.services.customer_export import FORMATS, CustomerExport, start_export
from crm_app.services.sheet_writers import csv_chunks, write_xlsx

router = APIRouter(prefix="/api/customers", tags=["customers"])
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "text/csv; charset=utf-8"}


def _headers(export: CustomerExport, file_format: str, lang: str) -> dict[str, str]:
    name = f"{t('export_file', lang)}-{export.today.isoformat()}.{file_format}"
    return {
        "Content-Disposition": content_disposition("attachment", name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }


def _xlsx_file(export: CustomerExport, lang: str) -> Path:
    """The workbook in a temporary file (removed again if writing it fails)."""
    handle, name = tempfile.mkstemp(prefix="clientela-export-", suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    try:
        write_xlsx(path, export.header, export.rows, text_columns=export.text_columns,
                   sheet_name=t("customers_title", lang))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


@router.get("/export", response_model=None)
def export_customers(
    request: Request,
    actor: CurrentActor,
    session: DbSession,
    file_format: Annotated[str, Query(alias="format")] = "xlsx",
) -> FileResponse | StreamingResponse:
    if file_format not in FORMATS:
        raise HTTPException(status_code=400, detail="format must be xlsx or csv")
    params = request.query_params
    bad = bad_params(params)
    if bad:
        detail = "; ".join(f"{name}: {what}" for name, what in bad.items())
        raise HTTPException(status_code=400, detail=detail)
    lang = actor.language
    try:
        export = start_export(session=session, actor=actor, filters=read_filters(params),
                              file_format=file_format)
    except Forbidden:
        raise HTTPException(status_code=403, detail="forbidden") from None
    # The request's transaction ends here: the rows are read page by page in short ones of their own,
    # so a long download never holds a transaction (or its snapshot) open on the database.
    session.commit()
    headers = _headers(export, file_format, lang)
    if file_format == "csv":
        return StreamingResponse(csv_chunks(export.header, export.rows), media_type=MEDIA_TYPES["csv"],
                                 headers=headers)
    path = _xlsx_file(export, lang)
    return FileResponse(path, media_type=MEDIA_TYPES["xlsx"], headers=headers,
                        background=BackgroundTask(path.unlink, missing_ok=True))
