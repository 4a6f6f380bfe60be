"""The website-forms part of /settings/api's connectors section: the forms, "Nuevo formulario" and
editing (errors next to each field), the copy-paste snippet, disabling and deleting (asked first).

Every handler re-checks that an admin is signed in (``authorized("admin")``); services/web_forms.py
checks it again. The Facebook part is states/lead_ads_settings.py.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.form_config import CustomFieldDef
from crm_app.domain.ids import parse_id
from crm_app.services import customers as customer_service
from crm_app.services import tasks as task_service
from crm_app.services import web_forms as service
from crm_app.services.web_form_snippet import endpoint_url, snippet
from crm_app.services.web_forms import FormDraft, WebFormDTO
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.form_items import builtin_label
from crm_app.states.forms import field_errors, text
from crm_app.states.session import SessionState, authorized

EDIT_FIELDS = ("name", "target", "allowed_origins", "consent_text", "channel_id", "owner_id")


@dataclasses.dataclass
class FormRow:
    id: int
    name: str
    target: str  # its label
    origins: str  # joined for reading
    endpoint: str
    active: bool
    warning: str = ""  # a customer form's required fields this website form does not ask


@dialog_flags("edit_open", "snippet_html", "delete_id")
class ConnectorSettingsState(Refusals, SessionState):
    forms: list[FormRow] = []
    channels: list[list[str]] = []  # [id, name]
    owners: list[list[str]] = []

    edit_open: bool = False
    edit_id: int = 0  # 0: a new form
    edit_values: dict[str, str] = {}
    edit_errors: dict[str, str] = {}
    edit_key: int = 0  # bumped so the dialog's uncontrolled inputs take the new defaults

    snippet_html: str = ""  # the open snippet dialog's code ("" closes it)
    snippet_name: str = ""

    delete_id: int = 0
    delete_text: str = ""

    @rx.var
    def channel_choices(self) -> list[list[str]]:
        return [["", self._t("webform_none_choice")], *self.channels]

    @rx.var
    def owner_choices(self) -> list[list[str]]:
        return [["", self._t("webform_none_choice")], *self.owners]

    def _row(self, form: WebFormDTO, unasked: service.Unasked) -> FormRow:
        missing = [field.label(self.lang) if isinstance(field, CustomFieldDef)
                   else builtin_label(field, self.lang)
                   for field in unasked.for_form(form)]
        warning = self._t("webform_unasked", fields=", ".join(missing)) if missing else ""
        return FormRow(id=form.id, name=form.name, target=self._t(f"webform_target_{form.target}"),
                       origins=", ".join(form.allowed_origins), endpoint=endpoint_url(form.public_key),
                       active=form.active, warning=warning)

    def _fetch(self, actor: Actor) -> None:
        with session_scope() as session:
            found = service.list_forms(session=session, actor=actor)
            unasked = service.unasked_required(session=session, actor=actor)
            channels = customer_service.list_channels(session=session, actor=actor)
            self.channels = [[str(i), n] for i, n in channels]
            self.owners = [[str(i), n] for i, n in task_service.assignees(session=session, actor=actor)]
        self.forms = [self._row(f, unasked) for f in found]

    @authorized("admin")
    def load(self, actor):
        self.edit_open, self.snippet_html, self.delete_id = False, "", 0
        self._fetch(actor)

    def _open_editor(self, form_id: int, values: dict[str, str]) -> None:
        self.edit_id, self.edit_values, self.edit_errors = form_id, values, {}
        self.edit_key += 1
        self.edit_open = True

    @authorized("admin")
    def open_new(self, actor):
        self._open_editor(0, {"target": "lead", "consent_text": self._t("webform_consent_default"),
                              "owner_id": str(actor.user_id)})

    @authorized("admin")
    def open_edit(self, actor, form_id: int):
        with session_scope() as session:
            form = service.get_form(session=session, actor=actor, form_id=int(form_id))
        self._open_editor(form.id, {
            "name": form.name, "target": form.target, "allowed_origins": "\n".join(form.allowed_origins),
            "consent_text": form.consent_text, "channel_id": str(form.channel_id or ""),
            "owner_id": str(form.owner_id or ""),
        })

    @authorized("admin")
    def set_edit_open(self, actor, value: bool):
        self.edit_open = bool(value)
        if not value:
            self.edit_errors = {}

    @authorized("admin")
    def save(self, actor, form: dict):
        self.edit_values = {name: text(form, name) for name in EDIT_FIELDS}
        draft = FormDraft(
            name=text(form, "name"), target=text(form, "target"),
            allowed_origins=text(form, "allowed_origins"), consent_text=text(form, "consent_text"),
            channel_id=parse_id(text(form, "channel_id")), owner_id=parse_id(text(form, "owner_id")),
        )
        try:
            with session_scope() as session:
                if self.edit_id:
                    service.update_form(session=session, actor=actor, form_id=self.edit_id, draft=draft)
                else:
                    service.create_form(session=session, actor=actor, draft=draft)
        except ValidationFailed as exc:
            self.edit_errors = field_errors(exc, self.lang)
            self._refused()
            return None
        self.edit_open, self.edit_errors = False, {}
        self._fetch(actor)
        return rx.toast.success(self._t("webform_saved"))

    @authorized("admin")
    def show_snippet(self, actor, form_id: int):
        with session_scope() as session:
            form = service.get_form(session=session, actor=actor, form_id=int(form_id))
        self.snippet_name = form.name
        self.snippet_html = snippet(form.public_key, form.consent_text, self.lang)

    @rx.event
    def close_snippet(self, open_: bool = False):
        if not open_:
            self.snippet_html = ""

    @authorized("admin")
    def set_enabled(self, actor, form_id: int, enabled: bool):
        with session_scope() as session:
            service.set_enabled(session=session, actor=actor, form_id=int(form_id), enabled=bool(enabled))
        self._fetch(actor)

    @authorized("admin")
    def ask_delete(self, actor, form_id: int):
        row = next((r for r in self.forms if r.id == int(form_id)), None)
        if row is not None:
            self.delete_id, self.delete_text = row.id, self._t("webform_delete_confirm", name=row.name)

    @rx.event
    def cancel_delete(self):
        self.delete_id = 0

    @authorized("admin")
    def confirm_delete(self, actor):
        form_id, self.delete_id = self.delete_id, 0
        if not form_id:
            return None
        with session_scope() as session:
            service.delete_form(session=session, actor=actor, form_id=form_id)
        self._fetch(actor)
        return rx.toast.success(self._t("webform_deleted"))
