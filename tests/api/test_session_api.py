"""The session cookie over HTTP (crm_app/api/session.py): HttpOnly, set only for a valid one-time code from a
page of our own origin, cleared and revoked at sign-out."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient

from crm_app.services import auth
from tests.db import run_like_app
from tests.factories import ADMIN_PASSWORD, make_org

ORIGIN = {"origin": "http://localhost"}
TAB = "tab-token-1"


@pytest.fixture
def client(api_client, env) -> TestClient:
    env(CRM_SESSION_MAX_HOURS="12")
    return api_client


def _code(session, email: str) -> str:
    return run_like_app(session, auth.start_sign_in, email=email, password=ADMIN_PASSWORD,
                        client_token=TAB).code


def _set_cookies(response) -> dict[str, str]:
    """Each Set-Cookie header by cookie name, whole (value and attributes)."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        name = next(iter(SimpleCookie(header)))
        found[name] = header
    return found


def test_a_valid_code_sets_an_http_only_strict_session_cookie_and_a_readable_marker(client, session):
    _, admin = make_org(session)
    response = client.post("/api/session", json={"code": _code(session, admin.email), "client_token": TAB},
                           headers=ORIGIN)
    assert response.status_code == 204
    assert response.headers["cache-control"] == "no-store"
    cookies = _set_cookies(response)
    session_cookie, marker = cookies["crm_session"].lower(), cookies["crm_marker"].lower()
    for header in (session_cookie, marker):
        assert "samesite=strict" in header and "path=/" in header and f"max-age={12 * 3600}" in header
        assert "secure" not in header  # CRM_COOKIE_SECURE is off outside production
    assert "httponly" in session_cookie and "httponly" not in marker
    token = client.cookies.get("crm_session")
    assert run_like_app(session, auth.resolve_session, token=token) == admin
    assert client.cookies.get("crm_marker") == auth.session_marker(token)


def test_the_cookie_is_secure_when_configured(client, session, env):
    env(CRM_COOKIE_SECURE="true")
    _, admin = make_org(session)
    response = client.post("/api/session", json={"code": _code(session, admin.email), "client_token": TAB},
                           headers=ORIGIN)
    assert all("secure" in h.lower() for h in _set_cookies(response).values())


def test_a_spent_foreign_or_wrong_tab_code_sets_nothing(client, session):
    _, admin = make_org(session)
    code = _code(session, admin.email)
    refused = [
        client.post("/api/session", json={"code": code, "client_token": TAB},
                    headers={"origin": "http://evil.example"}),
        client.post("/api/session", json={"code": code, "client_token": TAB}),  # no Origin
        client.post("/api/session", json={"code": code, "client_token": TAB},
                    headers={**ORIGIN, "sec-fetch-site": "cross-site"}),
        client.post("/api/session", json={"code": code, "client_token": "another-tab"}, headers=ORIGIN),
        client.post("/api/session", json={"code": {"nested": 1}, "client_token": TAB}, headers=ORIGIN),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 401, 422]
    assert not any(_set_cookies(r) for r in refused)
    assert client.post("/api/session", json={"code": code, "client_token": TAB},
                       headers=ORIGIN).status_code == 204
    client.cookies.clear()
    again = client.post("/api/session", json={"code": code, "client_token": TAB}, headers=ORIGIN)
    assert again.status_code == 401 and not _set_cookies(again)


def test_ending_the_session_revokes_the_token_and_clears_both_cookies(client, session):
    _, admin = make_org(session)
    client.post("/api/session", json={"code": _code(session, admin.email), "client_token": TAB},
                headers=ORIGIN)
    token = client.cookies.get("crm_session")
    assert client.post("/api/session/end", headers={"origin": "http://evil.example"}).status_code == 403
    assert run_like_app(session, auth.resolve_session, token=token) == admin

    response = client.post("/api/session/end", headers=ORIGIN)
    assert response.status_code == 204
    cookies = _set_cookies(response)
    assert set(cookies) == {"crm_session", "crm_marker"}
    assert all("max-age=0" in h.lower() for h in cookies.values())
    assert run_like_app(session, auth.resolve_session, token=token) is None
    assert client.cookies.get("crm_session") is None
