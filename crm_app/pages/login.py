"""Sign-in."""

import reflex as rx

from crm_app.components.forms import form_error_banner, text_field
from crm_app.pages.base import public_page
from crm_app.states.auth import LoginState

T = LoginState.tr
E = LoginState.errors


@public_page("/login", "title_login", on_load=[LoginState.load])
def login() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(T["sign_in_title"], size="6", as_="h1"),
            form_error_banner(LoginState.form_error),
            text_field(T["email"], "email", E, form_id="login", type="email", auto_focus=True,
                       auto_complete="username"),
            text_field(T["password"], "password", E, form_id="login", type="password",
                       auto_complete="current-password"),
            rx.button(T["sign_in"], type="submit", size="3", width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=LoginState.submit,
        method="post",  # submitted before hydration (slow JS), the password never goes into the URL
    )
