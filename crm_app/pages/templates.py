"""Message templates: list by channel; editor with placeholders, live checks, preview and SMS length."""

import reflex as rx

from crm_app.components.client_picker import client_picker
from crm_app.components.data_list import delete_dialog
from crm_app.components.dialogs import TITLE_LEVEL, dialog_content, focus_first_invalid
from crm_app.components.empty_state import empty_state, list_empty_state
from crm_app.components.forms import field_error, invalid_props
from crm_app.components.message_preview import message_body_preview
from crm_app.components.placeholders import link_button, placeholder_menu
from crm_app.pages.base import page
from crm_app.states.session import ShellState
from crm_app.states.templates import EDITOR_IDS, TemplateRow, TemplatesState

S = TemplatesState
T = S.tr
ADMIN = ShellState.is_admin  # shown only: saving checks the role again
E = S.errors
CHANNEL_KEYS = (("email", "channel_email"), ("sms", "channel_sms"), ("whatsapp", "channel_whatsapp"))


def channel_label(channel) -> rx.Component:
    return rx.match(channel, *[(c, T[k]) for c, k in CHANNEL_KEYS], channel)


def _row_actions(row: TemplateRow) -> rx.Component:
    return rx.hstack(
        rx.button(rx.cond(ADMIN, T["edit"], T["view"]), size="1", variant="soft",
                  on_click=S.open_edit(row.id),
                  aria_label=rx.cond(ADMIN, T["edit"], T["view"]).to(str) + " " + row.name),
        rx.cond(
            ADMIN,
            rx.hstack(
                rx.button(T["duplicate"], size="1", variant="soft", on_click=S.duplicate(row.id),
                          aria_label=T["duplicate"].to(str) + " " + row.name),
                rx.button(T["delete"], size="1", variant="soft", color_scheme="red",
                          on_click=S.ask_delete(row.id, row.name),
                          aria_label=T["delete"].to(str) + " " + row.name),
                spacing="2",
            ),
        ),
        spacing="2", wrap="wrap",
    )


def _list() -> rx.Component:
    return rx.vstack(
        rx.foreach(
            S.rows,
            lambda row: rx.card(
                rx.hstack(
                    rx.vstack(
                        rx.hstack(rx.text(row.name, weight="medium"),
                                  rx.badge(channel_label(row.channel), variant="soft"), spacing="2"),
                        rx.cond(row.subject != "", rx.text(row.subject, size="2")),
                        rx.text(row.snippet, size="1", color_scheme="gray"),
                        spacing="1", min_width="0",
                    ),
                    rx.spacer(),
                    _row_actions(row),
                    width="100%", align="center", wrap="wrap", spacing="3",
                ),
                width="100%",
            ),
        ),
        rx.cond(
            S.loaded & (S.rows.length() == 0),
            list_empty_state(
                S.channel_filter != "", T["no_templates_channel"],
                empty_state(
                    "file_text", T["no_templates"], T["templates_empty_hint"],
                    rx.cond(ADMIN, rx.button(T["templates_empty_action"], on_click=S.open_new("email"))),
                ),
            ),
        ),
        width="100%", spacing="2",
    )


def _channel_picker() -> rx.Component:
    return rx.vstack(
        rx.el.label(T["channel_label"], html_for="template-channel", class_name="crm-label"),
        rx.el.select(
            *[rx.el.option(T[k], value=c) for c, k in CHANNEL_KEYS],
            id="template-channel", value=S.channel, on_change=S.set_channel,
            disabled=(S.editing_id != 0) | ~ADMIN, class_name="crm-select",
        ),
        spacing="1", width="100%",
    )


def _subject() -> rx.Component:
    control_id = EDITOR_IDS["subject"]
    return rx.cond(
        S.channel == "email",
        rx.vstack(
            rx.el.label(T["subject"], html_for=control_id, class_name="crm-label"),
            rx.input(id=control_id, value=S.subject, on_change=S.set_subject, debounce_timeout=400,
                     on_focus=S.focus_field("subject"), read_only=~ADMIN, width="100%",
                     **invalid_props(E, "subject", control_id)),
            field_error(E, "subject", control_id),
            spacing="1", width="100%",
        ),
    )


def _body() -> rx.Component:
    control_id = EDITOR_IDS["body"]
    return rx.vstack(
        rx.hstack(
            rx.el.label(T["body"], html_for=control_id, class_name="crm-label"),
            rx.spacer(),
            placeholder_menu(S.insert_placeholder, disabled=~ADMIN),
            link_button(S.insert_placeholder("invitation_link"), disabled=~ADMIN),
            width="100%", align="center", spacing="2",
        ),
        rx.text_area(id=control_id, value=S.body, on_change=S.set_body, debounce_timeout=400,
                     on_focus=S.focus_field("body"), read_only=~ADMIN, rows="9", width="100%",
                     font_family="monospace", **invalid_props(E, "body", control_id)),
        rx.cond(S.sms_info != "", rx.text(S.sms_info, size="2", color_scheme="gray", aria_live="polite")),
        rx.cond(ADMIN, rx.text(T["template_filters_hint"], size="1", color_scheme="gray")),
        field_error(E, "body", control_id),
        spacing="1", width="100%",
    )


def _preview() -> rx.Component:
    return rx.vstack(
        rx.heading(T["preview"], size="3", as_="h3"),
        client_picker(S, T["preview_customer"], new_client=False),
        rx.cond(
            S.preview_customer_id != 0,
            rx.vstack(
                rx.text(T["preview_for"].to(str).replace("{name}", S.preview_customer_name), size="2"),
                rx.cond(S.preview_subject != "",
                        rx.text(S.preview_subject, weight="bold", aria_label=T["preview_subject"])),
                message_body_preview(S.channel, S.preview_body, T["preview"]),
                spacing="2", width="100%",
            ),
            rx.text(T["preview_hint"], size="2", color_scheme="gray"),
        ),
        spacing="2", width="100%",
    )


def _editor() -> rx.Component:
    title = rx.cond(S.editing_id == 0, T["new_template"], T["edit_template"])
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(title, custom_attrs=TITLE_LEVEL),
            rx.cond(~ADMIN, rx.callout(T["templates_read_only"], icon="info", size="1")),
            rx.grid(
                rx.vstack(
                    _channel_picker(),
                    rx.vstack(
                        rx.el.label(T["name"], html_for="template-name", class_name="crm-label"),
                        rx.input(id="template-name", value=S.name, on_change=S.set_name, debounce_timeout=300,
                                 read_only=~ADMIN, width="100%",
                                 **invalid_props(E, "name", "template-name")),
                        field_error(E, "name", "template-name"),
                        spacing="1", width="100%",
                    ),
                    _subject(),
                    _body(),
                    spacing="3", width="100%",
                ),
                _preview(),
                columns=rx.breakpoints(initial="1", md="2"), spacing="5", width="100%",
            ),
            rx.hstack(
                rx.dialog.close(rx.button(T["close"], type="button", variant="soft", color_scheme="gray")),
                rx.cond(ADMIN, rx.button(T["save"], on_click=S.save)),
                justify="end", spacing="3", width="100%", margin_top="1em",
            ),
            focus_first_invalid(S.refusals),
            max_width="70em", max_height="92vh", overflow_y="auto",
        ),
        open=S.editor_open,
        on_open_change=S.set_editor_open,
    )


@page("/templates", "title_templates", on_load=[TemplatesState.load])
def templates() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(T["templates_title"], size="6", as_="h1"),
            rx.spacer(),
            rx.cond(
                ADMIN,
                rx.menu.root(
                    rx.menu.trigger(rx.button(rx.icon("plus", size=16, aria_hidden="true"),
                                              T["new_template"])),
                    rx.menu.content(*[rx.menu.item(T[k], on_select=S.open_new(c)) for c, k in CHANNEL_KEYS]),
                ),
            ),
            width="100%", align="center", wrap="wrap", spacing="3",
        ),
        rx.hstack(
            rx.el.label(T["filter_channel_label"], html_for="templates-filter", class_name="crm-label"),
            rx.el.select(
                rx.el.option(T["all_channels"], value=""),
                *[rx.el.option(T[k], value=c) for c, k in CHANNEL_KEYS],
                id="templates-filter", value=S.channel_filter, on_change=S.filter_channel,
                class_name="crm-select", max_width="14em",
            ),
            align="center", spacing="2",
        ),
        _list(),
        _editor(),
        delete_dialog(S, "confirm_delete_template"),
        spacing="4", width="100%",
    )
