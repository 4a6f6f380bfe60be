"""Security headers on every response of crm_app.api (pages included), HSTS only in production."""

from __future__ import annotations

import base64
import hashlib

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from crm_app import api
from crm_app.api.security_headers import SecurityHeaders, content_security_policy, tile_source
from crm_app.settings import load_settings

PRODUCTION = {"CRM_ENV": "production", "CRM_SECRET_KEY": "p" * 40, "CRM_PUBLIC_URL": "https://crm.example"}
INLINE = 'window.__reactRouterContext = {"basename": "/"};'


def sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


@pytest.fixture
def build(tmp_path):
    (tmp_path / "customers").mkdir()
    (tmp_path / "customers" / "index.html").write_text(
        f'<html><head><script type="module" src="/assets/app.js"></script><script>{INLINE}</script>'
        "</head><body><h1>Clientes</h1></body></html>")
    return tmp_path


def serve(build, environ: dict[str, str]) -> TestClient:
    pages = Starlette()
    pages.mount("/", StaticFiles(directory=build, html=True))
    return TestClient(SecurityHeaders(pages, settings=load_settings(environ), static_dir=build))


def test_pages_get_every_header_and_the_csp_allows_only_the_build_inline_scripts(build):
    response = serve(build, {}).get("/customers/")
    assert response.status_code == 200
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in response.headers
    directives = dict(d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";"))
    assert directives["script-src"].split() == ["'self'", sha256(INLINE), "'unsafe-eval'"]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert "https://*.tile.openstreetmap.org" in directives["img-src"].split()


def test_production_adds_hsts(build):
    response = serve(build, PRODUCTION).get("/customers/")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    assert "wss://crm.example" in response.headers["content-security-policy"]


def test_api_answers_get_the_headers_and_file_downloads_keep_their_sandbox(engine, session, env, tmp_path):
    env(CRM_FILES_DIR=str(tmp_path / "files"))
    with TestClient(api.build()) as client:
        response = client.get("/api/files/1")  # signed out
    assert response.status_code == 401
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_a_header_the_route_set_is_kept():
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def sandboxed(request):
        return PlainTextResponse("x", headers={"Content-Security-Policy": "sandbox"})

    app = SecurityHeaders(Starlette(routes=[Route("/f", sandboxed)]), settings=load_settings({}))
    response = TestClient(app).get("/f")
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(("template", "source"), [
    ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
    ("https://tiles.example.com:8443/{z}/{x}/{y}.png", "https://tiles.example.com:8443"),
    ("https://a.{s}.example.com/{z}/{x}/{y}.png", "https:"),
    ("not a url", None),
])
def test_the_map_tile_server_is_allowed_for_images(template, source):
    assert tile_source(template) == source
    if source:
        csp = content_security_policy(load_settings({"CRM_MAP_TILE_URL": template}))
        assert source in csp.split("img-src", 1)[1].split(";", 1)[0]
