"""``build_v1()``: the versioned public API as one FastAPI app, mounted at ``/api/v1``."""

from __future__ import annotations

from fastapi import FastAPI

from crm_app.api.v1 import accounts, connectors, customers, documents, feed, form_config, forms, webhooks

ROUTERS = (customers, accounts, feed, documents, form_config, webhooks, forms, connectors)


def build_v1() -> FastAPI:
    app = FastAPI(title="Clientela API", version="1", docs_url=None, redoc_url=None)
    for module in ROUTERS:
        app.include_router(module.router)
    return app
