"""The filter bar of the order, sale and lead lists (states/document_list.DocumentListState): labelled
selects and date fields whose change reloads the list from its new address, the client the list is
narrowed to (the profile's "see all") with a way out, and "clear filters" once any is set. On a phone the
selects and dates are behind a "Filtros" button (components/filters_dialog.py)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.data_list import labelled_select
from crm_app.components.filters_dialog import filters_dialog, set_count
from crm_app.components.forms import date_lang
from crm_app.components.responsive import wide_or_narrow
from crm_app.states.session import SessionState

T = SessionState.tr


def filter_select(state, label: Var, name: str, all_label: Var, options) -> rx.Component:
    """A list filter: a labelled <select> whose first option is "all"."""
    return labelled_select(
        label, f"{state.route.strip('/')}-{name}", [rx.el.option(all_label, value=""), options],
        state.filters.get(name, ""), lambda v: state.set_filter(name, v), min_width="9em",
    )


def option_list(options: Var) -> rx.Component:
    """<option>s of [id, name] pairs held in the state (types, staff, sources)."""
    return rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))


def date_filter(state, label: Var, name: str) -> rx.Component:
    control_id = f"{state.route.strip('/')}-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=control_id, class_name="crm-label"),
        rx.input(id=control_id, type="date", value=state.filters.get(name, ""),
                 on_change=lambda v: state.set_filter(name, v), **date_lang("date")),
        spacing="1",
    )


def any_filter(state) -> Var:
    """Whether one of the list's filters is set."""
    names = state.filter_names
    found = state.filters.get(names[0], "") != ""
    for name in names[1:]:
        found = found | (state.filters.get(name, "") != "")
    return found


def _client_chip(state) -> rx.Component:
    return rx.cond(
        state.customer_name != "",
        rx.badge(
            T["filter_client"], " ", rx.text(state.customer_name, as_="span", weight="bold"),
            rx.icon_button(rx.icon("x", size=14), size="1", variant="ghost", type="button",
                           aria_label=T["filter_client_remove"].to(str) + " " + state.customer_name,
                           on_click=state.set_filter("customer", "")),
            size="2", variant="soft", align_self="end",
        ),
    )


def filter_bar(state, *selects: rx.Component) -> rx.Component:
    """The list's ``selects``, its creation date range, its client and "clear filters"; on a phone the
    selects and dates behind "Filtros" (components/filters_dialog.py), the client beside it."""
    controls = [*selects, date_filter(state, T["filter_from"], "from"),
                date_filter(state, T["filter_to"], "to")]
    in_dialog = [state.filters.get(name, "") for name in state.filter_names if name != "customer"]
    clear = rx.cond(any_filter(state), rx.button(T["clear_filters"], variant="soft", color_scheme="gray",
                                                 on_click=state.clear_filters))
    return wide_or_narrow(
        rx.hstack(*controls, _client_chip(state), clear, spacing="3", wrap="wrap", align="end", width="100%"),
        rx.hstack(filters_dialog(controls, set_count(in_dialog), state.clear_filters), _client_chip(state),
                  clear, spacing="3", wrap="wrap", align="center", width="100%"),
    )
