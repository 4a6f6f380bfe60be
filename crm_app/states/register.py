"""The public registration page of an invitation (``/register/[token]``), used signed out.

Nothing here trusts the browser: the token is read from the address into a backend var, the client
type and the organization come from the invitation, and only the fields the page shows are taken
from the submitted form (a forged event cannot set a discount or a credit limit). Every load and
submission counts against the address's hourly limit. Unknown, expired, used and revoked links all
show the same message.
"""

from __future__ import annotations

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customer_form import input_index_keys, parse_customer_form, row_field
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.tax_ids import tax_id_types
from crm_app.services import invitations as invitation_service
from crm_app.states.customer_form import DUPLICATE_CODES
from crm_app.states.session import SessionState

PHONE_KEY, EMAIL_KEY = "p", "e"
# What the invited client may fill in; everything else in a submitted form is ignored.
ALLOWED_FIELDS = frozenset({
    "first_name", "last_name", "legal_name", "trade_name", "contact_name", "tax_id_type", "tax_id",
    "street", "city", "birthday",
    f"phones.{PHONE_KEY}.number", f"phones.{PHONE_KEY}.whatsapp", f"phones.{PHONE_KEY}.sms",
    f"emails.{EMAIL_KEY}.address", f"emails.{EMAIL_KEY}.accepts_email",
})


def registration_fields(form: dict) -> dict:
    """The submitted fields the invited client may set (the rest is dropped), his one phone and
    e-mail marked primary."""
    allowed = {key: value for key, value in form.items() if key in ALLOWED_FIELDS}
    allowed["phone_primary"], allowed["email_primary"] = PHONE_KEY, EMAIL_KEY
    return allowed


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
            self.phase, self.org_name = "invalid", ""
            return
        self.org_name, self.client_type, self.invited_email = (
            opened.organization_name, opened.client_type, opened.email)
        self.tax_types = tax_id_types(opened.country, opened.client_type) if opened.country else []
        self.phase = "form"

    @rx.event
    def submit(self, form: dict):
        if self.phase != "form" or not self._counted():
            return
        allowed = registration_fields(form)
        data, errors = parse_customer_form(allowed, client_type=self.client_type, phone_keys=[PHONE_KEY],
                                           email_keys=[EMAIL_KEY], tags=(), source="invitation")
        self.errors, self.form_error = {}, ""
        try:
            if errors:
                raise ValidationFailed(errors)
            with session_scope() as session:
                created = invitation_service.register(session=session, token=self._token, data=data)
        except ValidationFailed as exc:
            index_to_key = input_index_keys([PHONE_KEY], [EMAIL_KEY], allowed)
            for field, error in exc.errors.items():
                # A duplicate names the customer who has the value: never shown to the public.
                text = self._t("register_duplicate") if error.code in DUPLICATE_CODES else self._err(error)
                self.errors[row_field(field, index_to_key)] = text
            self.form_error = self._t("validation_failed")
            return
        except invitation_service.InvitationInvalid:
            self.phase = "invalid"
            return
        self.registered_name, self.phase, self._token = created.display_name, "done", ""
