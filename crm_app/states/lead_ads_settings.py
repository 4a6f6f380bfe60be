"""The Facebook Lead Ads part of /settings/api's connectors section: the callback URL and verify token
to paste into Meta, the app secret and page token (never shown again once saved: only that they are
there), the field-mapping rows, the channel, owner and the enabled switch.

Every handler re-checks that an admin is signed in (``authorized("admin")``); services/lead_ads.py
checks it again.
"""

from __future__ import annotations

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.domain.lead_ads_mapping import DEFAULT_MAPPING, LEAD_FIELDS, MAX_ROWS
from crm_app.services import lead_ads as service
from crm_app.services.lead_ads import ConnectorDraft, ConnectorDTO
from crm_app.settings import get_settings
from crm_app.states.dialogs import Refusals
from crm_app.states.forms import field_errors, text
from crm_app.states.session import SessionState, authorized


def callback_url(public_key: str) -> str:
    return f"{get_settings().public_url.rstrip('/')}/api/v1/connectors/facebook/{public_key}"


class LeadAdsSettingsState(Refusals, SessionState):
    exists: bool = False
    callback: str = ""
    verify_token: str = ""
    has_secret: bool = False
    token_note: str = ""  # "saved (…1234)" once a page token is saved; the token never comes back
    rows: list[list[str]] = []  # [facebook field, lead field]
    channel_id: str = ""
    owner_id: str = ""
    enabled: bool = True
    errors: dict[str, str] = {}
    form_key: int = 0  # bumped after a save so the secret inputs are emptied

    def _show(self, found: ConnectorDTO | None) -> None:
        self.exists = found is not None
        if found is None:
            self.callback = self.verify_token = self.token_note = ""
            self.has_secret, self.enabled = False, True
            self.rows = [[k, v] for k, v in DEFAULT_MAPPING.items()]
            return
        self.callback, self.verify_token = callback_url(found.public_key), found.verify_token
        self.has_secret, self.enabled = found.has_app_secret, found.enabled
        hint = found.page_token_hint
        self.token_note = self._t("leadads_saved_token", hint=hint) if hint else ""
        self.rows = [[k, v] for k, v in found.mapping] or [["", "name"]]
        self.channel_id, self.owner_id = str(found.channel_id or ""), str(found.owner_id or "")

    def _fetch(self, actor: Actor) -> None:
        with session_scope() as session:
            self._show(service.get_connector(session=session, actor=actor))

    @authorized("admin")
    def load(self, actor):
        self.errors = {}
        self._fetch(actor)

    @authorized("admin")
    def set_cell(self, actor, index: int, column: int, value: str):
        index, column = int(index), int(column)
        if 0 <= index < len(self.rows) and column in (0, 1) and isinstance(value, str):
            row = list(self.rows[index])
            row[column] = value[:100]
            self.rows = [*self.rows[:index], row, *self.rows[index + 1:]]

    @authorized("admin")
    def add_row(self, actor):
        if len(self.rows) < MAX_ROWS:
            self.rows = [*self.rows, ["", LEAD_FIELDS[0]]]

    @authorized("admin")
    def remove_row(self, actor, index: int):
        index = int(index)
        self.rows = [r for i, r in enumerate(self.rows) if i != index]

    @authorized("admin")
    def set_enabled(self, actor, value: bool):
        self.enabled = bool(value)

    @authorized("admin")
    def set_channel_id(self, actor, value: str):
        self.channel_id = value if isinstance(value, str) else ""

    @authorized("admin")
    def set_owner_id(self, actor, value: str):
        self.owner_id = value if isinstance(value, str) else ""

    @authorized("admin")
    def save(self, actor, form: dict):
        self.channel_id, self.owner_id = text(form, "channel_id"), text(form, "owner_id")
        draft = ConnectorDraft(
            mapping_rows=tuple((r[0], r[1]) for r in self.rows), app_secret=text(form, "app_secret"),
            page_token=text(form, "page_token"), channel_id=parse_id(self.channel_id),
            owner_id=parse_id(self.owner_id), enabled=self.enabled,
        )
        try:
            with session_scope() as session:
                saved = service.save_connector(session=session, actor=actor, draft=draft)
        except ValidationFailed as exc:
            self.errors = field_errors(exc, self.lang)
            self._refused()
            return None
        self.errors = {}
        self.form_key += 1
        self._show(saved)
        return rx.toast.success(self._t("leadads_saved"))
