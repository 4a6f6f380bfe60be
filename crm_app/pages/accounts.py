"""Accounts list: search as you type, sort, keyset pages, member counts, new/edit/delete; cards on phones."""

import reflex as rx

from crm_app.components.account_form import account_form_dialog
from crm_app.components.dialogs import confirm_dialog
from crm_app.pages.base import page
from crm_app.states.account_form import AccountFormState
from crm_app.states.accounts import AccountListRow, AccountsState

S = AccountsState
T = S.tr


def _actions(row: AccountListRow) -> rx.Component:
    return rx.hstack(
        rx.icon_button(
            rx.icon("pencil", size=16),
            size="1",
            variant="ghost",
            on_click=AccountFormState.open_edit(row.id),
            aria_label=T["edit"].to(str) + " " + row.name,
        ),
        rx.icon_button(
            rx.icon("trash_2", size=16),
            size="1",
            variant="ghost",
            color_scheme="red",
            on_click=S.ask_delete(row.id, row.name),
            aria_label=T["delete"].to(str) + " " + row.name,
        ),
        spacing="1",
    )


def _name_link(row: AccountListRow) -> rx.Component:
    return rx.link(row.name, href="/accounts/" + row.id.to_string(), weight="medium")


def _table() -> rx.Component:
    headers = ("col_name", "col_tax_id", "col_city", "col_industry", "col_owner", "col_members", "actions")
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[h]) for h in headers])),
        rx.table.body(
            rx.foreach(
                S.rows,
                lambda row: rx.table.row(
                    rx.table.row_header_cell(_name_link(row)),
                    rx.table.cell(row.tax_id),
                    rx.table.cell(row.city),
                    rx.table.cell(row.industry),
                    rx.table.cell(row.owner),
                    rx.table.cell(row.members),
                    rx.table.cell(_actions(row)),
                ),
            )
        ),
        width="100%",
        size="1",
        display=["none", "none", "table"],
        aria_label=T["accounts_title"],
    )


def _cards() -> rx.Component:
    return rx.vstack(
        rx.foreach(
            S.rows,
            lambda row: rx.card(
                rx.vstack(
                    rx.hstack(
                        _name_link(row),
                        rx.spacer(),
                        rx.badge(row.members, " ", T["col_members"]),
                        width="100%",
                    ),
                    rx.cond(row.tax_id != "", rx.text(row.tax_id, size="2")),
                    rx.cond(row.city != "", rx.text(row.city, size="2", color_scheme="gray")),
                    _actions(row),
                    spacing="1",
                    width="100%",
                ),
                width="100%",
            ),
        ),
        width="100%",
        display=["flex", "flex", "none"],
        class_name="crm-cards",
    )


@page("/accounts", "Cuentas", on_load=[AccountsState.load])
def accounts() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(T["accounts_title"], size="6", as_="h1"),
            rx.spacer(),
            rx.button(
                rx.icon("building_2", size=16, aria_hidden="true"),
                T["new_account"],
                on_click=AccountFormState.open_create,
            ),
            width="100%",
            align="center",
            wrap="wrap",
            spacing="3",
        ),
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                placeholder=T["search_accounts"],
                aria_label=T["search_accounts"],
                type="search",
                value=S.search,
                on_change=S.set_search,
                debounce_timeout=250,
                width="100%",
                max_width="40em",
                size="3",
            ),
            rx.vstack(
                rx.el.label(T["sort_by"], html_for="accounts-sort", class_name="crm-label"),
                rx.el.select(
                    rx.el.option(T["sort_name"], value="name"),
                    rx.el.option(T["sort_name_desc"], value="-name"),
                    rx.el.option(T["sort_created_desc"], value="-created"),
                    rx.el.option(T["sort_created"], value="created"),
                    id="accounts-sort",
                    value=S.sort,
                    class_name="crm-select",
                    on_change=S.set_sort,
                ),
                spacing="1",
            ),
            width="100%",
            align="end",
            wrap="wrap",
            spacing="3",
        ),
        rx.cond(S.loaded & (S.rows.length() == 0), rx.text(T["no_accounts"], color_scheme="gray")),
        _table(),
        _cards(),
        rx.hstack(
            rx.button(T["first_page"], variant="soft", on_click=S.first_page, disabled=S.cursor == ""),
            rx.button(T["next_page"], variant="soft", on_click=S.next_page, disabled=S.next_cursor == ""),
            spacing="3",
        ),
        confirm_dialog(
            S.confirm_id != 0,
            T["confirm_delete_account"].to(str).replace("{name}", S.confirm_name),
            S.confirm_delete,
            S.cancel_delete,
        ),
        account_form_dialog(),
        spacing="4",
        width="100%",
    )
