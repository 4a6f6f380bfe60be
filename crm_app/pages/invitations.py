"""Invitations: pending, completed, expired and revoked; resend, revoke, load more."""

import reflex as rx

from crm_app.components.data_list import card_list, data_table
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.empty_state import empty_state, list_empty_state
from crm_app.components.invite_dialog import invite_button
from crm_app.components.responsive import wide_or_narrow
from crm_app.pages.base import page
from crm_app.states.invitations import STATUSES, InvitationRow, InvitationsState

S = InvitationsState
T = S.tr
STATUS_COLORS = (("pending", "blue"), ("completed", "green"), ("expired", "gray"), ("revoked", "red"))


def _actions(row: InvitationRow) -> rx.Component:
    return rx.hstack(
        rx.cond(
            row.status == "completed",
            rx.link(T["open_customer"], href="/customers/" + row.customer_id.to_string(), size="2"),
            rx.button(T["resend"], size="1", variant="soft", on_click=S.resend(row.id),
                      aria_label=T["resend"].to(str) + " " + row.email),
        ),
        rx.cond(
            row.status == "pending",
            rx.button(T["revoke"], size="1", variant="soft", color_scheme="red",
                      on_click=S.ask_delete(row.id, row.email),
                      aria_label=T["revoke"].to(str) + " " + row.email),
        ),
        spacing="2", align="center",
    )


def _status_badge(row: InvitationRow) -> rx.Component:
    return rx.badge(T["invitation_status_" + row.status.to(str)],
                    color_scheme=rx.match(row.status, *STATUS_COLORS, "gray"))


def _message_status(row: InvitationRow) -> rx.Component:
    return rx.cond(row.message_status != "", T["message_status_" + row.message_status.to(str)], "")


def _message_note(row: InvitationRow) -> rx.Component:
    """Only logged, never sent: say plainly that the customer received nothing."""
    return rx.cond(row.message_note != "", rx.text(row.message_note, size="1", color_scheme="amber"))


def _table() -> rx.Component:
    return data_table(
        S,
        ("email", "client_type", "status", "invitation_email_status", "invited_by", "created", "expires",
         "actions"),
        lambda row: [row.email, T["client_type_" + row.client_type.to(str)], _status_badge(row),
                     rx.fragment(_message_status(row), _message_note(row)), row.invited_by, row.created,
                     row.expires, _actions(row)],
        T["invitations_title"],
    )


def _card(row: InvitationRow) -> list[rx.Component]:
    return [
        rx.hstack(rx.text(row.email, weight="bold", class_name="crm-value"), rx.spacer(), _status_badge(row),
                  width="100%", align="center"),
        rx.text(T["client_type_" + row.client_type.to(str)], " · ", row.invited_by, size="2"),
        rx.text(T["created"], ": ", row.created, " · ", T["expires"], ": ", row.expires, size="2",
                color_scheme="gray"),
        rx.cond(row.message_status != "",
                rx.text(T["invitation_email_status"], ": ", _message_status(row), size="2")),
        _message_note(row),
        _actions(row),
    ]


@page("/invitations", "title_invitations", on_load=[InvitationsState.load])
def invitations() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(T["invitations_title"], size="6", as_="h1"),
            rx.spacer(),
            invite_button(),
            width="100%", align="center", wrap="wrap",
        ),
        rx.hstack(
            rx.el.label(T["status"], html_for="invitations-status", class_name="crm-label"),
            rx.el.select(
                rx.el.option(T["all_statuses"], value=""),
                *[rx.el.option(T[f"invitation_status_{s}"], value=s) for s in STATUSES],
                id="invitations-status", value=S.status, on_change=S.set_status, class_name="crm-select",
                max_width="14em",
            ),
            align="center", spacing="2",
        ),
        rx.cond(
            S.rows.length() > 0,
            # Only the layout on screen is rendered; the wide table still scrolls inside its box.
            wide_or_narrow(rx.box(_table(), width="100%", overflow_x="auto"), card_list(S, _card)),
            rx.cond(
                S.loaded,
                list_empty_state(
                    S.status != "", T["invitations_no_match"],
                    empty_state("mail_plus", T["invitations_empty"], T["invitations_empty_hint"]),
                ),
            ),
        ),
        rx.cond(S.next_before != 0, rx.button(T["load_more"], variant="soft", on_click=S.load_more)),
        confirm_dialog(
            S.confirm_id != 0,
            T["confirm_revoke_invitation"].to(str).replace("{email}", S.confirm_name),
            S.confirm_revoke,
            S.cancel_delete,
        ),
        spacing="4", width="100%",
    )
