"""The customer form (full and quick variants): one state used by every page that embeds it.

Text inputs are uncontrolled and read from the submitted form, so typing sends no events; the state
holds only what changes the form's shape: the client type, the phone/e-mail rows and the tags.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from typing import TypeVar

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customer_form import (
    PARSED_FIELDS,
    TEXT_FIELDS,
    input_index_keys,
    parse_customer_form,
    row_field,
)
from crm_app.domain.customers import CLIENT_TYPES, CustomerDTO
from crm_app.domain.dto import Actor, fields_of
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.tax_ids import format_only, tax_id_types
from crm_app.i18n import t
from crm_app.services import auth as auth_service
from crm_app.services import customers as customer_service
from crm_app.services import form_config as form_service
from crm_app.states.dialogs import dialog_flags
from crm_app.states.form_items import FormItem, custom_form_values, form_items
from crm_app.states.record_form import RecordForm
from crm_app.states.session import SessionState, authorized

DUPLICATE_CODES = {"duplicate_phone", "duplicate_email", "duplicate_tax_id", "duplicate_loyalty_id"}


# Rows of phones or e-mails a form shows at most (the checks allow more, for imports and the API).
MAX_ROWS = 10
R = TypeVar("R", "PhoneRow", "EmailRow")


# The states whose client picker opens the quick form (states/client_picker.py fills it as they are
# defined): full state name -> the state, whose ``take_new_client(id)`` picks the customer saved here.
QUICK_RETURNS: dict[str, type[rx.State]] = {}


def _new_key() -> str:
    # Random, not a counter: with several workers two events of one form may run in two processes.
    return "k" + secrets.token_hex(4)


@dataclasses.dataclass
class PhoneRow:
    key: str
    number: str = ""
    kind: str = ""  # automatic: the server takes the number's own type
    label: str = ""
    whatsapp: bool = False
    viber: bool = False
    sms: bool = False


@dataclasses.dataclass
class EmailRow:
    key: str
    address: str = ""
    accepts_email: bool = False


def _with_new_row(rows: list[R], primary: str, row_type: Callable[..., R]) -> tuple[list[R], str]:
    """The phone or e-mail rows with an empty one added (up to MAX_ROWS); the first row is primary
    when none is."""
    if len(rows) >= MAX_ROWS:
        return rows, primary
    rows = [*rows, row_type(key=_new_key())]
    return rows, primary or rows[0].key


def _without_row(rows: list[R], primary: str, key: str) -> tuple[list[R], str]:
    """The rows without ``key``'s; when it was the primary one, the first row left is."""
    rows = [r for r in rows if r.key != key]
    if primary == key:
        primary = rows[0].key if rows else ""
    return rows, primary


def format_only_hint(country: str, types: list[str], lang: str) -> str:
    """Says which ID types are checked for their shape only (no public check digit), so staff know a
    typo there is not caught; "" when every type offered has a check digit. The generic "tax_id" is
    not named: it is the fallback for any document."""
    shape_only = [t(f"tax_type_{code}", lang) for code in types
                  if code not in ("tax_id", "passport") and format_only(country, code)]
    return t("tax_format_only_hint", lang, types=", ".join(shape_only)) if shape_only else ""


def _text(value: object) -> str:
    return "" if value is None else str(value)


@dialog_flags("open")
class CustomerFormState(RecordForm, SessionState):
    open: bool = False
    mode: str = "create"  # create | edit
    quick: bool = False
    client_type: str = "person"
    tax_types: list[str] = []
    tax_hint: str = ""  # which of the offered ID types are only checked for their shape
    values: dict[str, str] = {}
    flags: dict[str, bool] = {}
    phones: list[PhoneRow] = []
    phone_primary: str = ""
    emails: list[EmailRow] = []
    email_primary: str = ""
    tags: list[str] = []
    tag_draft: str = ""
    tag_suggestions: list[str] = []
    channels: list[list[str]] = []
    phone_labels: list[str] = []  # the organization's own phone types, suggested for "Other"
    # The organization's form for the client type: shown fields in order, custom fields included.
    items: list[FormItem] = []
    errors: dict[str, str] = {}
    error_links: dict[str, str] = {}
    # field -> /customers/merge?ids=<this>,<the other>: editing, an admin may merge with the duplicate found
    merge_links: dict[str, str] = {}
    form_error: str = ""
    # Bumped at every opening so React remounts the uncontrolled inputs with fresh defaults.
    generation: int = 0
    # The last customer this form saved: pages embedding the quick form (orders, leads...) read it.
    last_saved_id: int = 0
    last_saved_name: str = ""
    _customer_id: int = 0
    _version: int = 0
    _country: str = ""
    _stored_custom: dict[int, tuple] = {}
    # The client picker that opened this form (a key of QUICK_RETURNS), "" for the list and the profile.
    _return_to: str = ""
    _source: str = "form"  # a new customer's source: "order" or "sale" when created inside one

    # -- opening ----------------------------------------------------------------------------
    def _prepare(self, actor: Actor, *, quick: bool, return_to: str = "") -> None:
        self._return_to = return_to if return_to in QUICK_RETURNS else ""
        with session_scope() as session:
            self._country = auth_service.organization_of(session, actor).country
            self.channels = [
                [str(i), name] for i, name in customer_service.list_channels(session=session, actor=actor)
            ]
            self.phone_labels = customer_service.list_phone_labels(session=session, actor=actor)
        self.quick, self.open, self.generation = quick, True, self.generation + 1
        self.errors, self.error_links, self.merge_links, self.form_error = {}, {}, {}, ""
        self.tag_suggestions, self.tag_draft = [], ""

    @authorized()
    def open_create(self, actor, quick: bool = False):
        self._open_blank(actor, quick=bool(quick))

    def _open_blank(self, actor: Actor, *, quick: bool, return_to: str = "", source: str = "form") -> None:
        """A new customer's form; ``return_to`` (a state in QUICK_RETURNS) gets the saved customer, whose
        source is ``source`` (set by the server, never by the browser)."""
        self._prepare(actor, quick=quick, return_to=return_to)
        self._source = source
        self.mode, self._customer_id, self._version = "create", 0, 0
        self.values, self.flags, self.tags = {}, {}, []
        first_phone, first_email = PhoneRow(key=_new_key()), EmailRow(key=_new_key())
        self.phones, self.phone_primary = [first_phone], first_phone.key
        self.emails, self.email_primary = [first_email], first_email.key
        self._stored_custom = {}
        self._set_type(actor, "person")

    @authorized()
    def open_edit(self, actor, customer_id: int):
        with session_scope() as session:
            customer = customer_service.get_customer(
                session=session, actor=actor, customer_id=int(customer_id)
            )
        self._prepare(actor, quick=False)
        self.mode, self._customer_id, self._version = "edit", customer.id, customer.version
        self._load(actor, customer)

    def _load(self, actor: Actor, c: CustomerDTO) -> None:
        self.values = {name: _text(getattr(c, name)) for name in (*TEXT_FIELDS, *PARSED_FIELDS)}
        self.values["tax_id"] = c.tax_id_formatted or c.tax_id
        self.values["discount_percent"] = _text(c.discount_percent.normalize()) if c.discount_percent else ""
        self.values["channel_id"] = _text(c.channel_id)
        self.flags = {"is_supplier": c.is_supplier, "is_conflictive": c.is_conflictive}
        self.phones = [fields_of(PhoneRow, p, key=_new_key(), number=p.national or p.raw) for p in c.phones]
        self.phone_primary = next(
            (r.key for r, p in zip(self.phones, c.phones, strict=True) if p.primary), "")
        self.emails = [
            fields_of(EmailRow, e, key=_new_key()) for e in c.emails
        ]
        self.email_primary = next(
            (r.key for r, e in zip(self.emails, c.emails, strict=True) if e.primary), "")
        if not self.phones:
            self.add_phone_row()
        if not self.emails:
            self.add_email_row()
        self.tags = list(c.tags)
        self._stored_custom = dict(c.custom)
        self._set_type(actor, c.client_type)

    def _set_type(self, actor: Actor, client_type: str) -> None:
        self.client_type = client_type if client_type in CLIENT_TYPES else "person"
        self.tax_types = tax_id_types(self._country, self.client_type)
        self.tax_hint = format_only_hint(self._country, self.tax_types, self.lang)
        with session_scope() as session:
            config = form_service.get_form_config(session=session, actor=actor, client_type=self.client_type)
        self.items = form_items(config, self.lang, quick=self.quick, stored=self._stored_custom)

    @rx.event
    def set_open(self, value: bool):
        self.open = value

    @authorized()
    def pick_type(self, actor, client_type: str):
        self._set_type(actor, client_type)

    # -- rows -------------------------------------------------------------------------------
    @rx.event
    def add_phone_row(self):
        self.phones, self.phone_primary = _with_new_row(self.phones, self.phone_primary, PhoneRow)

    @rx.event
    def remove_phone_row(self, key: str):
        self.phones, self.phone_primary = _without_row(self.phones, self.phone_primary, key)

    @rx.event
    def add_email_row(self):
        self.emails, self.email_primary = _with_new_row(self.emails, self.email_primary, EmailRow)

    @rx.event
    def remove_email_row(self, key: str):
        self.emails, self.email_primary = _without_row(self.emails, self.email_primary, key)

    # -- tags -------------------------------------------------------------------------------
    @authorized()
    def type_tag(self, actor, text: str):
        self.tag_draft = text[:50]
        if not self.tag_draft.strip():
            self.tag_suggestions = []
            return
        with session_scope() as session:
            found = customer_service.list_tags(session=session, actor=actor, prefix=self.tag_draft, limit=8)
        self.tag_suggestions = [t for t in found if t not in self.tags]

    def _add_tag(self, name: str) -> None:
        name = name.strip()[:50]
        if name and name.lower() not in {t.lower() for t in self.tags} and len(self.tags) < 30:
            self.tags.append(name)

    @rx.event
    def add_tag_draft(self):
        self._add_tag(self.tag_draft)
        self.tag_draft, self.tag_suggestions = "", []

    @rx.event
    def remove_tag(self, name: str):
        self.tags = [t for t in self.tags if t != name]

    # -- saving -----------------------------------------------------------------------------
    @authorized()
    def submit(self, actor, form: dict):
        self._add_tag(self.tag_draft)  # a typed tag counts even if "Add" was not pressed
        self.tag_draft = ""
        phone_keys = [p.key for p in self.phones]
        email_keys = [e.key for e in self.emails]
        data, errors = parse_customer_form(
            form, client_type=self.client_type, phone_keys=phone_keys, email_keys=email_keys, tags=self.tags
        )
        data = dataclasses.replace(data, custom=custom_form_values(self.items, form))
        self.errors, self.error_links, self.merge_links, self.form_error = {}, {}, {}, ""
        index_to_key = input_index_keys(phone_keys, email_keys, form)
        saved = self._save(
            errors,
            lambda exc: self._show_errors(exc, index_to_key, actor),
            create=lambda session: customer_service.create_customer(
                session=session, actor=actor, data=dataclasses.replace(data, source=self._source)),
            update=lambda session: customer_service.update_customer(
                session=session, actor=actor, customer_id=self._customer_id, version=self._version, data=data
            ),
        )
        if saved is None:
            return None
        self.open = False
        self.last_saved_id, self.last_saved_name = saved.id, saved.display_name
        created = self.mode == "create"
        return self._after_save(saved, created)

    def _show_errors(self, exc: ValidationFailed, index_to_key: dict[str, str], actor: Actor) -> None:
        for raw_field, error in exc.errors.items():
            field = row_field(raw_field, index_to_key)
            self.errors[field] = self._err(error)
            if error.code in DUPLICATE_CODES and "customer_id" in error.params:
                self.error_links[field] = f"/customers/{error.params['customer_id']}"
                other = error.params["customer_id"]
                editing = self.mode == "edit" and self._customer_id and other != self._customer_id
                if editing and actor.is_admin:  # the merge page checks the role again
                    self.merge_links[field] = f"/customers/merge?ids={self._customer_id},{other}"
        self.form_error = self._t("validation_failed")

    def _after_save(self, saved: CustomerDTO, created: bool):
        message = self._t("customer_created" if created else "customer_saved", name=saved.display_name)
        if created and not self.quick:
            return [rx.toast.success(message), rx.redirect(f"/customers/{saved.id}")]
        target = QUICK_RETURNS.get(self._return_to) if created else None
        self._return_to = ""
        if target is not None:  # back to the document's picker, which picks him; the page stays as typed
            return [rx.toast.success(message), target.take_new_client(saved.id)]
        return [rx.toast.success(message), self._reload_here()]
