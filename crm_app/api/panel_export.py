"""``GET /api/panel/export/<tile>.csv?from=&to=&by=``: one tile of the panel (the home page) as a CSV
download, the same figures the reader sees for the same range (domain.panel.read_range), headed in his
language (services/panel/csv_rows). The tiles are small (a few hundred rows at most), so the body is
made at once in the request's transaction."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import StreamingResponse

from crm_app.api.auth import CurrentActor, DbSession
from crm_app.api.files import content_disposition
from crm_app.domain.errors import Forbidden
from crm_app.domain.panel import TILES, read_range
from crm_app.i18n import t
from crm_app.services import panel
from crm_app.services.panel.csv_rows import tile_table
from crm_app.services.sheet_writers import csv_chunks

router = APIRouter(prefix="/api/panel", tags=["panel"])


def tile_value(tile: str, session, actor, params):
    """The tile's DTO for ``actor`` over the range the address asks for."""
    if tile == "today":
        return panel.today(session=session, actor=actor)
    if tile == "contact":
        return panel.contact(session=session, actor=actor)
    if tile == "workload":
        return panel.workload(session=session, actor=actor)
    rng = read_range(params, panel.org_today(session=session, actor=actor))
    if tile == "customers":
        return panel.customers(session=session, actor=actor, rng=rng)
    return panel.pipeline(session=session, actor=actor, rng=rng)


@router.get("/export/{tile}.csv", response_model=None)
def export_tile(tile: str, request: Request, actor: CurrentActor, session: DbSession) -> StreamingResponse:
    if tile not in TILES:
        raise HTTPException(status_code=404, detail="no such tile")
    try:
        value = tile_value(tile, session, actor, request.query_params)
    except Forbidden:
        raise HTTPException(status_code=403, detail="forbidden") from None
    header, rows = tile_table(tile, value, actor.language)
    name = f"{t('panel_file_' + tile, actor.language)}.csv"
    headers = {"Content-Disposition": content_disposition("attachment", name),
               "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
    return StreamingResponse(csv_chunks(header, rows), media_type="text/csv; charset=utf-8", headers=headers)
