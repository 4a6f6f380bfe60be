"""The admin's Users page: one page of users in state, keyset paged by the database."""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor, UserDTO
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.local_time import Clock
from crm_app.services import users as users_service
from crm_app.states.clock import clock_for
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.forms import field_errors, text
from crm_app.states.page_trail import PageTrail
from crm_app.states.session import SessionState, authorized

PAGE = 25


@dataclasses.dataclass
class UserRow:
    id: int
    name: str
    email: str
    role: str
    active: bool
    last_login: str
    is_me: bool


@dialog_flags("create_open", "confirm_kind", "secret_value")
class UsersState(Refusals, SessionState):
    rows: list[UserRow] = []
    search: str = ""
    has_next: bool = False
    page_number: int = 1
    # Keyset cursors (name, id) of this page and the ones before it; kept on the server only.
    _at: PageTrail[tuple[str, int]] = PageTrail(("", 0))

    create_open: bool = False
    create_errors: dict[str, str] = {}
    # A temporary password is shown once, then forgotten.
    secret_title: str = ""
    secret_value: str = ""

    confirm_kind: str = ""
    confirm_text: str = ""
    _confirm_user_id: int = 0

    def _fetch(self, actor: Actor, at: PageTrail[tuple[str, int]] | None = None) -> None:
        """The page at ``at`` (default: this one again, after a change)."""
        self._at = at or self._at
        self.page_number = self._at.number
        after_name, after_id = self._at.cursor
        with session_scope() as session:
            found = users_service.list_users(session=session, actor=actor, search=self.search,
                                             after_name=after_name, after_id=after_id, limit=PAGE + 1)
        self.has_next = len(found) > PAGE
        clock = clock_for(actor, self.lang)
        self.rows = [self._row(u, actor, clock) for u in found[:PAGE]]

    @staticmethod
    def _row(user: UserDTO, actor: Actor, clock: Clock) -> UserRow:
        return UserRow(id=user.id, name=user.name, email=user.email, role=user.role, active=user.is_active,
                       last_login=clock.exact_or_blank(user.last_login_at), is_me=user.id == actor.user_id)

    def _first_page(self, actor: Actor) -> None:
        self._fetch(actor, PageTrail(("", 0)))

    @authorized("admin")
    def load(self, actor):
        self.create_open, self.secret_value, self.confirm_kind = False, "", ""
        self._first_page(actor)

    @authorized("admin")
    def set_search(self, actor, value: str):
        self.search = value[:100]
        self._first_page(actor)

    @authorized("admin")
    def next_page(self, actor):
        if self.has_next and self.rows:
            last = self.rows[-1]
            self._fetch(actor, self._at.forward((last.name, last.id)))

    @authorized("admin")
    def previous_page(self, actor):
        if self._at.has_previous:
            self._fetch(actor, self._at.back())

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value
        self.create_errors = {}

    @authorized("admin")
    def create_user(self, actor, form: dict):
        try:
            with session_scope() as session:
                user, temporary = users_service.create_user(
                    session=session, actor=actor, name=text(form, "name"), email=text(form, "email"),
                    role=text(form, "role") or "sales", language=text(form, "language") or self.lang)
        except ValidationFailed as exc:
            self.create_errors = field_errors(exc, self.lang)
            self._refused()
            return None
        self.create_open, self.create_errors = False, {}
        self.secret_title = f"{self._t('user_created')} {user.email}"
        self.secret_value = temporary
        self._fetch(actor)
        return None

    @rx.event
    def close_secret(self):
        self.secret_value = self.secret_title = ""

    @authorized("admin")
    def change_role(self, actor, user_id: int, role: str):
        try:
            with session_scope() as session:
                users_service.set_role(session=session, actor=actor, user_id=int(user_id), role=role)
        except FieldError as exc:
            return rx.toast.error(self._err(exc))
        self._fetch(actor)
        return rx.toast.success(self._t("user_updated"))

    @authorized("admin")
    def enable(self, actor, user_id: int):
        return self._set_active(actor, int(user_id), True)

    def _set_active(self, actor: Actor, user_id: int, active: bool):
        try:
            with session_scope() as session:
                users_service.set_active(session=session, actor=actor, user_id=user_id, active=active)
        except FieldError as exc:
            return rx.toast.error(self._err(exc))
        self._fetch(actor)
        return rx.toast.success(self._t("user_updated"))

    @authorized("admin")
    def ask(self, actor, kind: str, user_id: int, email: str):
        """Open the confirmation dialog for a destructive action (disable, reset password)."""
        if kind not in {"disable", "reset"}:
            return
        self.confirm_kind, self._confirm_user_id = kind, int(user_id)
        key = "confirm_disable" if kind == "disable" else "confirm_reset_password"
        self.confirm_text = self._t(key, email=email)

    @rx.event
    def cancel_confirm(self):
        self.confirm_kind, self._confirm_user_id = "", 0

    @authorized("admin")
    def confirm(self, actor):
        kind, user_id = self.confirm_kind, self._confirm_user_id
        self.confirm_kind, self._confirm_user_id = "", 0
        if kind == "disable":
            return self._set_active(actor, user_id, False)
        if kind == "reset":
            with session_scope() as session:
                temporary = users_service.reset_password(session=session, actor=actor, user_id=user_id)
            email = next((r.email for r in self.rows if r.id == user_id), "")
            self.secret_title = self._t("password_reset_done", email=email)
            self.secret_value = temporary
        return None
