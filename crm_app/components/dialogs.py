"""Dialogs shared by pages: a confirmation, a 'shown once' secret, and the frame of the form dialogs.

Every dialog content is built here (``dialog_content`` / ``alert_content``), so all of them give focus
back to the control that opened them when they close (saved, cancelled, Esc); see dialog_focus.jsx.
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars import Var, VarData
from reflex.vars.function import FunctionStringVar

from crm_app.components.forms import form_error_banner
from crm_app.states.session import SessionState

T = SessionState.tr

_FOCUS_JS = rx.asset("dialog_focus.jsx", shared=True)

# Radix's onCloseAutoFocus: focus the opener instead of the (absent) Dialog.Trigger.
RETURN_FOCUS = FunctionStringVar.create(
    "returnFocus",
    _var_data=VarData(imports={_FOCUS_JS.importable_path: [ImportVar(tag="returnFocus")]}),
)


class FocusFirstInvalid(rx.Component):
    """Invisible; each time ``signal`` changes, focuses the enclosing form's first field in error."""

    library = _FOCUS_JS.importable_path
    tag = "FocusFirstInvalid"
    signal: Var[int]


def focus_first_invalid(signal: Var) -> rx.Component:
    """Put inside a form or dialog; ``signal`` is the state's ``refusals`` (states/dialogs.py)."""
    return FocusFirstInvalid.create(signal=signal)


def dialog_content(*children: rx.Component, **props) -> rx.Component:
    return rx.dialog.content(*children, on_close_auto_focus=RETURN_FOCUS, **props)


def alert_content(*children: rx.Component, **props) -> rx.Component:
    return rx.alert_dialog.content(*children, on_close_auto_focus=RETURN_FOCUS, **props)

# Radix Themes renders a dialog's title as an <h1>; under the page's own <h1> it is an <h2>, and the
# dialog's sections are <h3> (axe "heading-order").
TITLE_LEVEL = {"as": "h2"}


def confirm_dialog(open_: Var, text: Var, on_confirm, on_cancel) -> rx.Component:
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T["confirm"], custom_attrs=TITLE_LEVEL),
            rx.alert_dialog.description(text),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(T["cancel"], variant="soft", color_scheme="gray",
                                                 on_click=on_cancel)),
                rx.alert_dialog.action(rx.button(T["confirm"], color_scheme="red", on_click=on_confirm)),
                spacing="3", justify="end", margin_top="1em",
            ),
            # A controlled alert dialog closes only through its state: Esc means Cancel.
            on_escape_key_down=on_cancel,
        ),
        open=open_,
    )


def secret_dialog(title: Var, secret: Var, on_close) -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T["temporary_password"], custom_attrs=TITLE_LEVEL),
            rx.dialog.description(title),
            rx.code(secret, size="5", class_name="crm-secret", aria_label=T["temporary_password"]),
            rx.text(T["temporary_password_note"], size="2", color_scheme="gray", margin_top="0.5em"),
            rx.hstack(rx.button(T["close"], on_click=on_close), justify="end", margin_top="1em"),
        ),
        open=secret != "",
    )


def secret_once_dialog(
    *, title: Var, description: Var, secret: Var, secret_label: Var, warning: Var, copy_label: Var,
    copied: Var, done_label: Var, on_close, code_id: str,
) -> rx.Component:
    """A secret shown once (an API key, a webhook's signing secret): a copy button and a warning that
    it cannot be seen again. Open while ``secret`` is not empty; ``on_close(False)`` forgets it."""
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(title, custom_attrs=TITLE_LEVEL),
            rx.dialog.description(description, word_break="break-all"),
            rx.code(secret, size="3", class_name="crm-secret", aria_label=secret_label, id=code_id,
                    margin_y="0.75em"),
            rx.callout(warning, icon="triangle_alert", color_scheme="amber", size="1"),
            rx.hstack(
                rx.button(rx.icon("copy", size=16, aria_hidden="true"), copy_label, variant="soft",
                          on_click=[rx.set_clipboard(secret), rx.toast.success(copied)]),
                rx.button(done_label, on_click=on_close(False)),
                justify="end", spacing="3", margin_top="1em", wrap="wrap",
            ),
            max_width="36em",
        ),
        open=secret != "",
        on_open_change=on_close,
    )


def dialog_buttons(primary: rx.Component) -> rx.Component:
    """Cancel (closes the dialog, keeps nothing) and the dialog's own action, bottom right."""
    return rx.hstack(
        rx.dialog.close(rx.button(T["cancel"], type="button", variant="soft", color_scheme="gray")),
        primary,
        justify="end",
        spacing="3",
        width="100%",
    )


def form_dialog(state, title: Var, *body: rx.Component, max_width: str) -> rx.Component:
    """A dialog opened and closed through ``state.open`` / ``state.set_open``; it scrolls on small screens.

    A refused save (``state.refusals`` changes) moves focus to its first field in error.
    """
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(title, custom_attrs=TITLE_LEVEL),
            *body,
            focus_first_invalid(state.refusals),
            max_width=max_width,
            max_height="92vh",
            overflow_y="auto",
        ),
        open=state.open,
        on_open_change=state.set_open,
    )


def compose_dialog(state, title: Var, description: rx.Component, *fields: rx.Component,
                   send_label: Var) -> rx.Component:
    """A dialog that writes and sends a message (to a customer, an invitation): the fields, then Cancel
    and Send (``state.send``)."""
    send = rx.button(rx.icon("send", size=16, aria_hidden="true"), send_label, on_click=state.send)
    return form_dialog(
        state, title, description,
        rx.vstack(*fields, dialog_buttons(send), spacing="3", width="100%"),
        max_width="44em",
    )


def dialog_form(state, *fields: rx.Component, spacing: str = "3") -> rx.Component:
    """The form of a create/edit dialog: the form-wide error, the fields, Cancel and Save.

    ``state.submit`` gets the form's values; ``state.generation`` changes on every opening so the
    uncontrolled inputs start again from ``state.values``.
    """
    return rx.form(
        rx.vstack(
            form_error_banner(state.form_error),
            *fields,
            dialog_buttons(rx.button(T["save"], type="submit")),
            spacing=spacing,
            width="100%",
        ),
        on_submit=state.submit,
        key=state.generation,
    )
