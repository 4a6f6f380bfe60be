"""Hashed build files are kept by the browser for good and carry no page headers; pages are unchanged."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from crm_app.api.build_assets import IMMUTABLE, BuildAssets
from crm_app.api.security_headers import SecurityHeaders
from crm_app.settings import load_settings


@pytest.fixture
def client(tmp_path) -> TestClient:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "entry-Ab12.js").write_text("export const x = 1;")
    (tmp_path / "customers").mkdir()
    (tmp_path / "customers" / "index.html").write_text("<html><body><h1>Clientes</h1></body></html>")
    pages = Starlette()
    pages.mount("/", StaticFiles(directory=tmp_path, html=True))
    # As in crm_app.api.build(): BuildAssets wraps SecurityHeaders.
    return TestClient(BuildAssets(SecurityHeaders(pages, settings=load_settings({}), static_dir=tmp_path)))


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


def test_pages_keep_their_policy_and_are_not_made_immutable(client):
    response = client.get("/customers/")
    assert response.status_code == 200
    assert "content-security-policy" in response.headers
    assert response.headers.get("cache-control") != IMMUTABLE
