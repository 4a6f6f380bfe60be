"""The account form dialog, opened from the accounts list (new, edit) and from the account page (edit).

Inputs are uncontrolled and read from the submitted form (typing sends no events); the state holds
the values shown when the dialog opens, the owner choices and the per-field errors.
"""

from __future__ import annotations

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.accounts import ACCOUNT_CLIENT_TYPE, AccountDTO, AccountInput
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.domain.tax_ids import tax_id_types
from crm_app.services import accounts as account_service
from crm_app.services import auth as auth_service
from crm_app.states.dialogs import dialog_flags
from crm_app.states.forms import field_errors, text
from crm_app.states.record_form import RecordForm
from crm_app.states.session import SessionState, authorized

TEXT_FIELDS = ("name", "tax_id", "address", "city", "phone", "email", "industry", "notes")


def parse_account_form(form: dict) -> tuple[AccountInput, dict[str, FieldError]]:
    """The submitted form as an AccountInput; an owner that is not a number is a field error."""
    errors: dict[str, FieldError] = {}
    owner = text(form, "owner_id").strip()
    owner_id = None
    if owner:
        owner_id = parse_id(owner)
        if owner_id is None:
            errors["owner_id"] = FieldError("account_owner_unknown")
    tags = tuple(t.strip() for t in text(form, "tags").split(",") if t.strip())
    data = AccountInput(
        **{name: text(form, name) for name in TEXT_FIELDS},
        tax_id_type=text(form, "tax_id_type"),
        owner_id=owner_id,
        tags=tags,
    )
    return data, errors


@dialog_flags("open")
class AccountFormState(RecordForm, SessionState):
    open: bool = False
    mode: str = "create"  # create | edit
    values: dict[str, str] = {}
    owners: list[list[str]] = []
    tax_types: list[str] = []
    errors: dict[str, str] = {}
    form_error: str = ""
    # Bumped at every opening so React remounts the uncontrolled inputs with fresh defaults.
    generation: int = 0
    _account_id: int = 0
    _version: int = 0

    def _prepare(self, actor) -> None:
        with session_scope() as session:
            country = auth_service.organization_of(session, actor).country
            self.owners = [
                [str(i), n] for i, n in account_service.owner_options(session=session, actor=actor)
            ]
        self.tax_types = tax_id_types(country, ACCOUNT_CLIENT_TYPE)
        self.errors, self.form_error = {}, ""
        self.open, self.generation = True, self.generation + 1

    @authorized()
    def open_create(self, actor):
        self._prepare(actor)
        self.mode, self._account_id, self._version, self.values = "create", 0, 0, {}

    @authorized()
    def open_edit(self, actor, account_id: int):
        with session_scope() as session:
            account = account_service.get_account(session=session, actor=actor, account_id=int(account_id))
        self._prepare(actor)
        self.mode, self._account_id, self._version = "edit", account.id, account.version
        self.values = _values(account)

    @rx.event
    def set_open(self, value: bool):
        self.open = bool(value)

    @authorized()
    def submit(self, actor, form: dict):
        data, errors = parse_account_form(form)
        self.errors, self.form_error = {}, ""
        saved = self._save(
            errors,
            self._show_errors,
            create=lambda session: account_service.create_account(session=session, actor=actor, data=data),
            update=lambda session: account_service.update_account(
                session=session, actor=actor, account_id=self._account_id, version=self._version, data=data
            ),
        )
        if saved is None:
            return None
        self.open = False
        if self.mode == "create":
            return [
                rx.toast.success(self._t("account_created", name=saved.name)),
                rx.redirect(f"/accounts/{saved.id}"),
            ]
        return [rx.toast.success(self._t("account_saved", name=saved.name)), self._reload_here()]

    def _show_errors(self, exc: ValidationFailed) -> None:
        self.errors = field_errors(exc, self.lang)
        self.form_error = self._t("validation_failed")


def _values(a: AccountDTO) -> dict[str, str]:
    return {
        "name": a.name,
        "tax_id_type": a.tax_id_type,
        "tax_id": a.tax_id_formatted or a.tax_id,
        "address": a.address,
        "city": a.city,
        "phone": a.phone_raw or a.phone_international,
        "email": a.email,
        "industry": a.industry,
        "owner_id": str(a.owner_id or ""),
        "notes": a.notes,
        "tags": ", ".join(a.tags),
    }
