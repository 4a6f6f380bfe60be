"""Home: where a signed-in user lands."""

import reflex as rx

from crm_app.pages.base import page
from crm_app.states.session import SessionState

T = SessionState.tr


@page("/", "title_home")
def home() -> rx.Component:
    return rx.vstack(
        rx.heading(T["welcome"].to(str).replace("{name}", SessionState.user_name), size="7", as_="h1"),
        rx.text(T["home_intro"].to(str).replace("{org}", SessionState.org_name)),
        rx.hstack(
            rx.link(rx.button(T["nav_customers"]), href="/customers"),
            rx.cond(SessionState.is_admin, rx.link(rx.button(T["home_users_link"], variant="soft"),
                                                   href="/settings/users")),
            rx.link(rx.button(T["home_account_link"], variant="soft"), href="/account"),
            spacing="3", wrap="wrap",
        ),
        spacing="4",
    )
