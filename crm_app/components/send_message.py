"""``send_message_panel()``: the profile's "Messages" card (send buttons, recent messages) and its dialog.

The profile inserts it with one call; it loads itself when mounted and is keyed on the customer, so
moving from one profile to another reloads it.
"""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import compose_dialog
from crm_app.components.forms import field_error, invalid_props, labelled
from crm_app.components.message_preview import message_body_preview
from crm_app.states.customer_profile import CustomerState
from crm_app.states.send_message import MessageView, SendMessageState, SendOption

S = SendMessageState
T = S.tr
E = S.errors
CHANNEL_ICONS = (("email", "mail"), ("sms", "message_square"), ("whatsapp", "message_circle"))
STATUS_COLORS = (("sent", "green"), ("logged_only", "amber"), ("failed", "red"), ("sending", "blue"))


def _channel_name(channel) -> rx.Component:
    return rx.match(channel, ("email", T["channel_email"]), ("sms", T["channel_sms"]),
                    ("whatsapp", T["channel_whatsapp"]), channel)


def _send_label(channel):
    return rx.match(channel, ("email", T["send_email"]), ("sms", T["send_sms"]),
                    ("whatsapp", T["send_whatsapp"]), T["send_email"])


def _option(option: SendOption) -> rx.Component:
    return rx.hstack(
        rx.match(option.channel, *[(c, rx.icon(i, size=16, aria_hidden="true")) for c, i in CHANNEL_ICONS]),
        rx.text(option.recipient, size="2", class_name="crm-value"),
        rx.button(
            _send_label(option.channel), size="1", variant="soft",
            disabled=~option.enabled, on_click=S.open_dialog(option.key),
            aria_label=_send_label(option.channel).to(str) + " " + option.recipient,
            title=option.reason,
        ),
        rx.cond(~option.enabled, rx.text(option.reason, size="1", color_scheme="gray")),
        spacing="2", align="center", wrap="wrap",
    )


def _status_badge(status) -> rx.Component:
    return rx.badge(
        T["message_status_" + status.to(str)],
        color_scheme=rx.match(status, *STATUS_COLORS, "gray"),
        variant="soft",
    )


def _message(m: MessageView) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(rx.badge(_channel_name(m.channel), variant="outline", size="1"),
                      rx.text(m.recipient, size="2", class_name="crm-value"),
                      spacing="2", align="center", wrap="wrap"),
            rx.text(m.subject, size="2", weight="medium"),
            rx.cond(m.error != "", rx.text(m.error, size="1", color_scheme="red")),
            rx.cond(m.note != "", rx.text(m.note, size="1", color_scheme="amber")),
            rx.text(m.when, size="1", color_scheme="gray"),
            spacing="1", min_width="0",
        ),
        rx.spacer(),
        _status_badge(m.status),
        width="100%", align="start", role="listitem", class_name="crm-message-row",
    )


def _log_only_notice() -> rx.Component:
    return rx.fragment(
        rx.cond(S.email_log_only & (S.channel == "email"),
                rx.callout(T["log_only_email"], icon="info", color_scheme="amber", size="1")),
        rx.cond(S.phone_log_only & (S.channel != "email"),
                rx.callout(T["log_only_phone"], icon="info", color_scheme="amber", size="1")),
    )


def _dialog() -> rx.Component:
    return compose_dialog(
        S,
        _send_label(S.channel),
        rx.dialog.description(T["message_to"].to(str).replace("{recipient}", S.recipient), size="2"),
        _log_only_notice(),
        field_error(E, "target", "message-target"),
        labelled(T["template"], "message-template", rx.el.select(
            rx.el.option(T["no_template"], value=""),
            rx.foreach(S.templates, lambda t: rx.el.option(t[1], value=t[0])),
            id="message-template", value=S.template_id, on_change=S.pick_template,
            class_name="crm-select",
        )),
        rx.cond(
            S.channel == "email",
            labelled(T["subject"], "message-subject",
                     rx.input(id="message-subject", value=S.subject, on_change=S.set_subject,
                              debounce_timeout=400, width="100%",
                              **invalid_props(E, "subject", "message-subject")), E, "subject"),
        ),
        rx.vstack(
            rx.el.label(T["message_text"], html_for="message-body", class_name="crm-label"),
            rx.text_area(id="message-body", value=S.body, on_change=S.set_body, debounce_timeout=400,
                         rows="7", width="100%", **invalid_props(E, "body", "message-body")),
            rx.cond(S.sms_info != "", rx.text(S.sms_info, size="2", color_scheme="gray")),
            field_error(E, "body", "message-body"),
            spacing="1", width="100%",
        ),
        rx.cond(
            S.preview_body != "",
            rx.vstack(
                rx.heading(T["preview"], size="2", as_="h3"),
                rx.cond(S.preview_subject != "", rx.text(S.preview_subject, weight="bold")),
                message_body_preview(S.channel, S.preview_body, T["preview"]),
                spacing="1", width="100%",
            ),
        ),
        send_label=T["send"],
    )


def send_message_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["messages_title"], size="4", as_="h2"),
            rx.cond(S.email_log_only | S.phone_log_only,
                    rx.text(T["log_only_hint"], size="1", color_scheme="amber")),
            rx.vstack(rx.foreach(S.options, _option), spacing="2", width="100%"),
            rx.heading(T["recent_messages"], size="3", as_="h3"),
            rx.cond(
                S.messages.length() > 0,
                rx.vstack(rx.foreach(S.messages, _message), spacing="2", width="100%", role="list",
                          aria_label=T["recent_messages"]),
                rx.text(T["no_messages"], size="2", color_scheme="gray"),
            ),
            _dialog(),
            spacing="3", width="100%",
        ),
        on_mount=S.load,
        key=CustomerState.customer_id,
        width="100%",
    )
