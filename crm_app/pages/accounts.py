"""Accounts list: search as you type, sort, keyset pages, member counts, new/edit/delete; cards on phones."""

import reflex as rx

from crm_app.components.account_form import account_form_dialog
from crm_app.components.data_list import (
    card_list,
    data_table,
    delete_dialog,
    edit_delete_buttons,
    name_link,
    page_header,
    pager,
    rows_or_empty,
    search_box,
    sort_select,
)
from crm_app.components.empty_state import empty_state
from crm_app.domain.accounts import AccountRow
from crm_app.pages.base import page
from crm_app.states.account_form import AccountFormState
from crm_app.states.accounts import AccountsState

S = AccountsState
T = S.tr


def _actions(row: AccountRow) -> rx.Component:
    return edit_delete_buttons(row.name, AccountFormState.open_edit(row.id), S.ask_delete(row.id, row.name))


def _name_link(row: AccountRow) -> rx.Component:
    return name_link(row.name, "/accounts/" + row.id.to_string())


def _table() -> rx.Component:
    headers = ("col_name", "col_tax_id", "col_city", "col_industry", "col_owner", "col_members", "actions")
    return data_table(
        S,
        headers,
        lambda r: [
            _name_link(r), r.tax_id_formatted, r.city, r.industry, r.owner_name, r.member_count, _actions(r),
        ],
        T["accounts_title"],
    )


def _card(row: AccountRow) -> list[rx.Component]:
    return [
        rx.hstack(
            _name_link(row), rx.spacer(), rx.badge(row.member_count, " ", T["col_members"]), width="100%",
        ),
        rx.cond(row.tax_id_formatted != "", rx.text(row.tax_id_formatted, size="2")),
        rx.cond(row.city != "", rx.text(row.city, size="2", color_scheme="gray")),
        _actions(row),
    ]


def _empty() -> rx.Component:
    return empty_state(
        "building_2", T["accounts_empty"], T["accounts_empty_hint"],
        rx.button(T["accounts_empty_action"], on_click=AccountFormState.open_create),
    )


@page("/accounts", "title_accounts", on_load=[AccountsState.load])
def accounts() -> rx.Component:
    return rx.vstack(
        page_header(
            T["accounts_title"],
            rx.button(
                rx.icon("building_2", size=16, aria_hidden="true"),
                T["new_account"],
                on_click=AccountFormState.open_create,
            ),
        ),
        rx.hstack(
            search_box("search_accounts", S.search, S.set_search),
            sort_select("accounts-sort", S.sort, S.set_sort),
            width="100%",
            align="end",
            wrap="wrap",
            spacing="3",
        ),
        rows_or_empty(S, _table(), card_list(S, _card), filtered=S.search != "", no_match=T["no_accounts"],
                      empty=_empty()),
        pager(S),
        delete_dialog(S, "confirm_delete_account"),
        account_form_dialog(),
        spacing="4",
        width="100%",
    )
