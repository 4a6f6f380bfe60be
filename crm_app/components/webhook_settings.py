"""The webhooks section of /settings/api: one card per endpoint (its URL, events, active or disabled
with the reason, and its actions), the "Añadir webhook" dialog with each error next to its field, the
signing secret shown once with a copy button, the delete confirmation naming the URL, and the
endpoint's delivery log (event, status, response code, duration, time in the organization's zone,
error). The page loads it with its SECTION_LOADS."""

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
from crm_app.states.webhook_settings import (
    EVENTS,
    DeliveryRow,
    EndpointRow,
    WebhookSettingsState,
    event_field,
)

S = WebhookSettingsState
T = S.tr
E = S.create_errors
FORM = "new-webhook"
# The page's on_load runs these (pages/api_settings.py), so the endpoints are there at first paint.
SECTION_LOADS = [S.load]
_STATUS_COLOURS = {"queued": "gray", "sending": "blue", "delivered": "green", "failed": "red"}


def _endpoint_card(row: EndpointRow) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(row.url, size="3", as_="h3", word_break="break-all"),
                    rx.cond(row.active, rx.badge(T["webhook_active"], color_scheme="green"),
                            rx.badge(T["webhook_inactive"], color_scheme="red")),
                    width="100%", align="center", wrap="wrap", spacing="2",
                ),
                rx.cond(row.description != "", rx.text(row.description, size="2")),
                rx.cond(row.reason != "", rx.text(row.reason, size="2", color_scheme="red", role="status")),
                rx.hstack(rx.foreach(row.events, lambda event: rx.badge(event, variant="surface")),
                          spacing="1", wrap="wrap", aria_label=T["webhook_events"]),
                rx.hstack(
                    rx.cond(row.active,
                            labelled_row_button("send", "webhook_test", row.url, S.send_test(row.id)),
                            labelled_row_button("power", "webhook_enable", row.url, S.enable(row.id),
                                                color_scheme="green")),
                    labelled_row_button("list", "webhook_log", row.url, S.open_log(row.id)),
                    labelled_row_button("key_round", "webhook_rotate", row.url, S.ask_rotate(row.id)),
                    labelled_row_button("trash_2", "webhook_delete", row.url, S.ask_delete(row.id),
                                        color_scheme="red"),
                    spacing="2", wrap="wrap",
                ),
                spacing="2", width="100%",
            ),
            width="100%",
        ),
        list_style="none",
    )


def _event_checks() -> rx.Component:
    return check_group(T["webhook_events"], "events", [
        (event_field(event), rx.code(event), T["webhook_event_" + event.replace(".", "_")])
        for event in EVENTS], FORM, E)


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("webhook", size=16, aria_hidden="true"), T["webhook_add"])),
        dialog_content(
            rx.dialog.title(T["webhook_add"], custom_attrs=TITLE_LEVEL),
            rx.form(
                rx.vstack(
                    text_field(T["webhook_url"], "url", E, form_id=FORM, type="url", auto_focus=True,
                               max_length=500, hint=T["webhook_url_hint"], required=True,
                               placeholder="https://"),
                    text_field(T["webhook_description"], "description", E, form_id=FORM, max_length=200),
                    _event_checks(),
                    dialog_buttons(rx.button(T["webhook_save"], type="submit")),
                    focus_first_invalid(S.refusals),
                    spacing="3",
                ),
                on_submit=S.create,
                reset_on_submit=False,
            ),
            max_width="36em", max_height="92vh", overflow_y="auto",
        ),
        open=S.create_open,
        on_open_change=S.set_create_open,
    )


def _secret_dialog() -> rx.Component:
    return secret_once_dialog(
        title=T["webhook_secret_title"], description=S.new_secret_url, secret=S.new_secret,
        secret_label=T["webhook_secret_title"],
        warning=T["webhook_secret_once"], copy_label=T["webhook_copy"], copied=T["webhook_copied"],
        done_label=T["webhook_saved_it"], on_close=S.close_secret, code_id="webhook-new-secret",
    )


def _fact(label_key: str, value: rx.Var) -> rx.Component:
    return rx.fragment(rx.el.dt(T[label_key], class_name="crm-label"), rx.el.dd(value, margin="0"))


def _delivery(row: DeliveryRow) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.code(row.event),
            rx.match(row.status,
                     *[(status, rx.badge(row.status_text, color_scheme=colour))
                       for status, colour in _STATUS_COLOURS.items()],
                     rx.badge(row.status_text)),
            spacing="2", align="center", wrap="wrap",
        ),
        rx.el.dl(
            _fact("webhook_col_code", rx.cond(row.code != "", row.code, "—")),
            _fact("webhook_col_duration", rx.cond(row.duration != "", row.duration, "—")),
            _fact("webhook_col_time", row.time),
            rx.cond(row.error != "", _fact("webhook_col_error", row.error)),
            display="grid", grid_template_columns="max-content minmax(0, 1fr)", column_gap="0.75em",
            row_gap="0.2em", margin="0.35em 0 0 0", font_size="var(--font-size-2)",
        ),
        list_style="none", padding_y="0.6em", border_bottom="1px solid var(--gray-a5)",
    )


def _log_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T["webhook_log"], custom_attrs=TITLE_LEVEL),
            rx.dialog.description(S.log_url, word_break="break-all", size="2"),
            rx.cond(S.log_rows.length() == 0, rx.text(T["webhook_log_none"], color_scheme="gray")),
            rx.el.ul(rx.foreach(S.log_rows, _delivery), padding="0", margin="0", width="100%",
                     aria_live="polite"),
            rx.hstack(
                rx.cond(S.log_before != 0,
                        rx.button(T["webhook_log_more"], variant="soft", on_click=S.more_log)),
                rx.button(rx.icon("refresh_cw", size=16, aria_hidden="true"), T["webhook_refresh"],
                          variant="soft", on_click=S.refresh_log),
                rx.dialog.close(rx.button(T["close"], variant="soft", color_scheme="gray")),
                justify="end", spacing="3", margin_top="1em", wrap="wrap",
            ),
            max_width="40em", max_height="92vh", overflow_y="auto",
        ),
        open=S.log_id != 0,
        on_open_change=S.close_log,
    )


def webhooks_section() -> rx.Component:
    return rx.card(
        rx.el.section(
            rx.vstack(
                rx.hstack(
                    rx.heading(T["webhook_title"], size="4", as_="h2", id="webhooks-heading"),
                    rx.spacer(),
                    _create_dialog(),
                    width="100%", align="center", wrap="wrap", spacing="3",
                ),
                rx.text(T["webhook_intro"]),
                rx.text(T["webhook_docs"], size="2", color_scheme="gray"),
                rx.cond(S.endpoints.length() == 0, rx.text(T["webhook_none"], color_scheme="gray")),
                rx.el.ul(rx.foreach(S.endpoints, _endpoint_card), padding="0", margin="0", width="100%",
                         display="flex", flex_direction="column", gap="0.75em"),
                confirm_dialog(S.delete_id != 0, S.delete_text, S.confirm_delete, S.cancel_delete),
                confirm_dialog(S.rotate_id != 0, S.rotate_text, S.confirm_rotate, S.cancel_rotate),
                _secret_dialog(),
                _log_dialog(),
                spacing="3", width="100%",
            ),
            aria_labelledby="webhooks-heading",
            width="100%",
        ),
        width="100%",
    )
