"""The "Convert to customer" dialog of a lead's page.

It opens with the lead's fields carried over into the customer form's own field names (the name as a
person's first and last names or as a company's legal name, its phone, e-mail, source and notes) and
shows, for the client type the user picks, what the organization's form requires besides (a tax ID, a
city, a custom field...), so a lead that lacks one is completed here. The submitted text is parsed as
the customer form's (``domain.customer_form``) and converted by ``services/lead_conversion`` in one
transaction. A value another customer already has is refused next to its field with a link to him,
and "Link to this customer" marks the lead won for him instead.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customer_form import input_index_keys, parse_customer_form, row_field
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, ValidationFailed
from crm_app.domain.form_config import FormConfig
from crm_app.domain.leads import LeadDTO, customer_names
from crm_app.domain.tax_ids import tax_id_types
from crm_app.i18n import t
from crm_app.services import auth as auth_service
from crm_app.services import customers as customer_service
from crm_app.services import form_config as form_service
from crm_app.services import lead_conversion
from crm_app.services import leads as lead_service
from crm_app.states.customer_form import DUPLICATE_CODES
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.form_items import FormItem, builtin_label, custom_form_values, form_items
from crm_app.states.forms import text
from crm_app.states.session import SessionState, authorized

# One phone and one e-mail row: the lead has one of each (customer_form's row keys).
PHONE, EMAIL = "p", "e"
# Shown even when the form does not require them: what the lead carries over.
CARRIED = ("channel_id", "notes")
SINGLE_LABELS = {"phones": "lead_phone", "emails": "lead_email"}


def _items(config: FormConfig, lang: str) -> list[FormItem]:
    """The quick form's fields (names, contacts, whatever is required) and the carried-over ones."""
    items = form_items(config, lang, quick=True)
    own_label = {f.key for f in config.builtin if f.own_label(lang)}
    for item in items:  # one of each here: "Teléfono", not the customer form's "Teléfonos"
        if item.key in SINGLE_LABELS and item.key not in own_label:
            item.label = t(SINGLE_LABELS[item.key], lang)
    shown = {i.key for i in items}
    for field in config.builtin:
        if field.key in CARRIED and field.visible and field.key not in shown:
            label = builtin_label(field, lang)
            items.append(FormItem(key=field.key, label=label, wide=field.key == "notes"))
    return items


def _values(lead: LeadDTO, client_type: str) -> dict[str, str]:
    return {
        **customer_names(lead.name, client_type),
        f"phones.{PHONE}.number": lead.phone_raw, f"emails.{EMAIL}.address": lead.email,
        "channel_id": str(lead.channel_id or ""), "notes": lead.notes,
    }


@dialog_flags("open")
class LeadConversionState(Refusals, SessionState):
    open: bool = False
    client_type: str = "person"
    items: list[FormItem] = []
    values: dict[str, str] = {}  # the inputs' starting values, by the customer form's names
    channels: list[list[str]] = []
    tax_types: list[list[str]] = []  # [code, label] of the ID types for the country and client type
    errors: dict[str, str] = {}
    error_links: dict[str, str] = {}  # field -> the profile of the customer who already has its value
    form_error: str = ""
    duplicate_name: str = ""  # the customer a duplicate named: "Link to this customer" offers him
    generation: int = 0  # bumped at each opening or type change: the uncontrolled inputs remount
    _lead_id: int = 0
    _version: int = 0
    _duplicate_id: int = 0
    _country: str = ""

    def _clear_errors(self) -> None:
        self.errors, self.error_links, self.form_error = {}, {}, ""
        self.duplicate_name, self._duplicate_id = "", 0

    def _show_type(self, actor: Actor, lead: LeadDTO, client_type: str) -> None:
        self.client_type = client_type if client_type in CLIENT_TYPES else "person"
        self.tax_types = [[code, self._t(f"tax_type_{code}")]
                          for code in tax_id_types(self._country, self.client_type)]
        with session_scope() as session:
            config = form_service.get_form_config(session=session, actor=actor, client_type=self.client_type)
        self.items = _items(config, self.lang)
        self.values = _values(lead, self.client_type)
        self._clear_errors()
        self.generation += 1

    def _lead(self, actor: Actor) -> LeadDTO:
        with session_scope() as session:
            return lead_service.get_lead(session=session, actor=actor, lead_id=self._lead_id)

    @authorized()
    def open_for(self, actor, lead_id: int):
        """Open the dialog for the lead ``lead_id`` with its fields carried over."""
        with session_scope() as session:
            lead = lead_service.get_lead(session=session, actor=actor, lead_id=lead_id)
            self._country = auth_service.organization_of(session, actor).country
            self.channels = [
                [str(i), name] for i, name in customer_service.list_channels(session=session, actor=actor)
            ]
        if lead.customer_id is not None:
            return rx.toast.info(self._t("lead_already_converted"))
        self._lead_id, self._version = lead.id, lead.version
        self._show_type(actor, lead, "person")
        self.open = True
        return None

    @rx.event
    def set_open(self, value: bool):
        self.open = bool(value) and self._lead_id != 0

    @authorized()
    def pick_type(self, actor, client_type: str):
        """Another client type: its form's fields, the name carried over as that type takes it."""
        if self.open:
            self._show_type(actor, self._lead(actor), client_type)

    @authorized()
    def submit(self, actor, form: dict):
        if not self.open:
            return None
        data, errors = parse_customer_form(
            {**form, "phone_primary": PHONE, "email_primary": EMAIL}, client_type=self.client_type,
            phone_keys=[PHONE], email_keys=[EMAIL], tags=text(form, "tags").split(","), source="lead",
        )
        data = dataclasses.replace(data, custom=custom_form_values(self.items, form))
        self._clear_errors()  # the inputs keep what was typed: same generation
        try:
            if errors:
                raise ValidationFailed(errors)
            with session_scope() as session:
                lead, customer = lead_conversion.convert_lead(
                    session=session, actor=actor, lead_id=self._lead_id, version=self._version, data=data)
        except ValidationFailed as exc:
            self._show_errors(exc, input_index_keys([PHONE], [EMAIL], form))
            self._refused()
            return None
        except Conflict as exc:
            self.form_error = self._err(exc)
            return None
        message = self._t("lead_converted_toast", name=lead.name, customer=customer.display_name)
        return self._done(lead.id, message)

    @authorized()
    def link_existing(self, actor):
        """Mark the lead won for the customer a duplicate named, instead of creating another."""
        if not (self.open and self._duplicate_id):
            return None
        try:
            with session_scope() as session:
                lead = lead_conversion.link_lead(session=session, actor=actor, lead_id=self._lead_id,
                                                 version=self._version, customer_id=self._duplicate_id)
        except ValidationFailed as exc:  # he was deleted since: only his own field's message
            self.form_error = self._err(exc.errors["customer_id"])
            return None
        except Conflict as exc:
            self.form_error = self._err(exc)
            return None
        return self._done(lead.id, self._t("lead_linked_toast", name=lead.name, customer=lead.customer_name))

    def _show_errors(self, exc: ValidationFailed, index_to_key: dict[str, str]) -> None:
        for raw_field, error in exc.errors.items():
            field = row_field(raw_field, index_to_key)
            self.errors[field] = self._err(error)
            if error.code in DUPLICATE_CODES and "customer_id" in error.params:
                self.error_links[field] = f"/customers/{error.params['customer_id']}"
                if not self._duplicate_id:
                    self._duplicate_id = int(error.params["customer_id"])
                    self.duplicate_name = str(error.params.get("name", ""))
        self.form_error = self._t("validation_failed")

    def _done(self, lead_id: int, message: str):
        """Closed; the lead's page is read again and shows its customer."""
        self.open, self._lead_id, self._version = False, 0, 0
        return [rx.toast.success(message), rx.redirect(f"/leads/{lead_id}", replace=True)]
