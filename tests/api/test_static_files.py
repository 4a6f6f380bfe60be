"""How the built frontend is served in single-port production: a page at its own URL without a redirect,
hashed build files kept for good without the page headers, the service worker always asked again."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from crm_app.api import static_files
from crm_app.api.security_headers import SecurityHeaders
from crm_app.api.static_files import ALWAYS_FRESH, IMMUTABLE, StaticFilesPolicy
from crm_app.settings import load_settings
from tests.fake_build import write_build


@pytest.fixture
def client(tmp_path, monkeypatch) -> TestClient:
    # No page is a signed-in one unless a test says so (importing the app module names them).
    monkeypatch.setattr(static_files, "_shell_page", lambda path: False)
    write_build(tmp_path)
    pages = Starlette()
    pages.mount("/", StaticFiles(directory=tmp_path, html=True))
    # As in crm_app.api.build(): StaticFilesPolicy wraps SecurityHeaders.
    app = SecurityHeaders(pages, settings=load_settings({}), static_dir=tmp_path)
    return TestClient(StaticFilesPolicy(app, static_dir=tmp_path), follow_redirects=False)


def test_a_page_with_pages_under_it_is_served_at_its_own_url_without_a_redirect(client):
    """Starlette alone answers /customers with a 307 to /customers/: a round trip more on every visit."""
    response = client.get("/customers?q=ana")
    assert response.status_code == 200
    assert "Clientes" in response.text
    assert "content-security-policy" in response.headers
    assert client.head("/customers").status_code == 200
    assert client.get("/customers/").status_code == 200


def test_a_hashed_script_is_cached_for_a_year_without_the_page_policy(client):
    response = client.get("/assets/entry-Ab12.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE
    assert "content-security-policy" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"
    revalidated = client.get("/assets/entry-Ab12.js", headers={"If-None-Match": response.headers["etag"]})
    assert revalidated.status_code == 304
    assert revalidated.headers["cache-control"] == IMMUTABLE


def test_a_missing_asset_is_not_cached(client):
    response = client.get("/assets/gone-Zz99.js")
    assert response.status_code == 404
    assert "cache-control" not in response.headers


def test_a_signed_in_page_gets_the_spa_shell_and_a_public_page_its_prerendered_html(client, monkeypatch):
    """The shell lets the websocket ask for the page's data before the page's own scripts have run."""
    monkeypatch.setattr(static_files, "_shell_page", lambda path: path.startswith("/customers"))
    for path in ("/customers", "/customers/", "/customers?q=ana", "/customers/123"):
        response = client.get(path)
        assert response.status_code == 200 and "id=root" in response.text, path
        assert "content-security-policy" in response.headers
    # The page's own scripts are named, so they load beside the root's (what the shell names is left out).
    assert client.get("/customers").headers["link"] == (
        "</assets/customers-3.js>; rel=modulepreload, </assets/table-4.js>; rel=modulepreload")
    assert client.get("/customers/123").headers["link"] == (
        "</assets/customer-5.js>; rel=modulepreload, </assets/card-6.js>; rel=modulepreload")
    assert "Ingresar" in client.get("/login.html").text
    assert client.post("/customers").status_code in (404, 405)  # only GET and HEAD are pages


def test_the_service_worker_and_manifest_are_always_asked_again_and_other_files_left_alone(client):
    assert {"/sw.js", "/manifest.webmanifest", "/offline.html"} <= ALWAYS_FRESH
    assert client.get("/sw.js").headers["cache-control"] == "no-cache"
    assert client.get("/manifest.webmanifest").headers["cache-control"] == "no-cache"
    assert "cache-control" not in client.get("/styles.css").headers


def test_a_head_script_named_by_its_version_is_kept_and_without_it_asked_again(client, tmp_path):
    """The pages name /pwa.js?v=<hash> (components/pwa.versioned): that address never changes content."""
    (tmp_path / "pwa.js").write_text("// registers the worker\n")
    (tmp_path / "session_marker.js").write_text("// the marker\n")
    assert client.get("/pwa.js?v=0a1b2c").headers["cache-control"] == IMMUTABLE
    assert client.get("/session_marker.js?v=0a1b2c").headers["cache-control"] == IMMUTABLE
    assert client.get("/pwa.js").headers["cache-control"] == "no-cache"
    assert "cache-control" not in client.get("/session_marker.js").headers
    assert client.get("/pwa.js?v=0a1b2c").text == "// registers the worker\n"


def test_pages_keep_their_policy_and_are_not_made_immutable(client):
    response = client.get("/customers/")
    assert response.status_code == 200
    assert "content-security-policy" in response.headers
    assert response.headers.get("cache-control") != IMMUTABLE
