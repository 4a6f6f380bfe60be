"""/orders: the work orders, newest first, filtered by status, type, assignee and creation dates and
searched by number or client; each with its type's colour; a table on wide screens, cards on phones."""

import reflex as rx
from reflex.vars import Var

from crm_app.components.controls import link_button
from crm_app.components.data_list import (
    card_list,
    data_table,
    name_link,
    page_header,
    pager,
    rows_or_empty,
    search_box,
)
from crm_app.components.document_filters import any_filter, filter_bar, filter_select, option_list
from crm_app.components.empty_state import empty_state
from crm_app.domain.documents import ORDER_STATUSES
from crm_app.pages.base import page
from crm_app.states.orders import OrderListRow, OrdersState

S = OrdersState
T = S.tr
STATUS_COLORS = {"open": "gray", "in_progress": "blue", "done": "amber", "delivered": "green",
                 "cancelled": "red"}


def type_badge(name: Var, color: Var) -> rx.Component:
    """An order type as every page shows it: its colour (a swatch, decoration only) before its name."""
    return rx.hstack(
        rx.box(class_name="crm-type-swatch", background_color=color, width="0.8em", height="0.8em",
               border_radius="50%", flex_shrink="0", aria_hidden="true"),
        rx.text(name, size="2"),
        spacing="2", align="center",
    )


def status_badge(status: Var, label: Var) -> rx.Component:
    return rx.badge(label, color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"), variant="soft")


def _number_link(row: OrderListRow) -> rx.Component:
    return name_link(row.number, "/orders/" + row.id.to_string())


def _client(row: OrderListRow) -> rx.Component:
    return rx.cond(row.customer_name != "", rx.text(row.customer_name),
                   rx.text(T["order_no_client"], color_scheme="gray"))


def _table() -> rx.Component:
    headers = ("col_order_number", "col_order_type", "col_order_client", "col_order_status",
               "col_order_assignee", "col_order_due", "col_order_total", "col_order_created")
    return data_table(
        S, headers,
        lambda r: [_number_link(r), type_badge(r.type_name, r.type_color), _client(r),
                   status_badge(r.status, r.status_label), r.assignee_name, r.due, r.total, r.created],
        T["orders_title"],
    )


def _card(row: OrderListRow) -> list[rx.Component]:
    return [
        rx.hstack(_number_link(row), rx.spacer(), status_badge(row.status, row.status_label), width="100%"),
        type_badge(row.type_name, row.type_color),
        _client(row),
        rx.hstack(rx.text(row.total, weight="medium"), rx.spacer(),
                  rx.cond(row.due != "", rx.text(T["col_order_due"], ": ", row.due, size="2")), width="100%"),
    ]


def _filters() -> rx.Component:
    statuses = [rx.el.option(T[f"order_status_{s}"], value=s) for s in ORDER_STATUSES]
    return filter_bar(
        S,
        filter_select(S, T["orders_filter_status"], "status", T["all_statuses"], statuses),
        filter_select(S, T["orders_filter_type"], "type", T["orders_all_types"], option_list(S.type_options)),
        filter_select(S, T["orders_filter_assignee"], "owner", T["orders_all_assignees"],
                      option_list(S.owner_options)),
    )


def _empty() -> rx.Component:
    return empty_state("clipboard_list", T["orders_empty"], T["orders_empty_hint"],
                       link_button("plus", T["new_order"], "/orders/new", variant="solid"))


@page("/orders", "title_orders", on_load=[OrdersState.load])
def orders() -> rx.Component:
    return rx.vstack(
        page_header(T["orders_title"], link_button("plus", T["new_order"], "/orders/new", variant="solid")),
        search_box("search_orders", S.search, S.set_search),
        _filters(),
        rows_or_empty(S, _table(), card_list(S, _card), filtered=(S.search != "") | any_filter(S),
                      no_match=T["no_orders"], empty=_empty()),
        pager(S),
        spacing="4",
        width="100%",
    )
