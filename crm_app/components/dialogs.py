"""Dialogs shared by pages: a confirmation and a 'shown once' secret."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.states.session import SessionState

T = SessionState.tr


def confirm_dialog(open_: Var, text: Var, on_confirm, on_cancel) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(T["confirm"]),
            rx.alert_dialog.description(text),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(T["cancel"], variant="soft", color_scheme="gray",
                                                 on_click=on_cancel)),
                rx.alert_dialog.action(rx.button(T["confirm"], color_scheme="red", on_click=on_confirm)),
                spacing="3", justify="end", margin_top="1em",
            ),
        ),
        open=open_,
    )


def secret_dialog(title: Var, secret: Var, on_close) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["temporary_password"]),
            rx.dialog.description(title),
            rx.code(secret, size="5", class_name="crm-secret", aria_label=T["temporary_password"]),
            rx.text(T["temporary_password_note"], size="2", color_scheme="gray", margin_top="0.5em"),
            rx.hstack(rx.button(T["close"], on_click=on_close), justify="end", margin_top="1em"),
        ),
        open=secret != "",
    )
