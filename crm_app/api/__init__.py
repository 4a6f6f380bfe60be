"""HTTP routes next to Reflex's backend: ``rx.App(api_transformer=api.build())``.

``build()`` returns one FastAPI app holding every router of ours; Reflex mounts its own backend
(websocket, uploads, ping, and in ``--single-port`` production the built pages) underneath it, so our
routes are matched first, share the port, and our middleware sees every request.
REST routers of later issues join here with one ``include_router`` line.
"""

from __future__ import annotations

from fastapi import FastAPI


def build() -> FastAPI:
    from crm_app.api import (
        customer_export,
        customer_import,
        files,
        health,
        import_template,
        panel_export,
        session,
        unsubscribe,
    )
    from crm_app.api.origins import WebsocketOriginGuard
    from crm_app.api.request_id import RequestId
    from crm_app.api.security_headers import SecurityHeaders
    from crm_app.api.static_files import StaticFilesPolicy
    from crm_app.api.upload_access import UploadAccess
    from crm_app.api.upload_limit import UploadSizeLimit
    from crm_app.api.v1.app import build_v1
    from crm_app.api.v1.problems import install_outage

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    install_outage(app)  # a database that is down: 503 with Retry-After on our routes too, not a 500
    app.include_router(health.router)  # public: load balancers call it; ages and "ok" only
    app.include_router(files.router)
    app.include_router(session.router)
    app.include_router(import_template.router)  # /template before /{import_id}/...
    app.include_router(customer_import.router)
    app.include_router(customer_export.router)
    app.include_router(unsubscribe.router)  # public: the token is the capability
    app.include_router(panel_export.router)
    app.mount("/api/v1", build_v1())
    # The last added runs first: the request's id (for every log line, refusals included), headers on
    # every answer, then the websocket's origin, then who may upload (headers only), then the upload's
    # size and file count.
    app.add_middleware(UploadSizeLimit)
    app.add_middleware(UploadAccess)
    app.add_middleware(WebsocketOriginGuard)
    app.add_middleware(SecurityHeaders)
    # Outside SecurityHeaders: pages at their own URL, hashed files cached for good without the page
    # policy, the service worker and manifest always asked again.
    app.add_middleware(StaticFilesPolicy)
    app.add_middleware(RequestId)
    return app
