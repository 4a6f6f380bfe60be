"""``GET /api/customers/import/template?client_type=person``: the import template of a client type, in
the user's language, for users who may import (admins; sales users when an admin allows it)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from crm_app.api.auth import CurrentActor, DbSession
from crm_app.api.files import content_disposition
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.errors import Forbidden
from crm_app.i18n import t
from crm_app.services.import_template import build_template

router = APIRouter(prefix="/api/customers/import", tags=["imports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/template")
def download_template(actor: CurrentActor, session: DbSession, client_type: str = "person") -> Response:
    if client_type not in CLIENT_TYPES:
        raise HTTPException(status_code=400, detail="client_type must be person, company or government")
    lang = actor.language
    try:
        content = build_template(session=session, actor=actor, client_type=client_type, lang=lang)
    except Forbidden:
        raise HTTPException(status_code=403, detail="forbidden") from None
    name = f"{t('import_template_file', lang)}-{t(f'import_template_file_{client_type}', lang)}.xlsx"
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": content_disposition("attachment", name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })
