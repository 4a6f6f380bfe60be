"""404 for unknown routes."""

import reflex as rx

from crm_app.components.document import document_language
from crm_app.pages.base import status_page


def not_found() -> rx.Component:
    return rx.fragment(document_language(),
                       rx.el.main(status_page("not_found_title", "not_found_body", "404")))
