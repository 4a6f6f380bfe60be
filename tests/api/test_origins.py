"""The websocket's Origin check: explicit origins, or (development default) the page's own origin."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from crm_app.api.origins import POLICY_VIOLATION, WebsocketOriginGuard, origin_allowed
from crm_app.settings import load_settings


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text("hello")
    await websocket.close()


def connect(guard_options: dict, *, host: str, origin: str | None) -> str:
    app = WebsocketOriginGuard(Starlette(routes=[WebSocketRoute("/_event/", echo)]), **guard_options)
    headers = {"host": host, **({"origin": origin} if origin else {})}
    with TestClient(app).websocket_connect("/_event/", headers=headers) as ws:
        return ws.receive_text()


SAME_ORIGIN = {"allowed": (), "same_origin": True}
EXPLICIT = {"allowed": ("https://crm.example",), "same_origin": False}


@pytest.mark.parametrize(("host", "origin"), [
    ("localhost:3000", "http://localhost:3000"),
    ("127.0.0.1:3000", "http://127.0.0.1:3000"),
    ("192.168.1.20:3000", "http://192.168.1.20:3000"),
    ("crm.local", "https://crm.local"),
    ("localhost:3000", None),
])
def test_the_development_default_accepts_the_page_own_origin(host, origin):
    assert connect(SAME_ORIGIN, host=host, origin=origin) == "hello"


@pytest.mark.parametrize(("options", "host", "origin"), [
    (SAME_ORIGIN, "localhost:3000", "http://evil.example"),
    (SAME_ORIGIN, "192.168.1.20:3000", "http://localhost:3000"),
    (SAME_ORIGIN, "localhost:3000", "http://localhost:3001"),
    (SAME_ORIGIN, "localhost:3000", "null"),
    (EXPLICIT, "crm.example", "http://evil.example"),
    (EXPLICIT, "10.0.0.5:3000", "http://10.0.0.5:3000"),  # production: only the explicit list
])
def test_other_origins_are_refused_before_the_handshake(options, host, origin):
    with pytest.raises(WebSocketDisconnect) as refused:
        connect(options, host=host, origin=origin)
    assert refused.value.code == POLICY_VIOLATION


def test_explicit_origins_are_accepted():
    assert connect(EXPLICIT, host="crm.example", origin="https://crm.example") == "hello"
    assert origin_allowed("HTTPS://CRM.EXAMPLE/", "x", allowed=("https://crm.example",), same_origin=False)


@pytest.mark.parametrize(("environ", "same_origin"), [
    ({}, True),
    ({"CRM_ENV": "test"}, True),
    ({"CRM_PUBLIC_URL": "https://crm.example"}, False),
    ({"CRM_CORS_ORIGINS": "https://crm.example"}, False),
    ({"CRM_ENV": "production", "CRM_SECRET_KEY": "p" * 40}, False),
])
def test_the_same_origin_default_applies_only_without_configured_origins(environ, same_origin):
    assert load_settings(environ).same_origin_default is same_origin
