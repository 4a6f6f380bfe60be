"""The Reflex app: pages, API and background tasks are registered here."""

import reflex as rx

# Importing the page modules registers their routes (@page / @public_page).
from crm_app.pages import account, customer, customers, home, login, setup, tasks, users  # noqa: F401
from crm_app.pages.not_found import not_found

app = rx.App(
    stylesheets=["/styles.css"],
    theme=None,
)
app.add_page(not_found, route="404", title="404 · Clientela")
