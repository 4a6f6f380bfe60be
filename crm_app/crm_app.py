"""The Reflex app: pages, API and background tasks are registered here."""

import reflex as rx

from crm_app import api, logs
from crm_app.api import static_files
from crm_app.components.connection_toast import connection_overlay
from crm_app.components.document import page_title
from crm_app.components.pwa import pwa_head, versioned
from crm_app.event_ids import EventIdMiddleware
from crm_app.jobs.outbox import in_app_worker
from crm_app.jobs.runner import in_app_runner

# Importing the page modules collects their routes (@page / @public_page); add_pages adds them below.
from crm_app.pages import (  # noqa: F401 imported for the routes they register
    account,
    account_detail,
    accounts,
    api_settings,
    bulk_actions,
    campaign,
    campaigns,
    customer,
    customer_import,
    customer_imports,
    customers,
    duplicates,
    form_editor,
    home,
    invitations,
    lead,
    leads,
    login,
    merge,
    merge_history,
    order,
    orders,
    register,
    sale,
    sales,
    settings,
    setup,
    tasks,
    templates,
    users,
)
from crm_app.pages.base import add_pages
from crm_app.pages.not_found import not_found
from crm_app.settings import get_settings
from crm_app.states.dialogs import DialogsMiddleware
from crm_app.states.payloads import backend_exception
from crm_app.states.session import is_signed_in_page

# Before anything logs: one JSON object per line (or text) with the request's or event's id.
logs.configure(get_settings())

app = rx.App(
    stylesheets=["/styles.css"],
    html_lang="es",  # before hydration; components/document.py then follows the UI language
    # Every interface language is written left to right. Said on <html>, it also spares the toaster
    # (sonner) a style recalculation of the whole page in its first render, to find the direction:
    # about 0.1 s on a phone's CPU (bench/list_page.py --network fast3g).
    html_custom_attrs={"dir": "ltr"},
    theme=None,
    # Our HTTP routes (file downloads, later the REST API) in front of Reflex's own backend.
    api_transformer=api.build(),
    # Errors no handler caught: logged with their traceback, shown in the user's language.
    backend_exception_handler=backend_exception,
    # Before Reflex's own scripts: puts the session marker into every event (states/browser_session.py).
    head_components=[rx.el.script(src=versioned("/session_marker.js")), *pwa_head()],
)
# Reflex's connection-lost notice is English only: ours says it in the reader's language.
app.app_wraps[(5, "Overlay")] = connection_overlay
app.register_lifespan_task(in_app_worker)
# Imports (and later scans, bulk actions) run in the app's own job runner thread.
app.register_lifespan_task(in_app_runner)
# First (index 0, before any middleware that may answer alone): every line the event's handler and
# the other middlewares log carries the event's id.
app.add_middleware(EventIdMiddleware(), index=0)
# Dialogs close on a reload and on a navigation (their open flags live in the tab's server state).
app.add_middleware(DialogsMiddleware())
add_pages(app)
# Signed-in pages are served the SPA shell: the websocket asks for their data at once (api/static_files.py).
static_files.serve_shell_for(is_signed_in_page)
app.add_page(not_found, route="404", title=page_title("not_found_title"))
