"""/sales: the sales, newest first, filtered by status, payment method, seller and dates and searched by
number or client; a table on wide screens, cards on phones; "Nueva venta" first of all."""

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
from crm_app.domain.documents import PAYMENT_METHODS, SALE_STATUSES
from crm_app.pages.base import page
from crm_app.states.sales import SaleListRow, SalesState

S = SalesState
T = S.tr


def sale_status_badge(status: Var, label: Var) -> rx.Component:
    return rx.badge(label, color_scheme=rx.cond(status == "cancelled", "red", "green"), variant="soft")


def credit_badge(owed: Var) -> rx.Component:
    """A credit sale still to collect (shown beside its payment method)."""
    return rx.cond(owed, rx.badge(T["sale_credit_owed"], color_scheme="amber", variant="soft"))


def new_sale_button() -> rx.Component:
    return link_button("plus", T["new_sale"], "/sales/new", variant="solid", size="3")


def _number_link(row: SaleListRow) -> rx.Component:
    return name_link(row.number, "/sales/" + row.id.to_string())


def _client(row: SaleListRow) -> rx.Component:
    return rx.cond(row.customer_name != "", rx.text(row.customer_name),
                   rx.text(T["sale_counter_client"], color_scheme="gray"))


def _method(row: SaleListRow) -> rx.Component:
    return rx.hstack(rx.text(row.method_label), credit_badge(row.credit_owed), spacing="2", align="center",
                     wrap="wrap")


def _table() -> rx.Component:
    headers = ("col_sale_number", "col_sale_date", "col_sale_client", "col_sale_method", "col_sale_status",
               "col_sale_seller", "col_sale_total")
    return data_table(
        S, headers,
        lambda r: [_number_link(r), r.created, _client(r), _method(r),
                   sale_status_badge(r.status, r.status_label), r.seller_name,
                   rx.text(r.total, weight="medium")],
        T["sales_title"],
    )


def _card(row: SaleListRow) -> list[rx.Component]:
    return [
        rx.hstack(_number_link(row), rx.spacer(), rx.text(row.total, weight="bold"), width="100%"),
        _client(row),
        rx.hstack(_method(row), rx.spacer(), sale_status_badge(row.status, row.status_label), width="100%"),
        rx.text(row.created, size="1", color_scheme="gray"),
    ]


def _filters() -> rx.Component:
    statuses = [rx.el.option(T[f"sale_status_{s}"], value=s) for s in SALE_STATUSES]
    methods = [rx.el.option(T[f"payment_method_{m}"], value=m) for m in PAYMENT_METHODS]
    return filter_bar(
        S,
        filter_select(S, T["sales_filter_status"], "status", T["all_statuses"], statuses),
        filter_select(S, T["sales_filter_method"], "method", T["sales_all_methods"], methods),
        filter_select(S, T["sales_filter_seller"], "owner", T["sales_all_sellers"],
                      option_list(S.owner_options)),
    )


def _empty() -> rx.Component:
    return empty_state("receipt", T["sales_empty"], T["sales_empty_hint"], new_sale_button())


@page("/sales", "title_sales", on_load=[SalesState.load])
def sales() -> rx.Component:
    return rx.vstack(
        page_header(T["sales_title"], new_sale_button()),
        search_box("search_sales", S.search, S.set_search),
        _filters(),
        rows_or_empty(S, _table(), card_list(S, _card), filtered=(S.search != "") | any_filter(S),
                      no_match=T["no_sales"], empty=_empty()),
        pager(S),
        spacing="4",
        width="100%",
    )
