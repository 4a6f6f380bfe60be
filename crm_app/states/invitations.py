"""Inviting a client to register himself, and the list of invitations (resend, revoke, load more).

The invitation e-mail is written like a template: an e-mail template of the organization or free
text, with ``{{ invitation_link }}`` where the personal link goes (added at the end when missing).
Its problems show while typing, like in the template editor.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.templating import PLACEHOLDERS, placeholder_tag
from crm_app.services import invitations as invitation_service
from crm_app.services import templates as template_service
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.session import SessionState, authorized
from crm_app.states.templates import live_errors
from crm_app.states.text_insert import cursor_script, insert_at

STATUSES = ("pending", "completed", "expired", "revoked")
BODY_ID = "invite-body"


@dialog_flags("open")
class InviteState(Refusals, SessionState):
    """The "Invite customer" dialog."""

    open: bool = False
    email: str = ""
    client_type: str = "person"
    templates: list[list[str]] = []
    template_id: str = ""
    subject: str = ""
    body: str = ""
    errors: dict[str, str] = {}

    _pending_tag: str = ""

    @authorized()
    def open_dialog(self, actor):
        with session_scope() as session:
            found = template_service.list_templates(session=session, actor=actor, channel="email")
        self.templates = [[str(t.id), t.name] for t in found]
        self.email, self.client_type, self.template_id, self.errors = "", "person", "", {}
        self.subject, self.body = self._t("invitation_default_subject"), self._t("invitation_default_body")
        self.open = True

    @rx.event
    def set_open(self, value: bool):
        self.open = value

    @rx.event
    def set_email(self, value: str):
        self.email = value[:320]
        self.errors.pop("email", None)

    @rx.event
    def set_client_type(self, value: str):
        self.client_type = value if value in CLIENT_TYPES else "person"

    @authorized()
    def pick_template(self, actor, template_id: str):
        self.template_id = template_id
        if template_id.isdigit():
            with session_scope() as session:
                chosen = template_service.get_template(
                    session=session, actor=actor, template_id=int(template_id))
            self.subject, self.body = chosen.subject, chosen.body
        else:
            self.subject = self._t("invitation_default_subject")
            self.body = self._t("invitation_default_body")
        self.errors = live_errors(self, "email", self.subject, self.body)

    @rx.event
    def set_subject(self, value: str):
        self.subject = value[:300]
        self.errors = live_errors(self, "email", self.subject, self.body)

    @rx.event
    def set_body(self, value: str):
        self.body = value[:25_000]
        self.errors = live_errors(self, "email", self.subject, self.body)

    @rx.event
    def insert_placeholder(self, name: str):
        if name not in PLACEHOLDERS:
            return None
        self._pending_tag = placeholder_tag(name)
        return rx.call_script(cursor_script(BODY_ID), callback=InviteState.placeholder_at)

    @rx.event
    def placeholder_at(self, result: list | None = None):
        tag, self._pending_tag = self._pending_tag, ""
        if tag:
            self.body = insert_at(self.body, result, tag)[:25_000]
            self.errors = live_errors(self, "email", self.subject, self.body)

    @authorized()
    def send(self, actor):
        data = invitation_service.InvitationInput(self.email, self.client_type, self.subject, self.body)
        try:
            with session_scope() as session:
                invitation_service.invite(session=session, actor=actor, data=data)
        except ValidationFailed as exc:
            self.errors = {field: self._err(error) for field, error in exc.errors.items()}
            self._refused()
            return None
        self.open = False
        return [rx.toast.success(self._t("invitation_sent", email=self.email.strip().lower())),
                InvitationsState.reload_if_shown]


@dataclasses.dataclass
class InvitationRow:
    id: int
    email: str
    client_type: str
    status: str
    created: str
    expires: str
    invited_by: str
    customer_id: int
    message_status: str


def _row(dto: invitation_service.InvitationDTO) -> InvitationRow:
    return InvitationRow(
        id=dto.id, email=dto.email, client_type=dto.client_type, status=dto.status,
        created=f"{dto.created_at:%Y-%m-%d %H:%M}", expires=f"{dto.expires_at:%Y-%m-%d %H:%M}",
        invited_by=dto.invited_by_name, customer_id=dto.customer_id or 0, message_status=dto.message_status,
    )


@dialog_flags("confirm_id")
class InvitationsState(SessionState):
    """The invitations page: newest first, filtered by status, keyset "load more"."""

    rows: list[InvitationRow] = []
    status: str = ""
    next_before: int = 0
    loaded: bool = False
    confirm_id: int = 0
    confirm_email: str = ""

    def _fetch(self, actor: Actor, *, more: bool = False) -> None:
        with session_scope() as session:
            items, next_before = invitation_service.list_invitations(
                session=session, actor=actor, status=self.status,
                before=self.next_before if more and self.next_before else None,
            )
        fresh = [_row(i) for i in items]
        # "Load more" keeps at most a few pages in state; beyond that the list starts over.
        self.rows = (self.rows + fresh)[-200:] if more else fresh
        self.next_before, self.loaded = next_before or 0, True

    @authorized()
    def load(self, actor):
        self.confirm_id = 0
        self._fetch(actor)

    @authorized()
    def reload_if_shown(self, actor):
        if self.router.url.path.rstrip("/") == "/invitations":
            self._fetch(actor)

    @authorized()
    def set_status(self, actor, status: str):
        self.status = status if status in STATUSES else ""
        self._fetch(actor)

    @authorized()
    def load_more(self, actor):
        if self.next_before:
            self._fetch(actor, more=True)

    @authorized()
    def resend(self, actor, invitation_id: int):
        try:
            with session_scope() as session:
                invitation_service.resend(
                    session=session, actor=actor, invitation_id=int(invitation_id),
                    subject=self._t("invitation_default_subject"), body=self._t("invitation_default_body"),
                )
        except ValidationFailed as exc:
            return rx.toast.error(self._err(next(iter(exc.errors.values()))))
        self._fetch(actor)
        return rx.toast.success(self._t("invitation_resent"))

    @rx.event
    def ask_revoke(self, invitation_id: int, email: str):
        self.confirm_id, self.confirm_email = int(invitation_id), email

    @rx.event
    def cancel_revoke(self):
        self.confirm_id = 0

    @authorized()
    def confirm_revoke(self, actor):
        invitation_id, self.confirm_id = self.confirm_id, 0
        with session_scope() as session:
            invitation_service.revoke(session=session, actor=actor, invitation_id=invitation_id)
        self._fetch(actor)
        return rx.toast.success(self._t("invitation_revoked", email=self.confirm_email))
