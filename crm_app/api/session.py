"""The session cookie is set and cleared here, over HTTP, so it can be HttpOnly.

``POST /api/session``      ``{"code", "client_token"}``: trades the one-time code the sign-in event issued
                           (services.auth.start_sign_in) for the session: sets ``crm_session`` (HttpOnly) and
                           its readable marker ``crm_marker``; 401 if the code is unknown, spent or late.
``POST /api/session/end``  revokes the cookie's session and clears both cookies.

Both answer only to pages of our own origin (a foreign page could otherwise sign a browser into the
attacker's account with a code of his own). The websocket never carries the token: the server reads it
from the Cookie header of the socket's handshake (states/browser_session.py).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, Cookie, HTTPException, Request, Response

from crm_app.api.auth import DbSession
from crm_app.services import auth as auth_service
from crm_app.settings import get_settings

router = APIRouter(prefix="/api/session", tags=["session"])

_NO_STORE = {"Cache-Control": "no-store"}


def _same_origin(request: Request) -> bool:
    """The request comes from a page of this site: its Origin is the host it was sent to (or a configured
    public origin, behind a proxy that rewrites Host)."""
    origin = request.headers.get("origin", "")
    if not origin or request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    settings = get_settings()
    return urlsplit(origin).netloc == request.headers.get("host", "") or origin in (
        settings.public_url, *settings.cors_origins)


def _refuse_foreign(request: Request) -> None:
    if not _same_origin(request):
        raise HTTPException(status_code=403, detail="cross-site request refused")


def set_session_cookies(response: Response, token: str) -> None:
    settings = get_settings()
    common = {"max_age": settings.session_max_hours * 3600, "path": "/", "samesite": "strict",
              "secure": settings.cookie_secure}
    response.set_cookie(auth_service.SESSION_COOKIE, token, httponly=True, **common)
    # Readable by the page on purpose: it proves on every websocket event that the cookies are still there.
    response.set_cookie(auth_service.MARKER_COOKIE, auth_service.session_marker(token), httponly=False,
                        **common)


def clear_session_cookies(response: Response) -> None:
    secure = get_settings().cookie_secure
    for name, httponly in ((auth_service.SESSION_COOKIE, True), (auth_service.MARKER_COOKIE, False)):
        response.delete_cookie(name, path="/", samesite="strict", secure=secure, httponly=httponly)


@router.post("", status_code=204)
def open_session(
    request: Request, session: DbSession, code: Annotated[str, Body(max_length=200)],
    client_token: Annotated[str, Body(max_length=200)],
) -> Response:
    _refuse_foreign(request)
    signed = auth_service.redeem_sign_in(session=session, code=code, client_token=client_token)
    if signed is None:
        raise HTTPException(status_code=401, detail="sign-in code invalid", headers=_NO_STORE)
    response = Response(status_code=204, headers=_NO_STORE)
    set_session_cookies(response, signed.token)
    return response


@router.post("/end", status_code=204)
def end_session(
    request: Request, session: DbSession,
    crm_session: Annotated[str, Cookie(max_length=200)] = "",
) -> Response:
    _refuse_foreign(request)
    auth_service.sign_out(session=session, token=crm_session)
    response = Response(status_code=204, headers=_NO_STORE)
    clear_session_cookies(response)
    return response
