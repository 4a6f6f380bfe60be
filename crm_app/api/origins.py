"""Which pages may open the app's websocket: refuse a handshake whose ``Origin`` is another site's.

A browser always sends ``Origin`` on a websocket handshake, and cookies go along with it, so a page on
another site must not get a socket. With explicit origins (``CRM_PUBLIC_URL`` / ``CRM_CORS_ORIGINS``,
always in production) only those are accepted. Without them, the page's own origin is accepted,
whatever host name or address the visitor typed: the Origin's ``host:port`` equals the request's
``Host``. That is how a phone on the office network reaches ``http://192.168.1.20:3000``.

Reflex hands socket.io only a list of origins (or ``*``), never engineio's own same-origin default, so
in that mode rxconfig.py switches socket.io's check off and this middleware is the check.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from crm_app.settings import get_settings

# Policy violation: sent before the handshake is accepted, the server answers it with HTTP 403.
POLICY_VIOLATION = 1008


def origin_allowed(origin: str | None, host: str | None, *, allowed: tuple[str, ...],
                   same_origin: bool) -> bool:
    """Whether a handshake from ``origin`` to a server reached as ``host`` is let through.

    No Origin at all is a client that is not a browser (tests, monitoring): it carries no visitor's
    cookies by accident, and the session is checked on every event anyway.
    """
    if origin is None:
        return True
    origin = origin.strip().rstrip("/").lower()
    if origin in {o.rstrip("/").lower() for o in allowed}:
        return True
    if not same_origin or not host:
        return False
    parts = urlsplit(origin)
    return parts.scheme in {"http", "https"} and parts.netloc == host.strip().lower()


class WebsocketOriginGuard:
    def __init__(self, app: ASGIApp, *, allowed: tuple[str, ...] | None = None,
                 same_origin: bool | None = None) -> None:
        settings = get_settings()
        self.app = app
        self.allowed = settings.cors_origins if allowed is None else allowed
        self.same_origin = settings.same_origin_default if same_origin is None else same_origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            headers = Headers(scope=scope)
            if not origin_allowed(headers.get("origin"), headers.get("host"), allowed=self.allowed,
                                  same_origin=self.same_origin):
                await receive()  # websocket.connect
                await send({"type": "websocket.close", "code": POLICY_VIOLATION})
                return
        await self.app(scope, receive, send)
