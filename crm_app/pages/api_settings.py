"""/settings/api (admins): what the API is for with a link to its docs, the API keys, then the webhooks
and the connectors (website forms, Facebook lead ads), stacked so a phone scrolls through them."""

import reflex as rx

from crm_app.components import connector_settings, webhook_settings
from crm_app.components.api_keys import api_keys_section
from crm_app.components.data_list import page_header
from crm_app.pages.base import page
from crm_app.states.api_keys import ApiKeysState

T = ApiKeysState.tr
DOCS_URL = "/api/v1/docs"  # the /api/v1 FastAPI app's interactive docs, outside the Reflex router
# Each section's module lists the on_load handlers its state needs (SECTION_LOADS), so the webhooks and
# connectors sections load with the page without this file naming their states.
LOADS = [ApiKeysState.load, *getattr(webhook_settings, "SECTION_LOADS", []),
         *getattr(connector_settings, "SECTION_LOADS", [])]


def _intro() -> rx.Component:
    return rx.vstack(
        rx.text(T["apikeys_intro"]),
        # Its own tab: the docs page is not a Reflex page, a client-side navigation would not find it.
        rx.link(rx.hstack(rx.icon("book_open", size=16, aria_hidden="true"), T["apikeys_docs_link"],
                          spacing="1", align="center"),
                href=DOCS_URL, is_external=True),
        spacing="2", width="100%", max_width="48em",
    )


@page("/settings/api", "title_api_settings", role="admin", on_load=LOADS)
def api_settings() -> rx.Component:
    return rx.vstack(
        page_header(T["title_api_settings"]),
        _intro(),
        rx.card(api_keys_section(), width="100%"),
        webhook_settings.webhooks_section(),
        connector_settings.connectors_section(),
        spacing="5", width="100%",
    )
