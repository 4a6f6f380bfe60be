"""The API keys section of /settings/api: the list, the "Nueva clave" dialog, the key shown once, revoking.

A new key lives in ``new_key`` only while its dialog is open: closing it, a navigation or a reload
(``@dialog_flags``) and signing out (the tab is reset) all forget it.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.api_keys import SCOPES
from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.local_time import Clock
from crm_app.services import api_keys as keys_service
from crm_app.services.api_keys import ApiKeyDTO
from crm_app.states.clock import clock_for
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.forms import field_errors, text
from crm_app.states.session import SessionState, authorized

PAGE = 25


def scope_field(scope: str) -> str:
    """The form field of a scope's check box ("customers:read" -> "scope_customers_read")."""
    return "scope_" + scope.replace(":", "_")


@dataclasses.dataclass
class KeyRow:
    id: int
    name: str
    prefix: str
    scopes: list[str]
    last_used: str  # "" for never
    expires: str  # "" for never
    state: str  # active | expired | revoked
    created: str  # "Creada por Ana · 4 dic 2026, 10:02"
    revoked: str  # "" unless revoked


@dialog_flags("create_open", "new_key", "revoke_id")
class ApiKeysState(Refusals, SessionState):
    rows: list[KeyRow] = []
    has_more: bool = False

    create_open: bool = False
    create_errors: dict[str, str] = {}
    # The key just created, shown once; "" closes its dialog.
    new_key: str = ""
    new_key_note: str = ""

    revoke_id: int = 0
    revoke_text: str = ""

    def _row(self, key: ApiKeyDTO, clock: Clock) -> KeyRow:
        return KeyRow(
            id=key.id, name=key.name, prefix=key.prefix, scopes=list(key.scopes),
            last_used=clock.exact_or_blank(key.last_used_at),
            expires=clock.day(key.expires_at) if key.expires_at else "",
            state=key.status(clock.now),
            created=self._t("apikeys_created_by", name=key.created_by, at=clock.exact(key.created_at)),
            revoked=self._t("apikeys_revoked_by", name=key.revoked_by, at=clock.exact(key.revoked_at))
            if key.revoked_at else "",
        )

    def _fetch(self, actor: Actor, before_id: int = 0) -> None:
        """The newest page again (``before_id`` 0), or the page after the rows shown, appended."""
        with session_scope() as session:
            found = keys_service.list_keys(session=session, actor=actor, before_id=before_id, limit=PAGE + 1)
        clock = clock_for(actor, self.lang)
        page = [self._row(key, clock) for key in found[:PAGE]]
        self.rows = [*self.rows, *page] if before_id else page
        self.has_more = len(found) > PAGE

    @authorized("admin")
    def load(self, actor):
        self.create_open, self.create_errors, self.new_key, self.revoke_id = False, {}, "", 0
        self._fetch(actor)

    @authorized("admin")
    def more(self, actor):
        if self.has_more and self.rows:
            self._fetch(actor, before_id=self.rows[-1].id)

    @authorized("admin")
    def set_create_open(self, actor, value: bool):
        self.create_open, self.create_errors = bool(value), {}

    @authorized("admin")
    def create(self, actor, form: dict):
        scopes = [scope for scope in SCOPES if form.get(scope_field(scope)) in ("on", True, "true", scope)]
        try:
            with session_scope() as session:
                key, secret = keys_service.create_key(
                    session=session, actor=actor, name=text(form, "name"), scopes=scopes,
                    expires_on=text(form, "expires_on"))
        except ValidationFailed as exc:
            self.create_errors = field_errors(exc, self.lang)
            self._refused()
            return None
        self.create_open, self.create_errors = False, {}
        self.new_key, self.new_key_note = secret, self._t("apikeys_created_body", name=key.name)
        self._fetch(actor)
        return None

    @rx.event
    def close_new_key(self, open_: bool = False):
        """The shown-once dialog closed (its button, Esc, outside click): the key is forgotten."""
        if not open_:
            self.new_key = self.new_key_note = ""

    @authorized("admin")
    def ask_revoke(self, actor, key_id: int):
        row = next((r for r in self.rows if r.id == int(key_id)), None)
        if row is None or row.state == "revoked":
            return
        self.revoke_id, self.revoke_text = row.id, self._t("apikeys_confirm_revoke", name=row.name)

    @rx.event
    def cancel_revoke(self):
        self.revoke_id = 0

    @authorized("admin")
    def confirm_revoke(self, actor):
        key_id, self.revoke_id = self.revoke_id, 0
        if not key_id:
            return None
        with session_scope() as session:
            key = keys_service.revoke_key(session=session, actor=actor, key_id=key_id)
        clock = clock_for(actor, self.lang)
        self.rows = [self._row(key, clock) if r.id == key.id else r for r in self.rows]
        return rx.toast.success(self._t("apikeys_revoked_done", name=key.name))
