"""The template editor: list by channel, edit with live checks and a preview for a chosen customer.

Everybody reads templates; only admins write them (the service refuses others, the page hides the
buttons). The subject and body are controlled, debounced inputs: each pause in typing checks the
template (syntax, unknown placeholders, the grammar) and re-renders the preview in a background event
(states/template_check.py), so problems show while editing and never at send time, and a long or
hostile template never blocks the server.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customers import ClientChoice
from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.templating import CHANNELS, sms_length
from crm_app.services import templates as template_service
from crm_app.states.client_picker import ClientPicker
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.row_confirmation import RowConfirmation
from crm_app.states.session import SessionState, authorized
from crm_app.states.template_check import (
    CheckOutcome,
    CheckRequest,
    TemplateDraft,
    check_soon,
    with_template_errors,
)
from crm_app.states.text_insert import PlaceholderDraft
from crm_app.states.threads import in_thread

EDITOR_IDS = {"subject": "template-subject", "body": "template-body"}


@dataclasses.dataclass
class TemplateRow:
    id: int
    channel: str
    name: str
    subject: str
    snippet: str


def _snippet(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= 90 else flat[:89] + "…"


def sms_summary(state: SessionState, text: str) -> str:
    """"123 characters · 1 segment · GSM-7" in the user's language."""
    length = sms_length(text)
    return state._t("sms_length", units=length.units, segments=length.segments,
                    encoding=length.encoding, per_segment=length.per_segment)


class PreviewedDraft(TemplateDraft, mixin=True):
    """A draft whose check also renders what the customer will receive, as sending will, and counts an
    SMS's length (the template editor, the send dialog). The state has a ``channel`` and says in
    ``_check_request`` what to check, for whom."""

    preview_subject: str = ""
    preview_body: str = ""
    sms_info: str = ""

    def _draft_changed(self):
        """The SMS length now; the check and the preview from ``live_check`` soon."""
        self.sms_info = sms_summary(self, self.body) if self.channel == "sms" else ""
        return check_soon(self, type(self).live_check)

    def _show_check(self, outcome: CheckOutcome) -> None:
        self.errors = with_template_errors(self, outcome)
        preview = outcome.preview
        self.preview_subject = preview.subject if preview else ""
        self.preview_body = preview.body if preview else ""
        if self.channel == "sms":
            self.sms_info = sms_summary(self, preview.body if preview else self.body)


@dialog_flags("editor_open", "confirm_id")
class TemplatesState(ClientPicker, Refusals, RowConfirmation, PreviewedDraft, PlaceholderDraft, SessionState):
    rows: list[TemplateRow] = []
    channel_filter: str = ""
    loaded: bool = False

    editor_open: bool = False
    editing_id: int = 0
    channel: str = "email"
    name: str = ""

    # The customer the preview renders for, chosen with the client picker (kept across templates).
    preview_customer_id: int = 0
    preview_customer_name: str = ""

    _focus: str = "body"

    # -- list -------------------------------------------------------------------------------
    def _fetch(self, actor: Actor) -> None:
        with session_scope() as session:
            found = template_service.list_templates(session=session, actor=actor, channel=self.channel_filter)
        self.rows = [TemplateRow(t.id, t.channel, t.name, t.subject, _snippet(t.body)) for t in found]
        self.loaded = True

    @authorized()
    def load(self, actor):
        self.editor_open, self.confirm_id = False, 0
        self._fetch(actor)

    @authorized()
    def filter_channel(self, actor, channel: str):
        self.channel_filter = channel if channel in CHANNELS else ""
        self._fetch(actor)

    # -- editor -----------------------------------------------------------------------------
    def _open(self, *, template_id: int, channel: str, name: str, subject: str, body: str) -> None:
        self.editing_id, self.channel, self.name = template_id, channel, name
        self.subject, self.body = subject, body
        self.errors, self.preview_subject, self.preview_body = {}, "", ""
        self.client_query, self.client_results, self._focus = "", [], "body"
        self.editor_open, self._checking = True, False

    @authorized()
    def open_new(self, actor, channel: str):
        self._open(template_id=0, channel=channel if channel in CHANNELS else "email", name="", subject="",
                   body="")
        return self._draft_changed()

    @authorized()
    def open_edit(self, actor, template_id: int):
        with session_scope() as session:
            found = template_service.get_template(session=session, actor=actor, template_id=int(template_id))
        self._open(template_id=found.id, channel=found.channel, name=found.name, subject=found.subject,
                   body=found.body)
        return self._draft_changed()

    @rx.event
    def set_editor_open(self, value: bool):
        self.editor_open = value

    @authorized()
    def set_channel(self, actor, channel: str):
        if self.editing_id == 0 and channel in CHANNELS:  # a saved template keeps its channel
            self.channel = channel
            return self._draft_changed()
        return None

    @rx.event
    def set_name(self, value: str):
        self.name = value[:100]
        self.errors.pop("name", None)

    @rx.event
    def focus_field(self, field: str):
        if field in EDITOR_IDS:
            self._focus = field

    def _placeholder_field(self) -> str:
        """The field focused last (an SMS or WhatsApp template has only a body)."""
        return self._focus if self.channel == "email" else "body"

    def _control_id(self, field: str) -> str:
        return EDITOR_IDS[field]

    def _input(self) -> template_service.TemplateInput:
        return template_service.TemplateInput(self.channel, self.name, self.subject, self.body)

    def _check_request(self) -> CheckRequest | None:
        actor = self._actor() if self.editor_open else None
        if actor is None:
            return None
        return CheckRequest(actor, self.preview_customer_id, self.channel, self.subject, self.body)

    # -- preview customer (client picker) ------------------------------------------------------
    def _client_chosen(self, actor, client: ClientChoice):
        """The preview renders for the client picked (checked to be of the organization)."""
        self.preview_customer_id, self.preview_customer_name = client.id, client.name
        return self._draft_changed()

    # -- writes -------------------------------------------------------------------------------
    @authorized()
    async def save(self, actor):
        try:
            saved = await in_thread(template_service.save_template, actor=actor, data=self._input(),
                                    template_id=self.editing_id or None)
        except ValidationFailed as exc:
            self.errors = {field: self._err(error) for field, error in exc.errors.items()}
            self._refused()
            return None
        self.editor_open = False
        self._fetch(actor)
        return rx.toast.success(self._t("template_saved", name=saved.name))

    @authorized()
    async def duplicate(self, actor, template_id: int):
        copy = await in_thread(template_service.duplicate_template, actor=actor, template_id=int(template_id),
                               copy_label=self._t("copy_label"))
        self._fetch(actor)
        return rx.toast.success(self._t("template_saved", name=copy.name))

    @authorized()
    def confirm_delete(self, actor):
        template_id = self._confirmed()
        with session_scope() as session:
            template_service.delete_template(session=session, actor=actor, template_id=template_id)
        self._fetch(actor)
        return rx.toast.success(self._t("template_deleted", name=self.confirm_name))
