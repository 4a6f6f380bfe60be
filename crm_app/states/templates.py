"""The template editor: list by channel, edit with live checks and a preview for a chosen customer.

Everybody reads templates; only admins write them (the service refuses others, the page hides the
buttons). The subject and body are controlled, debounced inputs: each pause in typing checks the
template (syntax, unknown placeholders, sandbox) and re-renders the preview, so problems show while
editing and never at send time.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.templating import CHANNELS, PLACEHOLDERS, placeholder_tag, sms_length
from crm_app.services import messaging
from crm_app.services import templates as template_service
from crm_app.states.customer_picker import PickerRow, picker_rows
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.session import SessionState, authorized
from crm_app.states.text_insert import cursor_script, insert_at

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


def live_errors(state: SessionState, channel: str, subject: str, body: str) -> dict[str, str]:
    """Template problems of a subject and body as typed; "required" waits for the save or send."""
    problems = template_service.validate(template_service.TemplateInput(channel, "-", subject, body))
    return {
        field: state._err(error)
        for field, error in problems.items()
        if field in ("subject", "body") and error.code != "required"
    }


@dialog_flags("editor_open", "confirm_id")
class TemplatesState(Refusals, SessionState):
    rows: list[TemplateRow] = []
    channel_filter: str = ""
    loaded: bool = False

    editor_open: bool = False
    editing_id: int = 0
    channel: str = "email"
    name: str = ""
    subject: str = ""
    body: str = ""
    errors: dict[str, str] = {}
    sms_info: str = ""

    preview_customer_id: int = 0
    preview_customer_name: str = ""
    preview_subject: str = ""
    preview_body: str = ""
    picker_query: str = ""
    picker_results: list[PickerRow] = []

    confirm_id: int = 0
    confirm_name: str = ""

    _focus: str = "body"
    _pending_tag: str = ""

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
        self.picker_query, self.picker_results, self._focus = "", [], "body"
        self.editor_open = True

    @authorized()
    def open_new(self, actor, channel: str):
        self._open(template_id=0, channel=channel if channel in CHANNELS else "email", name="", subject="",
                   body="")
        self._refresh(actor)

    @authorized()
    def open_edit(self, actor, template_id: int):
        with session_scope() as session:
            found = template_service.get_template(session=session, actor=actor, template_id=int(template_id))
        self._open(template_id=found.id, channel=found.channel, name=found.name, subject=found.subject,
                   body=found.body)
        self._refresh(actor)

    @rx.event
    def set_editor_open(self, value: bool):
        self.editor_open = value

    @authorized()
    def set_channel(self, actor, channel: str):
        if self.editing_id == 0 and channel in CHANNELS:  # a saved template keeps its channel
            self.channel = channel
            self._refresh(actor)

    @rx.event
    def set_name(self, value: str):
        self.name = value[:100]
        self.errors.pop("name", None)

    @authorized()
    def set_subject(self, actor, value: str):
        self.subject = value[:300]
        self._refresh(actor)

    @authorized()
    def set_body(self, actor, value: str):
        self.body = value[:25_000]
        self._refresh(actor)

    @rx.event
    def focus_field(self, field: str):
        if field in EDITOR_IDS:
            self._focus = field

    @rx.event
    def insert_placeholder(self, name: str):
        """Ask the page where the cursor is in the last focused field; ``placeholder_at`` inserts."""
        if name not in PLACEHOLDERS:
            return None
        field = self._focus if self.channel == "email" else "body"
        self._pending_tag = placeholder_tag(name)
        return rx.call_script(cursor_script(EDITOR_IDS[field]), callback=TemplatesState.placeholder_at)

    @authorized()
    def placeholder_at(self, actor, result: list | None = None):
        tag, self._pending_tag = self._pending_tag, ""
        if not tag:
            return
        if self._focus == "subject" and self.channel == "email":
            self.subject = insert_at(self.subject, result, tag)[:300]
        else:
            self.body = insert_at(self.body, result, tag)[:25_000]
        self._refresh(actor)

    def _input(self) -> template_service.TemplateInput:
        return template_service.TemplateInput(self.channel, self.name, self.subject, self.body)

    def _refresh(self, actor: Actor) -> None:
        """Check the template as typed and render the preview; "required" waits for the save."""
        self.errors = live_errors(self, self.channel, self.subject, self.body)
        self.preview_subject = self.preview_body = ""
        text_for_length = self.body
        if self.preview_customer_id and not self.errors:
            try:
                with session_scope() as session:
                    rendered = messaging.render_for(
                        session=session, actor=actor, customer_id=self.preview_customer_id,
                        channel=self.channel, subject=self.subject, body=self.body,
                    )
            except ValidationFailed as exc:
                self.errors.update({f: self._err(e) for f, e in exc.errors.items()})
            else:
                self.preview_subject, self.preview_body = rendered.subject, rendered.body
                text_for_length = rendered.body
        self.sms_info = sms_summary(self, text_for_length) if self.channel == "sms" else ""

    # -- preview customer picker ----------------------------------------------------------------
    @authorized()
    def search_customers(self, actor, text: str):
        self.picker_query = text[:100]
        self.picker_results = picker_rows(
            actor, self.picker_query, lambda row: row.primary_email or row.primary_phone
        )

    @authorized()
    def pick_customer(self, actor, customer_id: int, name: str):
        self.preview_customer_id, self.preview_customer_name = int(customer_id), name[:200]
        self.picker_query, self.picker_results = "", []
        self._refresh(actor)

    # -- writes -------------------------------------------------------------------------------
    @authorized()
    def save(self, actor):
        try:
            with session_scope() as session:
                saved = template_service.save_template(
                    session=session, actor=actor, data=self._input(), template_id=self.editing_id or None
                )
        except ValidationFailed as exc:
            self.errors = {field: self._err(error) for field, error in exc.errors.items()}
            self._refused()
            return None
        self.editor_open = False
        self._fetch(actor)
        return rx.toast.success(self._t("template_saved", name=saved.name))

    @authorized()
    def duplicate(self, actor, template_id: int):
        with session_scope() as session:
            copy = template_service.duplicate_template(
                session=session, actor=actor, template_id=int(template_id), copy_label=self._t("copy_label")
            )
        self._fetch(actor)
        return rx.toast.success(self._t("template_saved", name=copy.name))

    @rx.event
    def ask_delete(self, template_id: int, name: str):
        self.confirm_id, self.confirm_name = int(template_id), name

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @authorized()
    def confirm_delete(self, actor):
        template_id, self.confirm_id = self.confirm_id, 0
        with session_scope() as session:
            template_service.delete_template(session=session, actor=actor, template_id=template_id)
        self._fetch(actor)
        return rx.toast.success(self._t("template_deleted", name=self.confirm_name))
