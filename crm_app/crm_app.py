"""The Reflex app: pages, API and background tasks are registered here."""

import reflex as rx

from crm_app import api

# Importing the page modules collects their routes (@page / @public_page); add_pages adds them below.
from crm_app.pages import (  # noqa: F401
    account,
    account_detail,
    accounts,
    customer,
    customers,
    form_editor,
    home,
    invitations,
    login,
    register,
    settings,
    setup,
    tasks,
    templates,
    users,
)
from crm_app.jobs.outbox import in_app_worker
from crm_app.pages.base import add_pages
from crm_app.pages.not_found import not_found

app = rx.App(
    stylesheets=["/styles.css"],
    theme=None,
    # Our HTTP routes (file downloads, later the REST API) in front of Reflex's own backend.
    api_transformer=api.build(),
    # Before Reflex's own scripts: puts the session marker into every event (states/browser_session.py).
    head_components=[rx.el.script(src="/session_marker.js")],
)
app.register_lifespan_task(in_app_worker)
add_pages(app)
app.add_page(not_found, route="404", title="404 · Clientela")
