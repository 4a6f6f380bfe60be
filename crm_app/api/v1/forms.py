"""``/api/v1/forms/<public key>``: a website form posts a lead (or a customer) here, no API key.

- Bodies: ``application/x-www-form-urlencoded``, ``multipart/form-data`` or JSON, flat fields
  (domain/web_form_input.py).
- CORS is answered here, per form, not by a global middleware: the preflight and
  ``Access-Control-Allow-Origin`` only for the form's allowed origins. A browser request from any other
  origin is refused (403) before anything is stored. A request without ``Origin`` is not a browser's
  (a server posting for its site): the rate limit and the honeypot still apply.
- The ``website`` honeypot filled: answered as accepted, nothing stored.
- Per client address: ``RATE_LIMIT`` submissions per window, then 429 with ``Retry-After``.
- An unknown or disabled key: 404 problem.
- A plain HTML form posted without JavaScript (the browser asks for text/html) gets a small page in
  the visitor's language: "thank you", or the fields to correct with a link back. Script and server
  callers get JSON: 201 ``{"status": "received"}`` or a 422 problem with one entry per field.
"""

from __future__ import annotations

import html
import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from crm_app.api.v1.deps import ApiSession
from crm_app.api.v1.problems import accepted_language, domain_problem, problem
from crm_app.domain.errors import DomainError, ValidationFailed
from crm_app.domain.web_form_input import form_fields, origin_listed
from crm_app.i18n import DEFAULT_LANGUAGE, LANGUAGES, error_text, t
from crm_app.models import Organization
from crm_app.models.integrations import WebForm
from crm_app.services import web_forms

router = APIRouter(prefix="/forms", tags=["website forms"])
MAX_BODY = 64 * 1024  # a form's few fields; anything bigger is not a person's submission
ALLOWED_HEADERS = "Content-Type, Accept, Accept-Language"
JSON_TYPES = ("application/json",)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cors(form: WebForm | None, origin: str | None) -> dict[str, str]:
    """The CORS answer headers for ``origin``: only when it is one of the form's."""
    if form is None or not origin or not origin_listed(origin, tuple(form.allowed_origins.split())):
        return {"Vary": "Origin"}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin",
            "Access-Control-Expose-Headers": "Retry-After"}


def _language(request: Request, session: ApiSession, form: WebForm | None) -> str:
    chosen = accepted_language(request.headers.get("accept-language"))
    if chosen:
        return chosen
    org = session.get(Organization, form.organization_id) if form is not None else None
    return org.language if org is not None and org.language in LANGUAGES else DEFAULT_LANGUAGE


def _wants_html(request: Request) -> bool:
    """A browser navigating (a form posted without script) asks for a page first."""
    accept = request.headers.get("accept", "")
    return accept.startswith("text/html") or ("text/html" in accept and "application/json" not in accept)


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


async def _read_fields(request: Request) -> dict[str, Any] | None:
    """The posted fields, or None for a body that is not one of the accepted kinds."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        return None
    if kind in JSON_TYPES:
        try:
            data = json.loads(await request.body() or b"null")
        except (ValueError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None
    if kind in FORM_TYPES:
        try:
            form = await request.form(max_files=0, max_fields=50)
        except Exception:
            return None
        return {key: value for key, value in form.items() if isinstance(value, str)}
    return None


def _page(language: str, title_key: str, lines: list[str], status: int, headers: dict[str, str],
          back: str = "") -> HTMLResponse:
    """The no-script answer; ``back`` the visitor's page (its Referer, when on an allowed origin)."""
    link = (f'<p><a href="{html.escape(back)}">{html.escape(t("webform_page_back", language))}</a></p>'
            if back else "")
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    body = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(t(title_key, language))}</title></head>"
        '<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">'
        f"<h1>{html.escape(t(title_key, language))}</h1>{'<ul>' + items + '</ul>' if items else ''}"
        f"{link}</body></html>"
    )
    return HTMLResponse(body, status_code=status, headers=headers)


def _back(request: Request, form: WebForm) -> str:
    referer = request.headers.get("referer", "")
    origin = "/".join(referer.split("/")[:3])
    return referer if origin_listed(origin, tuple(form.allowed_origins.split())) else ""


def _refused(error: DomainError, language: str, headers: dict[str, str], as_html: bool,
             back: str) -> Response:
    if as_html:
        lines = ([error_text(e, language) for e in error.errors.values()]
                 if isinstance(error, ValidationFailed) else [error_text(error, language)])
        return _page(language, "webform_page_fix", lines, 422, headers, back)
    answer = domain_problem(error, language)
    answer.headers.update(headers)
    return answer


@router.options("/{public_key}", include_in_schema=False)
async def preflight(public_key: str, request: Request, session: ApiSession) -> Response:
    """The browser asks before a JSON post: yes only for the form's origins, only for POST."""
    form = web_forms.active_form(session, public_key)
    origin = request.headers.get("origin")
    cors = _cors(form, origin)
    method = request.headers.get("access-control-request-method", "").upper()
    if "Access-Control-Allow-Origin" not in cors or method != "POST":
        return Response(status_code=403, headers={"Vary": "Origin"})
    return Response(status_code=204, headers={
        **cors, "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": "600",
    })


@router.post(
    "/{public_key}", status_code=201,
    summary="Submit a website form (no API key; CORS limited to the form's allowed origins)",
    responses={201: {"description": '{"status": "received"}'}, 404: {}, 403: {}, 422: {}, 429: {}},
)
async def submit(public_key: str, request: Request, session: ApiSession) -> Response:
    form = web_forms.active_form(session, public_key)
    language = _language(request, session, form)
    origin = request.headers.get("origin")
    cors = _cors(form, origin)
    as_html = _wants_html(request)
    if form is None:
        return problem(404, "webform_not_found", language, headers=cors)
    if origin is not None and "Access-Control-Allow-Origin" not in cors:
        return problem(403, "webform_origin_refused", language, headers=cors)
    try:
        web_forms.check_rate(session, _client_ip(request))
    except web_forms.RateLimited as limited:
        headers = {**cors, "Retry-After": str(limited.retry_after)}
        return problem(429, "webform_rate_limited", language, headers=headers, seconds=limited.retry_after)
    session.commit()  # the hit counts even when the submission is refused below
    raw = await _read_fields(request)
    if raw is None:
        return problem(422, "api_body_invalid", language, headers=cors)
    try:
        web_forms.submit(session, form, form_fields(raw), language)
    except DomainError as refused:
        session.rollback()  # nothing half-made stays
        return _refused(refused, language, cors, as_html, _back(request, form))
    if as_html:
        return _page(language, "webform_page_thanks", [], 200, cors, _back(request, form))
    return JSONResponse({"status": "received"}, status_code=201, headers=cors)
