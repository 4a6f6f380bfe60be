"""``/api/v1/docs``: the interactive API reference (Swagger UI) served from this server, never from a
CDN: production machines may have no internet.

The Swagger UI 5 files (OpenAPI 3.1, which FastAPI writes, needs 5) come from the ``fastapi-offline``
package (requirements.txt), of which only the static files are used. The page has no
inline script (its start-up code is ``/api/v1/docs/init.js``), so the app's Content-Security-Policy
(api/security_headers.py: ``script-src 'self'``) applies to it unchanged.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

router = APIRouter(include_in_schema=False)
STATIC = str(files("fastapi_offline") / "static")  # swagger-ui-bundle.js, swagger-ui.css, favicon.png

# Relative addresses: the page is /api/v1/docs, so "docs/..." and "openapi.json" stay under /api/v1.
PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Clientela API</title>
  <link rel="stylesheet" href="docs/static/swagger-ui.css">
  <link rel="icon" type="image/png" href="docs/static/favicon.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/static/swagger-ui-bundle.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>
"""

INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
"""


@router.get("/docs")
def docs_page() -> HTMLResponse:
    return HTMLResponse(PAGE, headers={"Cache-Control": "no-cache"})


@router.get("/docs/init.js")
def docs_init() -> Response:
    return Response(INIT, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/docs/static", StaticFiles(directory=STATIC), name="api-docs-static")
