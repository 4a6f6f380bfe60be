"""The customer list's filters (states/customers.py keeps them in the page's address).

- ``filter_bar(search)``: on wide screens, one row above the list: the search, the type, the tags, the
  sort and "Más filtros" with the rest in a dialog. The eleven controls in two rows left four customers on
  a 1280 x 720 window's first screen.
- ``filters_button()``: on phones, the controls but the search behind a "Filtros" button
  (components/filters_dialog.py): they filled a phone's first screen, so no customer showed without
  scrolling.
- ``filter_chips()``: the tags, account, dialog and panel filters in force, each with its remove button, and
  "Quitar filtros"; on both layouts, so a phone sees what narrows its list without opening the dialog.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.data_list import SORT_OPTIONS, labelled_select
from crm_app.components.filters_dialog import filters_dialog
from crm_app.components.forms import date_lang, field_error, invalid_props
from crm_app.components.responsive import wide_screen
from crm_app.states.customers import ChoiceFilter, CustomersState

S = CustomersState
T = S.tr
# The shared sorts, and what a customer bought (highest first only: that is what a shop owner looks for).
SORTS = (*SORT_OPTIONS, ("sort_purchase", "-purchase"), ("sort_spent", "-spent"))


def _filter_select(label_key: str, name: str, value, options: list) -> rx.Component:
    return labelled_select(
        T[label_key], f"filter-{name}", options, value, lambda v: S.set_filter(name, v), min_width="9em"
    )


def _yes_no(label_key: str, name: str, value) -> rx.Component:
    return _filter_select(
        label_key,
        name,
        value,
        [
            rx.el.option(T["any"], value=""),
            rx.el.option(T["yes"], value="1"),
            rx.el.option(T["no"], value="0"),
        ],
    )


def _choice_filter(choice: ChoiceFilter) -> rx.Component:
    """A custom choice field's filter, labelled with the field's name ("Sucursal")."""
    return labelled_select(
        choice.label,
        "filter-option-" + choice.field_id,
        [rx.el.option(T["any"], value=""),
         rx.foreach(choice.options, lambda o: rx.el.option(o[1], value=o[0]))],
        S.chosen_options.get(choice.field_id, ""),
        lambda v: S.set_choice_filter(choice.field_id, v),
        min_width="9em",
    )


def _sort() -> rx.Component:
    options = [rx.el.option(T[key], value=code) for key, code in SORTS]
    return labelled_select(T["sort_by"], "filter-sort", options, S.sort, lambda v: S.set_filter("sort", v),
                           min_width="9em")


def _day_filter(label_key: str, name: str, value: Var) -> rx.Component:
    control_id = "filter-" + name.replace("_", "-")
    return rx.vstack(
        rx.el.label(T[label_key], html_for=control_id, class_name="crm-label"),
        rx.input(id=control_id, type="date", value=value, on_change=lambda v: S.set_filter(name, v),
                 **date_lang("date")),
        spacing="1",
    )


def _min_spent() -> rx.Component:
    """Typed freely ("1.500,50"), applied with Enter or the button; a message under it if it does not read."""
    control_id = "filter-min-spent"
    return rx.form(
        rx.vstack(
            rx.el.label(T["filter_min_spent"], html_for=control_id, class_name="crm-label"),
            rx.hstack(
                rx.input(id=control_id, name="min_spent", default_value=S.min_spent, input_mode="decimal",
                         key=S.min_spent, width="7em",
                         **invalid_props(S.filter_errors, "min_spent", control_id)),
                rx.icon_button(rx.icon("check", size=16), type="submit", variant="soft",
                               aria_label=T["filter_min_spent_apply"]),
                spacing="1",
                align="center",
            ),
            field_error(S.filter_errors, "min_spent", control_id),
            spacing="1",
        ),
        on_submit=S.set_min_spent,
        reset_on_submit=False,
        width="auto",
    )


def _type_filter() -> rx.Component:
    return _filter_select(
        "filter_type",
        "type",
        S.client_type,
        [
            rx.el.option(T["all_types"], value=""),
            *[rx.el.option(T[f"client_type_{t}"], value=t) for t in ("person", "company", "government")],
        ],
    )


def _tag_filter() -> rx.Component:
    return labelled_select(
        T["filter_tags"],
        "filter-tags",
        [rx.el.option("—", value=""), rx.foreach(S.tag_options, lambda t: rx.el.option(t, value=t))],
        "",
        S.add_tag_filter,
        min_width="9em",
        on_focus=S.refresh_tag_options,
    )


def _more_controls() -> list[rx.Component]:
    """The filters a wide screen keeps behind "Más filtros" (states/customers.MORE_FILTERS)."""
    return [
        _yes_no("filter_supplier", "supplier", S.supplier),
        _yes_no("filter_conflictive", "conflictive", S.conflictive),
        _filter_select(
            "filter_channel",
            "channel",
            S.channel,
            [rx.el.option(T["any"], value=""),
             rx.foreach(S.channels, lambda c: rx.el.option(c[1], value=c[0]))],
        ),
        _yes_no("filter_consent", "consent", S.consent),
        rx.foreach(S.choice_filters, _choice_filter),
        _day_filter("filter_bought_since", "bought_since", S.bought_since),
        _day_filter("filter_lapsed_since", "lapsed_since", S.lapsed_since),
        _min_spent(),
    ]


def filter_bar(search: rx.Component) -> rx.Component:
    more = filters_dialog(_more_controls(), S.more_filter_count, S.clear_more_filters,
                          done_label=T["list_filters_done"], label_key="list_more_filters",
                          active_key="list_more_filters_active")
    return rx.hstack(
        rx.box(search, flex="1 1 16em", min_width="12em", max_width="40em"),
        _type_filter(), _tag_filter(), _sort(), more,
        spacing="3", wrap="wrap", align="end", width="100%",
    )


def filters_button() -> rx.Component:
    controls = [_type_filter(), _tag_filter(), *_more_controls(), _sort()]
    return filters_dialog(controls, S.filter_count, S.clear_filters, done_label=T["list_filters_done"])


def _remove_button(label: Var, on_click) -> rx.Component:
    return rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", on_click=on_click,
                          aria_label=label)


def _chip(label: Var, on_remove, **color) -> rx.Component:
    """The label and a remove button named for it."""
    return rx.badge(
        label,
        _remove_button(T["listf_remove"].to(str).replace("{label}", label.to(str)), on_remove),
        size="2", variant="surface", **color,
    )


def _origin_chip(chip: Var) -> rx.Component:
    """A filter the panel's figures link to ("Creados por Ana"): such a filter has no control of its own,
    the chip says what the list holds."""
    return _chip(chip[1], S.set_filter(chip[0], ""), color_scheme="indigo")


def _more_chip(chip: Var) -> rx.Component:
    """A filter set in the dialog ("Proveedor: Sí"): seen without opening it."""
    return _chip(chip[1], S.remove_more_filter(chip[0]))  # the accent, as the tags' chips


def _type_chip() -> rx.Component:
    """The type, on a phone only: a wide screen shows it in its select, a phone in the dialog."""
    label = T["filter_type"].to(str) + ": " + T["client_type_" + S.client_type.to(str)].to(str)
    return rx.cond(~wide_screen & (S.client_type != ""), _chip(label, S.set_filter("type", "")))


def filter_chips() -> rx.Component:
    return rx.hstack(
        _type_chip(),
        rx.foreach(
            S.tag_filter,
            lambda tag: rx.badge(
                tag,
                _remove_button(T["remove_filter"].to(str) + " " + tag, S.remove_tag_filter(tag)),
                size="2",
                variant="surface",
            ),
        ),
        rx.cond(
            S.account != "",
            rx.badge(
                T["filter_account"], ": ", S.account_name,
                _remove_button(T["remove_account_filter"], S.set_filter("account", "")),
                size="2", variant="surface", color_scheme="teal",
            ),
        ),
        rx.foreach(S.more_chips, _more_chip),
        rx.foreach(S.origin_chips, _origin_chip),
        rx.link(T["clear_filters"], on_click=S.clear_filters, size="2", href="#"),
        spacing="2",
        wrap="wrap",
        align="center",
        class_name="crm-chips",
    )
