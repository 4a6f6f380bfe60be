"""/orders: the work orders, newest first, filtered by status, type, assignee and creation dates and
searched by number or client; each with its type's colour; a table on wide screens, cards on phones."""

import reflex as rx
from reflex.vars import Var

from crm_app.components.controls import link_button
from crm_app.components.data_list import (
    card_list,
    data_table,
    labelled_select,
    name_link,
    page_header,
    pager,
    rows_or_empty,
    search_box,
)
from crm_app.components.empty_state import empty_state
from crm_app.components.forms import date_lang
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


def _select(label_key: str, name: str, all_key: str, options) -> rx.Component:
    return labelled_select(T[label_key], f"orders-{name}", [rx.el.option(T[all_key], value=""), options],
                           S.filters.get(name, ""), lambda v: S.set_filter(name, v), min_width="9em")


def _date(label_key: str, name: str) -> rx.Component:
    control_id = f"orders-{name}"
    return rx.vstack(
        rx.el.label(T[label_key], html_for=control_id, class_name="crm-label"),
        rx.input(id=control_id, type="date", value=S.filters.get(name, ""),
                 on_change=lambda v: S.set_filter(name, v), **date_lang("date")),
        spacing="1",
    )


def _filters() -> rx.Component:
    statuses = [rx.el.option(T[f"order_status_{s}"], value=s) for s in ORDER_STATUSES]
    return rx.hstack(
        _select("orders_filter_status", "status", "all_statuses", statuses),
        _select("orders_filter_type", "type", "orders_all_types",
                rx.foreach(S.type_options, lambda o: rx.el.option(o[1], value=o[0]))),
        _select("orders_filter_assignee", "owner", "orders_all_assignees",
                rx.foreach(S.owner_options, lambda o: rx.el.option(o[1], value=o[0]))),
        _date("orders_filter_from", "from"),
        _date("orders_filter_to", "to"),
        rx.cond(
            _any_filter(),
            rx.button(T["clear_filters"], variant="soft", color_scheme="gray", on_click=S.clear_filters),
        ),
        spacing="3", wrap="wrap", align="end", width="100%",
    )


def _any_filter() -> Var:
    any_set = S.filters.get("status", "") != ""
    for name in ("type", "owner", "customer", "from", "to"):
        any_set = any_set | (S.filters.get(name, "") != "")
    return any_set


def _empty() -> rx.Component:
    return empty_state("clipboard_list", T["orders_empty"], T["orders_empty_hint"],
                       link_button("plus", T["new_order"], "/orders/new", variant="solid"))


@page("/orders", "title_orders", on_load=[OrdersState.load])
def orders() -> rx.Component:
    return rx.vstack(
        page_header(T["orders_title"], link_button("plus", T["new_order"], "/orders/new", variant="solid")),
        search_box(T["search_orders"], S.search, S.set_search),
        _filters(),
        rows_or_empty(S, _table(), card_list(S, _card), filtered=(S.search != "") | _any_filter(),
                      no_match=T["no_orders"], empty=_empty()),
        pager(S),
        spacing="4",
        width="100%",
    )
