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
from crm_app.domain.ids import parse_id
from crm_app.domain.local_time import Clock
from crm_app.models.messaging import LOGGED_ONLY
from crm_app.services import invitations as invitation_service
from crm_app.services import templates as template_service
from crm_app.settings import get_settings
from crm_app.states.clock import clock_for
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.feed_items import logged_only_note
from crm_app.states.row_confirmation import RowConfirmation
from crm_app.states.session import SessionState, authorized
from crm_app.states.template_check import CheckRequest
from crm_app.states.text_insert import PlaceholderDraft
from crm_app.states.threads import in_thread

STATUSES = ("pending", "completed", "expired", "revoked")
BODY_ID = "invite-body"


def _sent_toast(state: SessionState, sent: str, email: str):
    """``sent``; or, with no e-mail server configured, that the invitation was only logged (the customer
    received no link)."""
    if get_settings().messaging.email_configured:
        return rx.toast.success(sent)
    reason = logged_only_note(LOGGED_ONLY, "email", state.lang)
    return rx.toast.warning(state._t("invitation_logged_only", email=email, reason=reason))


def _resend(*, session, actor: Actor, invitation_id: int) -> str:
    """Send the invitation again with the default e-mail, in the organization's language."""
    subject, body = invitation_service.default_texts(session=session, actor=actor)
    return invitation_service.resend(session=session, actor=actor, invitation_id=invitation_id,
                                     subject=subject, body=body)


@dialog_flags("open")
class InviteState(Refusals, PlaceholderDraft, SessionState):
    """The "Invite customer" dialog."""

    open: bool = False
    email: str = ""
    client_type: str = "person"
    templates: list[list[str]] = []
    template_id: str = ""
    email_log_only: bool = False  # no e-mail server: the invitation will only be logged, never sent

    @authorized()
    def open_dialog(self, actor):
        self.email_log_only = not get_settings().messaging.email_configured
        with session_scope() as session:
            found = template_service.list_templates(session=session, actor=actor, channel="email")
            self.subject, self.body = invitation_service.default_texts(session=session, actor=actor)
        self.templates = [[str(t.id), t.name] for t in found]
        self.email, self.client_type, self.template_id, self.errors = "", "person", "", {}
        self.open, self._checking = True, False

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
        if parse_id(template_id):
            with session_scope() as session:
                chosen = template_service.get_template(
                    session=session, actor=actor, template_id=parse_id(template_id))
            self.subject, self.body = chosen.subject, chosen.body
        else:
            with session_scope() as session:
                self.subject, self.body = invitation_service.default_texts(session=session, actor=actor)
        return self._draft_changed()

    def _check_request(self) -> CheckRequest | None:
        actor = self._actor() if self.open else None
        return CheckRequest(actor, 0, "email", self.subject, self.body) if actor else None

    def _control_id(self, field: str) -> str:
        return BODY_ID

    @authorized()
    async def send(self, actor):
        data = invitation_service.InvitationInput(self.email, self.client_type, self.subject, self.body)
        try:
            await in_thread(invitation_service.invite, actor=actor, data=data)
        except ValidationFailed as exc:
            self.errors = {field: self._err(error) for field, error in exc.errors.items()}
            self._refused()
            return None
        self.open = False
        email = self.email.strip().lower()
        return [_sent_toast(self, self._t("invitation_sent", email=email), email),
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
    message_note: str  # only logged, never sent: the customer received no link


def _row(dto: invitation_service.InvitationDTO, clock: Clock) -> InvitationRow:
    return InvitationRow(
        id=dto.id, email=dto.email, client_type=dto.client_type, status=dto.status,
        created=clock.exact(dto.created_at), expires=clock.exact(dto.expires_at),
        invited_by=dto.invited_by_name, customer_id=dto.customer_id or 0, message_status=dto.message_status,
        message_note=logged_only_note(dto.message_status, "email", clock.lang),
    )


@dialog_flags("confirm_id")
class InvitationsState(RowConfirmation, SessionState):
    """The invitations page: newest first, filtered by status, keyset "load more"."""

    rows: list[InvitationRow] = []
    status: str = ""
    next_before: int = 0
    loaded: bool = False

    def _fetch(self, actor: Actor, *, more: bool = False) -> None:
        with session_scope() as session:
            items, next_before = invitation_service.list_invitations(
                session=session, actor=actor, status=self.status,
                before=self.next_before if more and self.next_before else None,
            )
        clock = clock_for(actor, self.lang)
        fresh = [_row(i, clock) for i in items]
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
    async def resend(self, actor, invitation_id: int):
        try:
            await in_thread(_resend, actor=actor, invitation_id=int(invitation_id))
        except ValidationFailed as exc:
            return rx.toast.error(self._err(next(iter(exc.errors.values()))))
        self._fetch(actor)
        email = next((r.email for r in self.rows if r.id == int(invitation_id)), "")
        return _sent_toast(self, self._t("invitation_resent"), email)

    @authorized()
    def confirm_revoke(self, actor):
        invitation_id = self._confirmed()
        with session_scope() as session:
            invitation_service.revoke(session=session, actor=actor, invitation_id=invitation_id)
        self._fetch(actor)
        return rx.toast.success(self._t("invitation_revoked", email=self.confirm_name))
