"""The user's own account: password and language."""

import reflex as rx

from crm_app.components.forms import text_field
from crm_app.components.shell import language_select
from crm_app.pages.base import page
from crm_app.states.auth import AccountState
from crm_app.states.session import ShellState

T = AccountState.tr
E = AccountState.errors


@page("/account", "title_my_account", on_load=[AccountState.load])
def account() -> rx.Component:
    return rx.vstack(
        rx.heading(T["account_title"], size="6", as_="h1"),
        rx.cond(AccountState.must_change,
                rx.callout(T["must_change_password"], icon="key_round", color_scheme="amber", role="alert")),
        rx.card(
            rx.vstack(
                rx.heading(T["profile_section"], size="4", as_="h2"),
                rx.data_list.root(
                    *[rx.data_list.item(rx.data_list.label(T[key]), rx.data_list.value(value))
                      for key, value in (("name", ShellState.user_name), ("email", ShellState.user_email),
                                         ("organization", ShellState.org_name))],
                ),
                rx.hstack(rx.text(T["language"]), language_select(), align="center", spacing="3"),
                spacing="3",
            ),
            width="100%", max_width="36em",
        ),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(T["change_password"], size="4", as_="h2"),
                    text_field(T["current_password"], "current_password", E, form_id="account",
                               type="password", auto_complete="current-password"),
                    text_field(T["new_password"], "new_password", E, form_id="account", type="password",
                               hint=T["password_hint"], auto_complete="new-password"),
                    text_field(T["password_repeat"], "new_password_repeat", E, form_id="account",
                               type="password", auto_complete="new-password"),
                    rx.button(T["change_password"], type="submit"),
                    spacing="3",
                ),
                on_submit=AccountState.change_password,
        method="post",
            ),
            width="100%", max_width="36em",
        ),
        spacing="4", width="100%",
    )
