"""``build_v1()``: the versioned public API as one FastAPI app, mounted at ``/api/v1``."""

from __future__ import annotations

from fastapi import FastAPI

from crm_app.api.v1 import (
    accounts,
    connectors,
    customers,
    docs,
    documents,
    feed,
    form_config,
    forms,
    problems,
    webhooks,
)

ROUTERS = (customers, accounts, feed, documents, form_config, webhooks, forms, connectors)

DESCRIPTION = (
    "Clientela's REST API. Authenticate with `Authorization: Bearer <API key>` (keys are created by an "
    "admin in /settings/api). Errors are RFC 9457 problem+json in the language of `Accept-Language`."
)


def build_v1() -> FastAPI:
    app = FastAPI(title="Clientela API", version="1", description=DESCRIPTION, docs_url=None, redoc_url=None)
    problems.install(app)
    for module in ROUTERS:
        app.include_router(module.router)
    docs.install(app)  # /docs: the interactive reference, served offline
    return app
