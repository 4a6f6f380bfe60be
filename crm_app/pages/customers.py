"""Customer list: search as you type, filters, sort, keyset pages, trash; cards on phones."""

import functools
import operator

import reflex as rx
from reflex.vars import Var

from crm_app.components import plain
from crm_app.components.bulk_bar import bulk_bar, long_press_card, row_check
from crm_app.components.bulk_dialog import bulk_dialog, bulk_result
from crm_app.components.customer_badges import flags, tag_badges, type_label
from crm_app.components.customer_filters import filter_bar, filter_chips, filters_button
from crm_app.components.customer_list_actions import action_dialogs, phone_actions, wide_actions
from crm_app.components.data_list import (
    card_list,
    data_table,
    delete_dialog,
    edit_delete_buttons,
    name_link,
    page_header,
    pager,
    row_link,
    rows_or_empty,
    search_box,
)
from crm_app.components.empty_state import empty_state
from crm_app.components.reach_links import reach_links
from crm_app.components.responsive import wide_or_narrow
from crm_app.pages.base import page
from crm_app.states.bulk_actions import BulkActionState
from crm_app.states.customer_form import CustomerFormState
from crm_app.states.customers import CustomersState, ListRow

S = CustomersState
T = S.tr


def _row_actions(row: ListRow) -> rx.Component:
    return rx.cond(
        S.trash,
        rx.button(
            T["restore"],
            size="1",
            variant="soft",
            on_click=S.restore(row.id),
            aria_label=T["restore"].to(str) + " " + row.display_name,
        ),
        edit_delete_buttons(
            row.display_name,
            CustomerFormState.open_edit(row.id),
            S.ask_delete(row.id, row.display_name),
            row_link("eye", "open", row.display_name, "/customers/" + row.id.to_string()),
        ),
    )


def _name_link(row: ListRow) -> rx.Component:
    """The name; under it what he bought, when the list sorts or filters on that."""
    return plain.stacked(
        name_link(row.display_name, "/customers/" + row.id.to_string()),
        rx.cond(row.purchases != "", plain.text(row.purchases, small=True, muted=True)),
    )


def _reach(row: ListRow, *, with_email: bool) -> rx.Component:
    """Call, WhatsApp, SMS (and on a phone's card, e-mail) and directions, one tap each."""
    return reach_links(row.display_name, call=row.call_e164, whatsapp=row.whatsapp_e164, sms=row.sms_e164,
                       email=row.primary_email if with_email else None, map_point=row.map_point)


def _table() -> rx.Component:
    headers = (
        "col_name",
        "col_type",
        "col_phone",
        "col_email",
        "col_tax_id",
        "col_tags",
        "col_flags",
        "actions",
    )
    return data_table(
        S,
        headers,
        lambda row: [
            plain.inline(row_check(row), _name_link(row), gap="2", align="start"),
            type_label(row.client_type),
            plain.inline(plain.text(row.primary_phone), _reach(row, with_email=False), wrap=True),
            row.primary_email,
            row.tax_id_formatted,
            tag_badges(row.tags),
            flags(row.is_supplier, row.is_conflictive),
            _row_actions(row),
        ],
        T["customers_title"],
    )


def _card(row: ListRow) -> list[rx.Component]:
    """A long press on the card (bulk_bar.long_press_card) ticks it, in checkbox mode."""
    return [long_press_card(row, rx.vstack(
        rx.hstack(row_check(row), _name_link(row), rx.spacer(), flags(row.is_supplier, row.is_conflictive),
                  width="100%", align="start"),
        rx.text(type_label(row.client_type), size="1", color_scheme="gray"),
        rx.cond(row.primary_phone != "", rx.text(row.primary_phone, size="2")),
        rx.cond(row.primary_email != "", rx.text(row.primary_email, size="2", class_name="crm-value")),
        tag_badges(row.tags),
        # One row for both sets of 44 px buttons: a shorter card, more customers on a phone's screen.
        plain.inline(_reach(row, with_email=True), _row_actions(row), wrap=True, spread=True),
        spacing="1", width="100%",
    ))]


def _filtered() -> Var:
    """Whether a search or filter narrows the list (the trash is a list of its own, not a filter)."""
    chosen = (S.search, S.client_type, S.supplier, S.conflictive, S.channel, S.consent, S.option, S.account,
              S.bought_since, S.lapsed_since, S.min_spent, S.created_from, S.created_to, S.created_by,
              S.source, S.reach)
    return functools.reduce(operator.or_, [v != "" for v in chosen], S.tag_filter.length() > 0)


def _empty() -> rx.Component:
    return empty_state(
        "users", T["customers_empty"], T["customers_empty_hint"],
        rx.button(T["customers_empty_action"], on_click=CustomerFormState.open_create(False)),
    )


def _toolbar() -> rx.Component:
    """The heading with its actions, the search and the filters: on a wide screen the actions as buttons,
    the search in a row with the type, tags, sort and "Más filtros"; on a phone the search, "Filtros" and
    "Nuevo cliente" with the rest in a menu. Either way the first customers show on the first screen."""
    title = rx.cond(S.trash, T["trash"], T["customers_title"])
    search = search_box("search_customers", S.search, S.set_search)
    return wide_or_narrow(
        rx.vstack(page_header(title, *wide_actions()), filter_bar(search), spacing="4", width="100%"),
        rx.vstack(page_header(title, *phone_actions()),
                  rx.hstack(search, filters_button(), spacing="2", width="100%", align="center"),
                  spacing="3", width="100%"),
    )


@page("/customers", "title_customers", on_load=[CustomersState.load, BulkActionState.load])
def customers() -> rx.Component:
    filtered = _filtered()
    return rx.vstack(
        _toolbar(),
        rx.cond(filtered, filter_chips()),
        bulk_result(),  # what the last bulk action did, with Undo; or its progress
        bulk_bar(),
        rows_or_empty(S, _table(), card_list(S, _card), filtered=filtered, no_match=T["no_customers"],
                      empty=rx.cond(S.trash, empty_state("trash_2", T["trash_empty"]), _empty())),
        pager(S),
        delete_dialog(S, "confirm_delete_customer"),
        bulk_dialog(),
        action_dialogs(),
        spacing="4",
        width="100%",
    )
