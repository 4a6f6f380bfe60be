"""The client picker's UI: ``client_picker(State)`` for a state that inherits ``ClientPicker``
(states/client_picker.py, which says how a form embeds both).

A labelled search box; the customers it finds as buttons named by the customer (his phone or tax ID and
his supplier / conflictive flags as their description); the chosen one with "Cambiar"; "+ Nuevo
cliente", which opens the quick customer form (the page embeds ``customer_form_dialog(quick=True)``
once); and the confirmation a conflictive customer asks for, naming the flag. Buttons are 44 px high on
phones (assets/styles.css).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.dialogs import confirm_dialog
from crm_app.states.client_picker import ClientOption
from crm_app.states.session import SessionState

T = SessionState.tr


def _flag_badges(supplier: Var, conflictive: Var) -> rx.Component:
    return rx.fragment(
        rx.cond(supplier, rx.badge(T["supplier"], color_scheme="blue", variant="soft", size="1")),
        rx.cond(conflictive, rx.badge(T["conflictive"], color_scheme="red", variant="soft", size="1")),
    )


def _result(state, control_id: str, row: ClientOption) -> rx.Component:
    detail_id = f"{control_id}-" + row.id.to_string()
    return rx.el.li(
        rx.button(
            rx.vstack(
                rx.text(row.name, weight="medium"),
                rx.hstack(
                    rx.text(row.detail, size="1", color_scheme="gray", class_name="crm-value"),
                    _flag_badges(row.is_supplier, row.is_conflictive),
                    id=detail_id, spacing="2", align="center", wrap="wrap",
                ),
                spacing="0", align="start", min_width="0",
            ),
            type="button", variant="ghost", on_click=state.choose_client(row.id),
            aria_label=row.name, aria_describedby=detail_id,
            width="100%", justify="start", height="auto", padding_y="0.35em", text_align="start",
            white_space="normal",
        ),
        width="100%",
    )


def _search(state, control_id: str, label: Var, new_client: bool) -> rx.Component:
    results_id = f"{control_id}-results"
    return rx.vstack(
        rx.el.label(label, html_for=control_id, class_name="crm-label"),
        rx.input(
            rx.input.slot(rx.icon("search", size=16, aria_hidden="true")),
            id=control_id, type="search", value=state.client_query, on_change=state.search_clients,
            debounce_timeout=250, placeholder=T["client_picker_placeholder"], auto_complete="off",
            aria_controls=results_id, width="100%",
        ),
        rx.cond(
            (state.client_query != "") & (state.client_results.length() == 0),
            rx.text(T["client_picker_none"], size="2", color_scheme="gray", role="status"),
        ),
        rx.el.ul(
            rx.foreach(state.client_results, lambda row: _result(state, control_id, row)),
            id=results_id, aria_label=T["client_picker_results"], class_name="crm-plain-list",
            style={"listStyle": "none", "padding": 0, "margin": 0, "width": "100%"},
        ),
        *([rx.button(rx.icon("user_plus", size=16, aria_hidden="true"), T["client_picker_new"],
                     type="button", variant="soft", on_click=state.new_client)] if new_client else []),
        spacing="2", width="100%",
    )


def _chosen(state, label: Var) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="div", class_name="crm-label"),
        rx.flex(
            rx.icon("user_check", size=18, aria_hidden="true", color=rx.color("green", 10)),
            rx.text(state.client_name, weight="medium", class_name="crm-value"),
            _flag_badges(state.client_is_supplier, state.client_is_conflictive),
            rx.spacer(),
            rx.button(
                T["client_picker_change"], type="button", variant="soft", size="2",
                on_click=state.clear_client,
                aria_label=T["client_picker_change_named"].to(str).replace("{name}", state.client_name),
            ),
            spacing="2", align="center", wrap="wrap", width="100%",
        ),
        role="group", aria_label=label, spacing="1", width="100%",
    )


def client_picker(state, label: Var | str | None = None, *, new_client: bool = True) -> rx.Component:
    """The picker of ``state`` (a ``ClientPicker``). ``label`` names the search box ("Cliente" by
    default); ``new_client=False`` leaves out "+ Nuevo cliente" (the template preview)."""
    label = T["client_picker_label"] if label is None else label
    control_id = "client-picker-" + state.get_name().replace("_", "-")
    return rx.box(
        rx.cond(state.client_chosen, _chosen(state, label), _search(state, control_id, label, new_client)),
        confirm_dialog(
            state.client_pending_id != 0,
            T["client_picker_confirm_conflictive"].to(str).replace("{name}", state.client_pending_name),
            state.confirm_client,
            state.cancel_client,
        ),
        width="100%",
    )
