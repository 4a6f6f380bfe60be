"""Users (admins only): create, change role, disable/enable, reset password."""

import reflex as rx

from crm_app.components.data_list import card_list, data_table, numbered_pager
from crm_app.components.dialogs import (
    TITLE_LEVEL,
    confirm_dialog,
    dialog_buttons,
    dialog_content,
    focus_first_invalid,
    secret_dialog,
)
from crm_app.components.forms import select_field, text_field
from crm_app.components.responsive import wide_or_narrow
from crm_app.components.shell import language_options
from crm_app.pages.base import page
from crm_app.states.users import UserRow, UsersState

T = UsersState.tr
E = UsersState.create_errors


def _role_options():
    return [("sales", T["role_sales"]), ("admin", T["role_admin"])]


def _role_control(row: UserRow) -> rx.Component:
    return rx.cond(
        row.is_me,
        rx.badge(rx.cond(row.role == "admin", T["role_admin"], T["role_sales"])),
        rx.el.select(
            *[rx.el.option(label, value=value) for value, label in _role_options()],
            value=row.role,
            on_change=lambda role: UsersState.change_role(row.id, role),
            aria_label=T["change_role"].to(str) + " " + row.email,
            class_name="crm-select",
        ),
    )


def _status(row: UserRow) -> rx.Component:
    return rx.cond(row.active, rx.badge(T["active"], color_scheme="green"),
                   rx.badge(T["disabled"], color_scheme="red"))


def _actions(row: UserRow) -> rx.Component:
    return rx.hstack(
        rx.cond(
            row.is_me,
            rx.fragment(),
            rx.cond(
                row.active,
                rx.button(T["disable"], size="1", variant="soft", color_scheme="red",
                          on_click=UsersState.ask("disable", row.id, row.email),
                          aria_label=T["disable"].to(str) + " " + row.email),
                rx.button(T["enable"], size="1", variant="soft", color_scheme="green",
                          on_click=UsersState.enable(row.id),
                          aria_label=T["enable"].to(str) + " " + row.email),
            ),
        ),
        rx.button(T["reset_password"], size="1", variant="soft",
                  on_click=UsersState.ask("reset", row.id, row.email),
                  aria_label=T["reset_password"].to(str) + " " + row.email),
        spacing="2", wrap="wrap",
    )


def _table() -> rx.Component:
    return data_table(
        UsersState,
        ("name", "email", "role", "status", "last_login", "actions"),
        lambda row: [row.name, row.email, _role_control(row), _status(row),
                     rx.cond(row.last_login != "", row.last_login, T["never"]), _actions(row)],
        T["users_title"],
    )


def _card(row: UserRow) -> list[rx.Component]:
    return [
        rx.hstack(rx.text(row.name, weight="bold"), rx.spacer(), _status(row), width="100%"),
        rx.text(row.email, size="2", class_name="crm-value"),
        _role_control(row),
        _actions(row),
    ]


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("user_plus", aria_hidden="true"), T["new_user"])),
        dialog_content(
            rx.dialog.title(T["new_user"], custom_attrs=TITLE_LEVEL),
            rx.form(
                rx.vstack(
                    text_field(T["name"], "name", E, form_id="new-user", auto_focus=True),
                    text_field(T["email"], "email", E, form_id="new-user", type="email"),
                    select_field(T["role"], "role", _role_options(), E, form_id="new-user"),
                    select_field(T["language"], "language", language_options(), E,
                                 form_id="new-user"),
                    dialog_buttons(rx.button(T["create"], type="submit")),
                    focus_first_invalid(UsersState.refusals),
                    spacing="3",
                ),
                on_submit=UsersState.create_user,
            ),
        ),
        open=UsersState.create_open,
        on_open_change=UsersState.set_create_open,
    )


@page("/settings/users", "title_users", role="admin", on_load=[UsersState.load])
def users() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading(T["users_title"], size="6", as_="h1"), rx.spacer(), _create_dialog(),
                  width="100%", align="center"),
        rx.input(placeholder=T["search_users"], aria_label=T["search_users"], type="search",
                 on_change=UsersState.set_search.debounce(300), width="100%", max_width="28em"),
        rx.cond(UsersState.rows.length() == 0, rx.text(T["no_users"], color_scheme="gray")),
        wide_or_narrow(_table(), card_list(UsersState, _card)),  # only the layout on screen is rendered
        numbered_pager(UsersState.page_number, UsersState.previous_page, UsersState.next_page,
                       UsersState.has_next, aria_live="polite"),
        confirm_dialog(UsersState.confirm_kind != "", UsersState.confirm_text, UsersState.confirm,
                       UsersState.cancel_confirm),
        secret_dialog(UsersState.secret_title, UsersState.secret_value, UsersState.close_secret),
        spacing="4", width="100%",
    )
