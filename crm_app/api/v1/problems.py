"""RFC 9457 ``application/problem+json`` answers, in the caller's language.

``install(app)`` translates what a route lets escape: the services' DomainErrors (ValidationFailed ->
422 with one entry per field, NotFound -> 404, Forbidden -> 403, Conflict -> 409, a stale version ->
412), FastAPI's request validation (422 with the same per-field entries), unknown routes and methods.
Routes refuse by themselves with ``raise ApiProblem(status, code, **params)``.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from crm_app.db import database_unavailable
from crm_app.domain.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from crm_app.i18n import DEFAULT_LANGUAGE, LANGUAGES, error_text, t

_log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
# A database that is down or restarting answers 503 with this Retry-After (seconds): the app reconnects by
# itself within about a second of it coming back (crm_app.db._ConnectBreaker).
DATABASE_RETRY_AFTER = "5"
STALE_CODES = ("stale_version",)  # a Conflict with these codes means "changed since your read": 412
OBJECT_KEYS = ("custom",)  # objects keyed by ids, not lists
# "es", "en-US;q=0.8": the primary subtag and the quality.
_LANGUAGE_TAG = re.compile(
    r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$"
)


class ApiProblem(Exception):
    """A refusal decided by a route: ``code`` is an i18n key, ``params`` its placeholders (also sent
    as extension members), ``headers`` extra response headers (Retry-After, WWW-Authenticate...)."""

    def __init__(
        self, status: int, code: str, *, headers: dict[str, str] | None = None, **params: Any
    ) -> None:
        self.status = status
        self.code = code
        self.headers = headers or {}
        self.params = params
        super().__init__(code)


def accepted_language(header: str | None) -> str | None:
    """The best of es/en in an ``Accept-Language`` header (by q-value), or None."""
    best: tuple[float, str] | None = None
    for part in (header or "").split(","):
        match = _LANGUAGE_TAG.match(part)
        if not match:
            continue
        lang = match.group(1).lower()
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if lang in LANGUAGES and quality > 0 and (best is None or quality > best[0]):
            best = (quality, lang)
    return best[1] if best else None


def request_language(request: Request) -> str:
    """The caller's language: set by ``require`` once the key is known, else the header's, else es."""
    return getattr(request.state, "api_language", None) or accepted_language(
        request.headers.get("accept-language")
    ) or DEFAULT_LANGUAGE


def problem_body(status: int, code: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": f"urn:clientela:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }


def problem(status: int, code: str, language: str, *, headers: dict[str, str] | None = None,
            errors: list[dict[str, str]] | None = None, **params: Any) -> JSONResponse:
    extra: dict[str, Any] = {k: v for k, v in params.items() if isinstance(v, str | int | float | bool)}
    if errors is not None:
        extra["errors"] = errors
    body = problem_body(status, code, t(code, language, **params), **extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def field_path(key: str | tuple[Any, ...]) -> str:
    """``phones.1.number`` or ("phones", 1, "number") -> ``phones[1].number``; a number under an
    object keyed by ids (``custom.12``, a custom field's value) stays a key."""
    parts = key.split(".") if isinstance(key, str) else [str(p) for p in key]
    path, previous = "", ""
    for part in parts:
        if part.isdigit() and path and previous not in OBJECT_KEYS:
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
        previous = part
    return path


def validation_entries(error: ValidationFailed, language: str) -> list[dict[str, str]]:
    return [
        {"path": field_path(key), "code": field.code, "detail": error_text(field, language)}
        for key, field in error.errors.items()
    ]


def domain_problem(error: DomainError, language: str) -> JSONResponse:
    """The answer for a service's refusal (also used per item by batch routes)."""
    if isinstance(error, ValidationFailed):
        return problem(422, "api_validation_failed", language, errors=validation_entries(error, language))
    if isinstance(error, NotFound):
        return problem(404, "api_not_found", language)
    if isinstance(error, Forbidden):
        return problem(403, "api_forbidden", language)
    if isinstance(error, Conflict) and error.code in STALE_CODES:
        return problem(412, "api_version_stale", language, by=str(error.params.get("by", "")))
    status = 409
    if not isinstance(error, Conflict):
        status = 422  # a lone FieldError or another rule of the domain: the request's data is wrong
    params = {k: v for k, v in error.params.items() if isinstance(v, str | int)}
    body = problem_body(status, error.code, error_text(error, language), **params)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def _request_entries(exc: RequestValidationError, language: str) -> list[dict[str, str]]:
    entries = []
    for item in exc.errors():
        loc = list(item.get("loc", ()))
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:] or loc
        kind = str(item.get("type", "value_error"))
        detail = (t("api_field_missing", language) if kind == "missing"
                  else t("api_field_invalid", language, reason=item.get("msg", "")))
        entries.append({"path": field_path(tuple(loc)) or "body", "code": kind, "detail": detail})
    return entries


def install(app: FastAPI) -> None:
    """Every refusal of ``app`` as problem+json."""

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.code, request_language(request), headers=exc.headers, **exc.params)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return domain_problem(exc, request_language(request))

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> JSONResponse:
        language = request_language(request)
        if any(item.get("type") == "json_invalid" for item in exc.errors()):
            return problem(422, "api_body_invalid", language)
        return problem(422, "api_validation_failed", language, errors=_request_entries(exc, language))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "api_not_found", 405: "api_method_not_allowed", 401: "api_unauthorized"}
        code = codes.get(exc.status_code, "api_server_error" if exc.status_code >= 500 else "api_conflict")
        headers = getattr(exc, "headers", None)
        return problem(exc.status_code, code, request_language(request), headers=headers)

    install_outage(app)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        _log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem(500, "api_server_error", request_language(request))


def install_outage(app: FastAPI) -> None:
    """A database that cannot be reached: 503 problem+json with Retry-After, not a 500 (the caller's
    request did nothing: its transaction was rolled back). Other database errors stay 500s."""

    async def _database(request: Request, exc: Exception) -> JSONResponse:
        language = request_language(request)
        if not database_unavailable(exc):
            _log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
            return problem(500, "api_server_error", language)
        _log.warning("%s %s: database unavailable (%s)", request.method, request.url.path, type(exc).__name__)
        return problem(503, "api_database_unavailable", language,
                       headers={"Retry-After": DATABASE_RETRY_AFTER})

    app.add_exception_handler(sa_exc.DBAPIError, _database)
    app.add_exception_handler(sa_exc.TimeoutError, _database)  # no free connection in the pool
