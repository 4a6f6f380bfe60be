"""First-run setup, sign-in and the user's own account (password and language)."""

from __future__ import annotations

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain import passwords
from crm_app.domain.countries import COUNTRIES, default_language
from crm_app.domain.errors import Conflict, FieldError, ValidationFailed
from crm_app.services import auth as auth_service
from crm_app.services.organizations import AdminInput, OrganizationInput, setup_first_organization
from crm_app.states.forms import field_errors, one_field, text
from crm_app.states.session import SessionState, authorized, safe_next


class SetupState(SessionState):
    """The first-run page: exists only while the database has no user."""

    errors: dict[str, str] = {}
    country: str = "EC"
    currency: str = "USD"
    timezone: str = "America/Guayaquil"
    busy: bool = False

    @rx.event
    def load(self):
        with session_scope() as session:
            if auth_service.has_any_user(session):
                return rx.redirect("/login", replace=True)
        self.errors = {}

    @rx.event
    def pick_country(self, code: str):
        # A country brings its usual currency and time zone; both stay editable. Its language too
        # (Brazil: Portuguese), unless the visitor reads another than the previous country's.
        country = COUNTRIES.get(code)
        if country is None:
            return
        if self.lang == default_language(self.country):
            self.lang = country.language
        self.country, self.currency, self.timezone = code, country.currency, country.timezone

    @rx.event
    def set_currency(self, value: str):
        self.currency = value

    @rx.event
    def set_timezone(self, value: str):
        self.timezone = value

    @rx.event
    async def submit(self, form: dict):
        password = text(form, "admin_password")
        if password != text(form, "admin_password_repeat"):
            self.errors = {"admin_password_repeat": self._t("passwords_differ")}
            return None
        org = OrganizationInput(
            name=text(form, "org_name"), country=self.country, currency=self.currency.strip().upper(),
            language=self.lang, timezone=self.timezone,
        )
        admin = AdminInput(name=text(form, "admin_name"), email=text(form, "admin_email"), password=password)
        try:
            with session_scope() as session:
                setup_first_organization(session=session, org=org, admin=admin)
                pending = auth_service.start_sign_in(
                    session=session, email=admin.email, password=password,
                    client_token=self.router.session.client_token, ip=self._client_ip(),
                    user_agent=self._user_agent())
        except ValidationFailed as exc:
            self.errors = field_errors(exc, self.lang)
            return None
        except Conflict:
            return [rx.toast.info(self._t("setup_done")), rx.redirect("/login", replace=True)]
        return await self._begin_session(pending.code, "/", pending.actor.language)


class LoginState(SessionState):
    errors: dict[str, str] = {}
    form_error: str = ""

    @rx.event
    def load(self):
        self.errors, self.form_error = {}, ""
        with session_scope() as session:
            if not auth_service.has_any_user(session):
                return rx.redirect("/setup", replace=True)
        notices = self._take_notice()
        if self._actor() is not None:  # e.g. signed in meanwhile in another tab: nothing ended
            return rx.redirect(safe_next(self.router.url.query_parameters.get("next", "/")), replace=True)
        return notices or None

    @rx.event
    async def submit(self, form: dict):
        email, password = text(form, "email"), text(form, "password")
        self.errors, self.form_error = {}, ""
        if not email.strip():
            self.errors["email"] = self._t("required")
        if not password:
            self.errors["password"] = self._t("required")
        if self.errors:
            return None
        try:
            with session_scope() as session:
                pending = auth_service.start_sign_in(
                    session=session, email=email, password=password,
                    client_token=self.router.session.client_token, ip=self._client_ip(),
                    user_agent=self._user_agent())
        except (auth_service.InvalidCredentials, auth_service.Throttled) as exc:
            # One message for unknown e-mail and wrong password: nothing tells which it was.
            self.form_error = self._err(exc)
            return None
        target = safe_next(self.router.url.query_parameters.get("next", "/"))
        target = "/account" if pending.actor.must_change_password else target
        return await self._begin_session(pending.code, target, pending.actor.language)


class AccountState(SessionState):
    errors: dict[str, str] = {}
    must_change: bool = False

    @authorized(allow_temporary_password=True)
    def load(self, actor):
        self.errors = {}
        self.must_change = actor.must_change_password

    @authorized(allow_temporary_password=True)
    async def change_password(self, actor, form: dict):
        current, new = text(form, "current_password"), text(form, "new_password")
        self.errors = {}
        if new != text(form, "new_password_repeat"):
            self.errors = {"new_password_repeat": self._t("passwords_differ")}
            return None
        try:
            passwords.check_policy(new)
            with session_scope() as session:
                code = auth_service.change_own_password(
                    session=session, actor=actor, current=current, new=new,
                    client_token=self.router.session.client_token, ip=self._client_ip(),
                    user_agent=self._user_agent())
        except FieldError as exc:
            field = "current_password" if exc.code == "current_password_wrong" else "new_password"
            self.errors = one_field(field, exc, self.lang)
            return None
        # Every session of the user was ended, this tab's too: it gets a new one, and a clean state.
        return await self._begin_session(code, "/", self.lang, notice="password_changed")
