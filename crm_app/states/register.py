"""The public registration page of an invitation (``/register/[token]``), used signed out.

Nothing here trusts the browser: the token is read from the address into a backend var, the client
type, the organization and its form come from the invitation, and only the fields the public form
shows are taken from the submitted form (a forged event cannot set a discount or a credit limit; the
service cuts the input down to the public form again). Every load and submission counts against the
address's hourly limit. Unknown, expired, used and revoked links all show the same message.
"""

from __future__ import annotations

import dataclasses
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customer_form import input_index_keys, parse_customer_form, row_field
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.form_config import FormConfig
from crm_app.domain.registration import EMAIL_KEY, PHONE_KEY, error_place, registration_fields
from crm_app.domain.tax_ids import tax_id_types
from crm_app.i18n import LANGUAGES, t
from crm_app.services import invitations as invitation_service
from crm_app.states.customer_form import DUPLICATE_CODES
from crm_app.states.form_items import FormItem, custom_form_values, form_items
from crm_app.states.session import LANGUAGE_COOKIE, SessionState

# The public form has one phone and one e-mail input: named in the singular unless the admin renamed them.
SINGULAR_LABELS = {"phones": "phone", "emails": "email"}


def registration_items(form: FormConfig, lang: str) -> list[FormItem]:
    """The public form's fields in order, labelled in ``lang``, custom fields included."""
    items = form_items(form, lang)
    for item in items:
        if item.key in SINGULAR_LABELS:
            field = form.field(item.key)
            if not field.own_label(lang):
                item.label = t(SINGULAR_LABELS[item.key], lang)
    return items


def has_language_cookie(cookie_header: str) -> bool:
    """Whether the visitor has picked a language (our cookie came with his connection)."""
    try:
        return LANGUAGE_COOKIE in SimpleCookie(cookie_header or "")
    except CookieError:
        return False


class RegisterState(SessionState):
    phase: str = "loading"  # loading | form | invalid | limited | done
    org_name: str = ""
    client_type: str = "person"
    invited_email: str = ""
    tax_types: list[str] = []
    errors: dict[str, str] = {}
    form_error: str = ""
    registered_name: str = ""

    _token: str = ""
    _form: FormConfig | None = None  # the public form of the invitation's client type

    @rx.var
    def items(self) -> list[FormItem]:
        """Recomputed in the new language when the visitor switches it."""
        return registration_items(self._form, self.lang) if self._form is not None else []

    @rx.var
    def asks_phone(self) -> bool:
        return self._form is not None and self._form.visible("phones")

    @rx.var
    def asks_email(self) -> bool:
        return self._form is not None and self._form.visible("emails")

    def _counted(self) -> bool:
        """Count this request against the address's limit; False (and the page says so) past it."""
        try:
            with session_scope() as session:
                invitation_service.check_rate(session, self._client_ip())
        except invitation_service.TooManyRequests:
            self.phase = "limited"
            return False
        return True

    @rx.event
    def load(self):
        self.errors, self.form_error, self.registered_name = {}, "", ""
        self._token = self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:200]
        if not self._counted():
            return
        try:
            with session_scope() as session:
                opened = invitation_service.open_invitation(session=session, token=self._token)
        except invitation_service.InvitationInvalid:
            self.phase, self.org_name, self._form = "invalid", "", None
            return
        self.org_name, self.client_type, self.invited_email = (
            opened.organization_name, opened.client_type, opened.email)
        self.tax_types = tax_id_types(opened.country, opened.client_type) if opened.country else []
        self._form = opened.form
        # A visitor who never picked a language reads the organization's.
        if opened.language in LANGUAGES and not has_language_cookie(self.router.headers.cookie):
            self.lang = opened.language
        self.phase = "form"

    @rx.event
    def submit(self, form: dict):
        if self.phase != "form" or self._form is None or not self._counted():
            return
        allowed = registration_fields(self._form, form)
        data, errors = parse_customer_form(allowed, client_type=self.client_type, phone_keys=[PHONE_KEY],
                                           email_keys=[EMAIL_KEY], tags=(), source="invitation")
        data = dataclasses.replace(data, custom=custom_form_values(self.items, form))
        self.errors, self.form_error = {}, ""
        try:
            if errors:
                raise ValidationFailed(errors)
            with session_scope() as session:
                created = invitation_service.register(session=session, token=self._token, data=data)
        except ValidationFailed as exc:
            self._show_errors(exc, input_index_keys([PHONE_KEY], [EMAIL_KEY], allowed))
            return
        except invitation_service.InvitationInvalid:
            self.phase, self._form = "invalid", None
            return
        self.registered_name, self.phase, self._token, self._form = created.display_name, "done", "", None

    def _show_errors(self, exc: ValidationFailed, index_to_key: dict[str, str]) -> None:
        for field, error in exc.errors.items():
            # A duplicate names the customer who has the value: never shown to the public.
            text = self._t("register_duplicate") if error.code in DUPLICATE_CODES else self._err(error)
            self.errors[error_place(row_field(field, index_to_key))] = text
        self.form_error = self._t("validation_failed")
