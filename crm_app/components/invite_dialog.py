"""``invite_button()``: the "Invite customer" button and its dialog (e-mail, client type, message).

``invite_dialog()`` and ``open_invite`` are the dialog alone and what opens it, for a page that offers
the invitation from a menu (the customer list on a phone) and renders the dialog once."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import compose_dialog
from crm_app.components.forms import field_error, invalid_props, labelled
from crm_app.components.placeholders import link_button, placeholder_menu
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.states.invitations import BODY_ID, InviteState

S = InviteState
T = S.tr
E = S.errors


open_invite = S.open_dialog


def invite_dialog() -> rx.Component:
    return compose_dialog(
        S,
        T["invite_customer"],
        rx.dialog.description(T["invite_hint"], size="2", color_scheme="gray"),
        # As in the send dialog: without an e-mail server the invitation reaches nobody.
        rx.cond(S.email_log_only,
                rx.callout(T["log_only_email"], icon="info", color_scheme="amber", size="1")),
        labelled(T["email"], "invite-email",
                 rx.input(id="invite-email", type="email", value=S.email, on_change=S.set_email,
                          debounce_timeout=300, width="100%",
                          **invalid_props(E, "email", "invite-email")), E, "email"),
        labelled(T["client_type"], "invite-client-type",
                 rx.el.select(*[rx.el.option(T[f"client_type_{c}"], value=c) for c in CLIENT_TYPES],
                              id="invite-client-type", value=S.client_type,
                              on_change=S.set_client_type, class_name="crm-select"), E, "client_type"),
        labelled(T["template"], "invite-template",
                 rx.el.select(rx.el.option(T["free_text"], value=""),
                              rx.foreach(S.templates, lambda t: rx.el.option(t[1], value=t[0])),
                              id="invite-template", value=S.template_id, on_change=S.pick_template,
                              class_name="crm-select"), E, "template"),
        labelled(T["subject"], "invite-subject",
                 rx.input(id="invite-subject", value=S.subject, on_change=S.set_subject,
                          debounce_timeout=400, width="100%",
                          **invalid_props(E, "subject", "invite-subject")), E, "subject"),
        rx.vstack(
            rx.hstack(
                rx.el.label(T["message_text"], html_for=BODY_ID, class_name="crm-label"),
                rx.spacer(),
                placeholder_menu(S.insert_placeholder),
                link_button(S.insert_placeholder("invitation_link")),
                width="100%", align="center", spacing="2",
            ),
            rx.text_area(id=BODY_ID, value=S.body, on_change=S.set_body, debounce_timeout=400,
                         rows="8", width="100%", **invalid_props(E, "body", BODY_ID)),
            rx.text(T["invite_link_note"], size="1", color_scheme="gray"),
            field_error(E, "body", BODY_ID),
            spacing="1", width="100%",
        ),
        send_label=T["send_invitation"],
    )


def invite_button(*, with_dialog: bool = True) -> rx.Component:
    button = rx.button(rx.icon("mail_plus", size=16, aria_hidden="true"), T["invite_customer"],
                       variant="soft", on_click=open_invite)
    return rx.fragment(button, invite_dialog()) if with_dialog else button
