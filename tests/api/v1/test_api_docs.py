"""/api/v1/docs works with no internet: every file it loads is served by the app, under its CSP."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from crm_app import api


def test_the_docs_page_loads_only_files_of_this_server():
    client = TestClient(api.build(), base_url="http://localhost")
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and not any(s.startswith(("http:", "https:", "//")) for s in sources)
    assert "<script>" not in page.text  # no inline script: the app's script-src 'self' admits the page
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "cdn" not in csp
    for source in sources:
        assert client.get(f"/api/v1/{source}").status_code == 200, source
    assert "SwaggerUIBundle" in client.get("/api/v1/docs/init.js").text
    schema = client.get("/api/v1/openapi.json").json()
    assert "/customers" in schema["paths"] and "/docs" not in schema["paths"]
    assert schema["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    assert {"CustomerIn", "CustomerOut", "PhoneIn", "EmailOut"} <= set(schema["components"]["schemas"])
