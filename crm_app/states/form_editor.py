"""The form editor (/settings/form): one client type's form at a time, admins only.

Built-in field changes save at once (the live preview beside the editor follows); a custom field is
edited in a dialog whose texts are read from the submitted form.
"""

from __future__ import annotations

import dataclasses
import secrets

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, ValidationFailed
from crm_app.domain.form_config import (
    CHOICE_KINDS,
    KINDS,
    LOCKED,
    NOT_REQUIRABLE,
    FormConfig,
)
from crm_app.domain.form_edits import LABEL_LANGUAGES, CustomFieldInput, OptionText
from crm_app.services import form_config as form_service
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.form_items import FormItem, builtin_label, form_items
from crm_app.states.forms import field_errors, text
from crm_app.states.session import SessionState, authorized


@dataclasses.dataclass
class BuiltinRow:
    key: str
    label: str  # as shown (the organization's label or the catalogue's)
    label_es: str
    label_en: str
    label_pt: str
    visible: bool
    required: bool
    locked: bool
    requirable: bool


@dataclasses.dataclass
class CustomRow:
    id: int
    kind: str
    label: str
    required: bool
    active: bool
    options: str  # the active options, for the list


@dataclasses.dataclass
class OptionRow:
    key: str
    id: int  # 0 = new
    label_es: str = ""
    label_en: str = ""
    label_pt: str = ""


def _key() -> str:
    return "o" + secrets.token_hex(4)


@dialog_flags("field_open", "purge_id")
class FormEditorState(Refusals, SessionState):
    client_type: str = "person"
    builtin: list[BuiltinRow] = []
    custom: list[CustomRow] = []
    preview: list[FormItem] = []
    kinds: list[str] = list(KINDS)
    # The custom field dialog.
    field_open: bool = False
    field_id: int = 0
    field_kind: str = "text"
    field_values: dict[str, str] = {}
    field_required: bool = False
    option_rows: list[OptionRow] = []
    field_errors: dict[str, str] = {}
    field_generation: int = 0
    # Purge confirmation.
    purge_id: int = 0
    purge_text: str = ""

    # -- reading ----------------------------------------------------------------------------
    def _config(self, actor: Actor) -> FormConfig:
        with session_scope() as session:
            return form_service.get_form_config(session=session, actor=actor, client_type=self.client_type)

    def _show(self, config: FormConfig) -> None:
        locked = LOCKED[config.client_type]
        self.builtin = [
            BuiltinRow(
                key=f.key,
                label=builtin_label(f, self.lang),
                label_es=f.label_es,
                label_en=f.label_en,
                label_pt=f.label_pt,
                visible=f.visible,
                required=f.required,
                locked=f.key in locked,
                requirable=f.key not in NOT_REQUIRABLE and f.key not in locked,
            )
            for f in config.builtin
        ]
        self.custom = [
            CustomRow(
                id=f.id,
                kind=f.kind,
                label=f.label(self.lang),
                required=f.required,
                active=f.active,
                options=", ".join(o.label(self.lang) for o in f.active_options),
            )
            for f in config.custom
        ]
        self.preview = form_items(config, self.lang)

    def _refresh(self, actor: Actor) -> None:
        self._show(self._config(actor))

    @authorized("admin")
    def load(self, actor):
        self.field_open, self.purge_id = False, 0
        self._refresh(actor)

    @authorized("admin")
    def pick_type(self, actor, client_type: str):
        if client_type in CLIENT_TYPES:
            self.client_type = client_type
            self._refresh(actor)

    # -- built-in fields --------------------------------------------------------------------
    def _save_builtin(self, actor: Actor, change) -> list | None:
        config = self._config(actor)
        fields = change(list(config.builtin))
        try:
            with session_scope() as session:
                saved = form_service.save_builtin_fields(
                    session=session, actor=actor, client_type=self.client_type, fields=fields
                )
        except ValidationFailed as exc:
            return rx.toast.error(self._err(next(iter(exc.errors.values()))))
        self._show(saved)
        return rx.toast.success(self._t("form_saved"))

    @authorized("admin")
    def toggle(self, actor, key: str, what: str):
        """Show/hide (what="visible") or require/make optional (what="required") one field."""
        if what not in {"visible", "required"}:
            return None
        return self._save_builtin(
            actor,
            lambda fields: [
                dataclasses.replace(f, **{what: not getattr(f, what)}) if f.key == key else f for f in fields
            ],
        )

    @authorized("admin")
    def move(self, actor, key: str, offset: int):
        def moved(fields):
            keys = [f.key for f in fields]
            if key not in keys:
                return fields
            i = keys.index(key)
            j = max(0, min(len(fields) - 1, i + (1 if int(offset) > 0 else -1)))
            fields.insert(j, fields.pop(i))
            return fields

        return self._save_builtin(actor, moved)

    @authorized("admin")
    def set_label(self, actor, key: str, lang: str, value: str):
        if lang not in LABEL_LANGUAGES:
            return None
        current = next((r for r in self.builtin if r.key == key), None)
        if current is None or getattr(current, f"label_{lang}") == value.strip():
            return None
        return self._save_builtin(
            actor,
            lambda fields: [
                dataclasses.replace(f, **{f"label_{lang}": value[:200]}) if f.key == key else f
                for f in fields
            ],
        )

    # -- custom fields ----------------------------------------------------------------------
    @authorized("admin")
    def open_new_field(self, actor):
        self.field_id, self.field_kind, self.field_required = 0, "text", False
        self.field_values, self.field_errors = {}, {}
        self.option_rows = [OptionRow(key=_key(), id=0), OptionRow(key=_key(), id=0)]
        self.field_open, self.field_generation = True, self.field_generation + 1

    @authorized("admin")
    def open_edit_field(self, actor, field_id: int):
        field = next((f for f in self._config(actor).custom if f.id == int(field_id)), None)
        if field is None:
            return rx.toast.error(self._t("not_found"))
        self.field_id, self.field_kind, self.field_required = field.id, field.kind, field.required
        self.field_values = {
            f"{name}_{lang}": getattr(field, f"{name}_{lang}")
            for name in ("label", "help") for lang in LABEL_LANGUAGES
        }
        self.option_rows = [
            OptionRow(key=_key(), id=o.id, label_es=o.label_es, label_en=o.label_en, label_pt=o.label_pt)
            for o in field.active_options
        ]
        self.field_errors = {}
        self.field_open, self.field_generation = True, self.field_generation + 1
        return None

    @rx.event
    def set_field_open(self, value: bool):
        self.field_open = value

    @rx.event
    def set_field_kind(self, kind: str):
        if kind in KINDS and self.field_id == 0:  # a saved field keeps its kind
            self.field_kind = kind

    @rx.event
    def set_field_required(self, value: bool):
        self.field_required = bool(value)

    @rx.event
    def add_option(self):
        if len(self.option_rows) < 50:
            self.option_rows.append(OptionRow(key=_key(), id=0))

    @rx.event
    def remove_option(self, key: str):
        self.option_rows = [o for o in self.option_rows if o.key != key]

    @rx.event
    def move_option(self, key: str, offset: int):
        keys = [o.key for o in self.option_rows]
        if key in keys:
            i = keys.index(key)
            j = max(0, min(len(keys) - 1, i + (1 if int(offset) > 0 else -1)))
            self.option_rows.insert(j, self.option_rows.pop(i))

    @authorized("admin")
    def save_field(self, actor, form: dict):
        options = (
            tuple(
                OptionText(o.id or None, *(text(form, f"option.{o.key}.{lang}") for lang in LABEL_LANGUAGES))
                for o in self.option_rows
            )
            if self.field_kind in CHOICE_KINDS
            else ()
        )
        data = CustomFieldInput(
            kind=self.field_kind,
            **{f"{name}_{lang}": text(form, f"{name}_{lang}") for name in ("label", "help")
               for lang in LABEL_LANGUAGES},
            required=self.field_required,
            options=options,
        )
        try:
            with session_scope() as session:
                if self.field_id:
                    form_service.update_custom_field(
                        session=session, actor=actor, field_id=self.field_id, data=data
                    )
                else:
                    form_service.create_custom_field(
                        session=session, actor=actor, client_type=self.client_type, data=data
                    )
        except ValidationFailed as exc:
            self.field_errors = field_errors(exc, self.lang)
            self._refused()
            return None
        self.field_open = False
        self._refresh(actor)
        return rx.toast.success(self._t("form_saved"))

    @authorized("admin")
    def move_field(self, actor, field_id: int, offset: int):
        with session_scope() as session:
            form_service.move_custom_field(
                session=session, actor=actor, field_id=int(field_id), offset=int(offset)
            )
        self._refresh(actor)

    @authorized("admin")
    def set_field_active(self, actor, field_id: int, active: bool):
        with session_scope() as session:
            form_service.set_custom_field_active(
                session=session, actor=actor, field_id=int(field_id), active=bool(active)
            )
        self._refresh(actor)
        return rx.toast.success(self._t("field_removed" if not active else "field_restored"))

    @authorized("admin")
    def ask_purge(self, actor, field_id: int):
        with session_scope() as session:
            count = form_service.count_values(session=session, actor=actor, field_id=int(field_id))
        label = next((c.label for c in self.custom if c.id == int(field_id)), "")
        self.purge_id, self.purge_text = (
            int(field_id),
            self._t("confirm_purge_field", field=label, count=count),
        )

    @rx.event
    def cancel_purge(self):
        self.purge_id = 0

    @authorized("admin")
    def confirm_purge(self, actor):
        field_id, self.purge_id = self.purge_id, 0
        try:
            with session_scope() as session:
                count = form_service.purge_custom_field(session=session, actor=actor, field_id=field_id)
        except Conflict as exc:
            return rx.toast.error(self._err(exc))
        self._refresh(actor)
        return rx.toast.success(self._t("field_purged", count=count))
