"""``GET /api/customers/export?format=xlsx|csv&<the list's query>``: the customers the list shows for the
same query (``q``, ``type``, ``tags``, ``supplier``, ``conflictive``, ``channel``, ``consent``,
``option``, ``account``, ``sort``, ``trash``; see domain/customer_list_params), every page of them, as a
download, for users who may export (admins; sales users when an admin allows it).

A parameter that does not read is refused (400, naming it) rather than exporting another selection
than the user saw; ``after`` (the list's page) and unknown parameters are ignored. ``ids=1,2,3`` (at most
100: the rows ticked on the list) exports those customers of the organization only, in that order.

The headers go out at once and the body follows as it is made: CSV page by page as the list is read,
.xlsx written to a temporary file in constant-memory mode, then read out and deleted. Memory stays flat
either way, and the request's own transaction ends before the rows are read, each page in a short
transaction of its own (services/customer_export). A failure half-way breaks the download off (the
browser shows it failed) rather than giving a file that looks whole.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from crm_app.api.auth import CurrentActor, DbSession
from crm_app.api.files import content_disposition
from crm_app.domain.customer_list_params import IDS_HINT, bad_params, read_filters, read_ids
from crm_app.domain.errors import Forbidden
from crm_app.i18n import t
from crm_app.services.customer_export import FORMATS, CustomerExport, start_export
from crm_app.services.sheet_writers import csv_chunks, write_xlsx

router = APIRouter(prefix="/api/customers", tags=["customers"])
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "text/csv; charset=utf-8"}
CHUNK = 256 * 1024


def _headers(export: CustomerExport, file_format: str, lang: str) -> dict[str, str]:
    name = f"{t('export_file', lang)}-{export.today.isoformat()}.{file_format}"
    return {
        "Content-Disposition": content_disposition("attachment", name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }


def _xlsx_stream(export: CustomerExport, lang: str) -> Iterator[bytes]:
    """The workbook, written to a temporary file in constant-memory mode and then read out in chunks;
    the file is removed when the stream ends or is dropped. Read by this generator, not handed to the
    server by path (FileResponse): the server may send a file after the response's background tasks
    ran, and a file deleted by one of them would be gone (granian answered 404)."""
    handle, name = tempfile.mkstemp(prefix="clientela-export-", suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    try:
        write_xlsx(path, export.header, export.rows, text_columns=export.text_columns,
                   sheet_name=t("customers_title", lang), number_formats=export.number_formats)
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                yield chunk
    finally:
        path.unlink(missing_ok=True)


@router.get("/export", response_model=None)
def export_customers(
    request: Request,
    actor: CurrentActor,
    session: DbSession,
    file_format: Annotated[str, Query(alias="format")] = "xlsx",
) -> StreamingResponse:
    if file_format not in FORMATS:
        raise HTTPException(status_code=400, detail="format must be xlsx or csv")
    params = request.query_params
    bad = bad_params(params)
    ids = read_ids(params["ids"]) if "ids" in params else None
    if "ids" in params and ids is None:
        bad["ids"] = IDS_HINT
    if bad:
        detail = "; ".join(f"{name}: {what}" for name, what in bad.items())
        raise HTTPException(status_code=400, detail=detail)
    lang = actor.language
    try:
        export = start_export(session=session, actor=actor, filters=read_filters(params),
                              file_format=file_format, ids=ids)
    except Forbidden:
        raise HTTPException(status_code=403, detail="forbidden") from None
    # The request's transaction ends here: the rows are read page by page in short ones of their own,
    # so a long download never holds a transaction (or its snapshot) open on the database.
    session.commit()
    # The headers go out at once (the browser shows the download starting); the body follows as it is
    # made: CSV page by page, .xlsx once written.
    body = csv_chunks(export.header, export.rows) if file_format == "csv" else _xlsx_stream(export, lang)
    headers = _headers(export, file_format, lang)
    return StreamingResponse(body, media_type=MEDIA_TYPES[file_format], headers=headers)
