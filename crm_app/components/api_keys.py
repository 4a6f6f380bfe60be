"""The API keys section of /settings/api: one card per key (the same on a phone and a desktop), the
"Nueva clave" dialog, the dialog that shows a new key once with its copy button, and the revoke
confirmation naming the key."""

from __future__ import annotations

import reflex as rx

from crm_app.components.data_list import labelled_row_button
from crm_app.components.dialogs import (
    TITLE_LEVEL,
    confirm_dialog,
    dialog_buttons,
    dialog_content,
    focus_first_invalid,
    secret_once_dialog,
)
from crm_app.components.forms import check_group, text_field
from crm_app.domain.api_keys import SCOPES
from crm_app.states.api_keys import ApiKeysState, KeyRow, scope_field

S = ApiKeysState
T = S.tr
E = S.create_errors
FORM = "new-api-key"
_STATE_COLOURS = {"active": "green", "expired": "amber", "revoked": "red"}


def _state_badge(row: KeyRow) -> rx.Component:
    return rx.match(
        row.state,
        *[(state, rx.badge(T[f"apikeys_state_{state}"], color_scheme=colour))
          for state, colour in _STATE_COLOURS.items()],
        rx.fragment(),
    )


def _fact(label_key: str, value: rx.Var | rx.Component) -> rx.Component:
    """One "label: value" line of a key's card, as a description list entry."""
    return rx.fragment(
        rx.el.dt(T[label_key], class_name="crm-label"),
        rx.el.dd(value, margin="0", min_width="0"),
    )


def _key_card(row: KeyRow) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(row.name, size="3", as_="h3"),
                    _state_badge(row),
                    rx.spacer(),
                    rx.cond(
                        row.state != "revoked",
                        labelled_row_button("ban", "apikeys_revoke", row.name, S.ask_revoke(row.id),
                                            color_scheme="red"),
                    ),
                    width="100%", align="center", wrap="wrap", spacing="2",
                ),
                rx.el.dl(
                    _fact("apikeys_col_prefix", rx.code(row.prefix + "…")),
                    _fact("apikeys_col_scopes", rx.hstack(
                        rx.foreach(row.scopes, lambda scope: rx.badge(scope, variant="surface")),
                        spacing="1", wrap="wrap")),
                    _fact("apikeys_col_last_used",
                          rx.cond(row.last_used != "", row.last_used, T["apikeys_never_used"])),
                    _fact("apikeys_col_expires",
                          rx.cond(row.expires != "", row.expires, T["apikeys_no_expiry"])),
                    # label | value, two columns even on a phone: the labels are short
                    display="grid", grid_template_columns="max-content minmax(0, 1fr)", column_gap="0.75em",
                    row_gap="0.35em", align_items="center", margin="0", width="100%",
                ),
                rx.text(row.created, size="1", color_scheme="gray"),
                rx.cond(row.revoked != "", rx.text(row.revoked, size="1", color_scheme="gray")),
                spacing="2", width="100%",
            ),
            width="100%",
        ),
        list_style="none",
    )


def _scope_checks() -> rx.Component:
    return check_group(T["apikeys_scopes"], "scopes", [
        (scope_field(scope), rx.code(scope), T["apikeys_scope_" + scope_field(scope).removeprefix("scope_")])
        for scope in SCOPES], FORM, E)


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("key_round", size=16, aria_hidden="true"), T["apikeys_new"])),
        dialog_content(
            rx.dialog.title(T["apikeys_new"], custom_attrs=TITLE_LEVEL),
            rx.form(
                rx.vstack(
                    text_field(T["apikeys_name"], "name", E, form_id=FORM, auto_focus=True, max_length=100,
                               hint=T["apikeys_name_hint"], required=True),
                    _scope_checks(),
                    text_field(T["apikeys_expires_on"], "expires_on", E, form_id=FORM, type="date",
                               hint=T["apikeys_expires_hint"]),
                    dialog_buttons(rx.button(T["apikeys_create"], type="submit")),
                    focus_first_invalid(S.refusals),
                    spacing="3",
                ),
                on_submit=S.create,
                reset_on_submit=False,
            ),
            max_width="34em", max_height="92vh", overflow_y="auto",
        ),
        open=S.create_open,
        on_open_change=S.set_create_open,
    )


def _new_key_dialog() -> rx.Component:
    return secret_once_dialog(
        title=T["apikeys_created_title"], description=S.new_key_note, secret=S.new_key,
        secret_label=T["apikeys_secret_label"],
        warning=T["apikeys_once_warning"], copy_label=T["apikeys_copy"], copied=T["apikeys_copied"],
        done_label=T["apikeys_saved_it"], on_close=S.close_new_key, code_id="api-new-key",
    )


def api_keys_section() -> rx.Component:
    return rx.el.section(
        rx.vstack(
            rx.hstack(
                rx.heading(T["apikeys_title"], size="4", as_="h2", id="api-keys-heading"),
                rx.spacer(),
                _create_dialog(),
                width="100%", align="center", wrap="wrap", spacing="3",
            ),
            rx.cond(S.rows.length() == 0, rx.text(T["apikeys_empty"], color_scheme="gray")),
            rx.el.ul(rx.foreach(S.rows, _key_card), padding="0", margin="0", width="100%",
                     display="flex", flex_direction="column", gap="0.75em"),
            rx.cond(S.has_more, rx.button(T["apikeys_more"], variant="soft", on_click=S.more)),
            confirm_dialog(S.revoke_id != 0, S.revoke_text, S.confirm_revoke, S.cancel_revoke),
            _new_key_dialog(),
            spacing="3", width="100%",
        ),
        aria_labelledby="api-keys-heading",
        width="100%",
    )
