"""The Reflex app: pages, API and background tasks are registered here."""

import reflex as rx

# Importing the page modules registers their routes (@page / @public_page).
from crm_app.pages import account, customer, customers, home, login, setup, users  # noqa: F401
from crm_app.pages import invitations, register, templates  # noqa: F401  (messaging, issue 7)
from crm_app.jobs.outbox import in_app_worker
from crm_app.pages.not_found import not_found

app = rx.App(
    stylesheets=["/styles.css"],
    theme=None,
)
app.register_lifespan_task(in_app_worker)
app.add_page(not_found, route="404", title="404 · Clientela")
