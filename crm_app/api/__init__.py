"""HTTP routes next to Reflex's backend: ``rx.App(api_transformer=api.build())``.

``build()`` returns one FastAPI app holding every router of ours; Reflex mounts its own backend
(websocket, uploads, ping) underneath it, so our routes are matched first and share the port.
REST routers of later issues join here with one ``include_router`` line.
"""

from __future__ import annotations

from fastapi import FastAPI


def build() -> FastAPI:
    from crm_app.api import files, session
    from crm_app.api.upload_limit import UploadSizeLimit

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(files.router)
    app.include_router(session.router)
    app.add_middleware(UploadSizeLimit)
    return app
