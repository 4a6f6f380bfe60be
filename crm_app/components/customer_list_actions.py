"""The customer list's heading actions: trash, invite, import, export, segment and campaign, bulk history,
duplicates, and "Nuevo cliente".

A wide screen shows each as a button (``wide_actions()``). A phone keeps "Nuevo cliente" and puts the rest
in a "Más" menu (``phone_actions()``): nine buttons filled a phone's first screen before any customer.
The dialogs the actions open are rendered once, for both (``action_dialogs()``).
"""

from __future__ import annotations

import reflex as rx
from reflex.components.react_router.dom import ReactRouterLink

from crm_app.components.controls import link_button
from crm_app.components.customer_form import customer_form_dialog
from crm_app.components.invite_dialog import invite_button, invite_dialog, open_invite
from crm_app.components.segment_actions import segment_buttons, segment_dialog, segment_menu_items
from crm_app.states.customer_form import CustomerFormState
from crm_app.states.customers import CustomersState
from crm_app.states.session import ShellState

S = CustomersState
T = S.tr

EXPORT_FORMATS = ("xlsx", "csv")


def _export_item(file_format: str, label_key: str) -> rx.Component:
    """A download of the list as filtered now: the same query, every page (api/customer_export.py). A
    link loaded as a document (``reload_document``: React Router would take it for one of the app's
    pages), so the browser sends the session cookie and saves the file."""
    return rx.menu.item(
        rx.el.a(T[label_key], href=f"/api/customers/export?format={file_format}&" + S.export_query,
                download=True, reload_document=True),
        as_child=True,
    )


def _export_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon("download", size=16, aria_hidden="true"), T["export_button"],
                      rx.icon("chevron_down", size=14, aria_hidden="true"), variant="soft"),
        ),
        rx.menu.content(*[_export_item(f, f"export_{f}") for f in EXPORT_FORMATS],
                        aria_label=T["export_menu"]),
    )


def _new_customer() -> rx.Component:
    return rx.button(rx.icon("user_plus", size=16, aria_hidden="true"), T["new_customer"],
                     on_click=CustomerFormState.open_create(False))


def wide_actions() -> list[rx.Component]:
    return [
        rx.button(
            # Two fixed icons, not one whose name is a state var: a var name makes Reflex import
            # lucide's DynamicIcon, a 730 KB map of every icon that every page then loads.
            rx.cond(
                S.trash,
                rx.icon("users", size=16, aria_hidden="true"),
                rx.icon("trash_2", size=16, aria_hidden="true"),
            ),
            rx.cond(S.trash, T["active_customers"], T["trash"]),
            variant="soft",
            on_click=S.show_trash(~S.trash),
        ),
        invite_button(with_dialog=False),
        rx.cond(S.can_transfer, link_button("file_up", T["import_button"], "/customers/import")),
        rx.cond(S.can_transfer, _export_menu()),
        segment_buttons(),  # admins: save the filters as a segment, send a campaign to this list
        link_button("history", T["bulkui_history_link"], "/customers/bulk"),
        rx.cond(ShellState.is_admin,
                link_button("git_merge", T["bulkui_duplicates_link"], "/customers/duplicates")),
        _new_customer(),
    ]


def _page_item(label_key: str, href: str) -> rx.Component:
    """A menu item that goes to one of the app's pages, without reloading it."""
    return rx.menu.item(ReactRouterLink.create(T[label_key], to=href), as_child=True)


def phone_actions() -> list[rx.Component]:
    more = rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon("ellipsis", size=16, aria_hidden="true"), T["bulkui_more"], variant="soft",
                      aria_label=T["list_more_actions"]),
        ),
        rx.menu.content(
            # Checkbox mode (bulk_bar): first, as the wide screen's check boxes are always there.
            rx.cond(S.rows.length() > 0,
                    rx.menu.item(T["bulkui_select_mode"], on_select=S.set_select_mode(True))),
            rx.menu.item(rx.cond(S.trash, T["active_customers"], T["trash"]),
                         on_select=S.show_trash(~S.trash)),
            rx.menu.item(T["invite_customer"], on_select=open_invite),
            rx.cond(
                S.can_transfer,
                rx.fragment(_page_item("import_button", "/customers/import"),
                            *[_export_item(f, f"list_export_{f}") for f in EXPORT_FORMATS]),
            ),
            segment_menu_items(),
            _page_item("bulkui_history_link", "/customers/bulk"),
            rx.cond(ShellState.is_admin, _page_item("bulkui_duplicates_link", "/customers/duplicates")),
            aria_label=T["list_more_actions"],
        ),
    )
    return [_new_customer(), more]


def action_dialogs() -> rx.Component:
    return rx.fragment(invite_dialog(), segment_dialog(), customer_form_dialog())
