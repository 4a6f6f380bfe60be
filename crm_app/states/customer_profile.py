"""One customer's profile: the header (name, badges, key facts, call/WhatsApp), the data sections the
organization's form shows, and delete/restore. The feed beside it is ``CustomerFeedState``."""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.custom_values import display_value
from crm_app.domain.customers import CustomerDTO, PhoneDTO
from crm_app.domain.dto import Actor, fields_of
from crm_app.domain.errors import NotFound, ValidationFailed
from crm_app.domain.locale_format import format_percent
from crm_app.i18n.browser import PROFILE_FACTS
from crm_app.services import customers as customer_service
from crm_app.services import form_config as form_service
from crm_app.services import merge as merge_service
from crm_app.states.customer_feed import CustomerFeedState, customer_id_from_path, reader_for
from crm_app.states.dialogs import dialog_flags
from crm_app.states.form_items import builtin_label
from crm_app.states.record_page import RecordPage
from crm_app.states.session import SessionState, authorized

# Profile rows named otherwise than their form field.
_FORM_KEYS = {"channel": "channel_id"}


@dataclasses.dataclass
class EmailView:
    address: str
    accepts_email: bool
    primary: bool


@dialog_flags("confirm_delete")
class CustomerState(RecordPage, SessionState):
    """One customer's profile: header, data sections; the feed beside it is CustomerFeedState."""

    customer_id: int = 0
    client_type: str = ""
    deleted: bool = False
    phones: list[PhoneDTO] = []
    emails: list[EmailView] = []
    supplier: bool = False
    conflictive: bool = False
    latitude: str = ""  # for the map; empty when the customer has no point
    longitude: str = ""
    facts: list[list[str]] = []  # [label key, value] shown in the header: discount, credit, loyalty, birthday
    # The phone's action bar: Call dials the primary phone, WhatsApp the first phone that has it.
    call_e164: str = ""
    call_number: str = ""  # as shown, for the button's accessible name
    whatsapp_e164: str = ""
    whatsapp_number: str = ""
    sms_e164: str = ""  # the first phone flagged SMS
    sms_number: str = ""

    def _show(self, actor: Actor, c: CustomerDTO) -> None:
        self.found, self.customer_id, self.name, self.client_type = True, c.id, c.display_name, c.client_type
        self.deleted = c.deleted_at is not None
        self.supplier, self.conflictive, self.tags = c.is_supplier, c.is_conflictive, list(c.tags)
        has_point = c.latitude is not None and c.longitude is not None
        self.latitude, self.longitude = (str(c.latitude), str(c.longitude)) if has_point else ("", "")
        self.phones = list(c.phones)
        call = next((p for p in self.phones if p.primary), self.phones[0] if self.phones else None)
        chat = next((p for p in self.phones if p.whatsapp), None)
        self.call_e164, self.call_number = (call.e164, call.international) if call else ("", "")
        self.whatsapp_e164, self.whatsapp_number = (chat.e164, chat.international) if chat else ("", "")
        text = next((p for p in self.phones if p.sms), None)
        self.sms_e164, self.sms_number = (text.e164, text.international) if text else ("", "")
        self.emails = [fields_of(EmailView, e) for e in c.emails]
        reader = reader_for(actor, self.lang)
        # The header's key facts; the details card lists the rest.
        limit = c.credit_limit
        credit = "" if limit is None else reader.money(limit, reader.currency)
        facts = {
            "discount": format_percent(c.discount_percent, reader.lang, reader.country)
            if c.discount_percent else "",  # 12,5% / 12.5%
            "credit_limit": credit,
            "loyalty_id": c.loyalty_id,
            "birthday": reader.plain_date(c.birthday),
        }
        # The page looks their labels up in the browser's catalogue, which keeps them (i18n/browser.SENT).
        self.facts = [[key, facts[key]] for key in PROFILE_FACTS if facts[key]]
        address = ", ".join(x for x in (c.street, c.city, c.region, c.postal_code, c.address_country) if x)
        candidates = [
            ("tax_id", c.tax_id_formatted),
            ("contact_name", c.contact_name),
            ("legal_name", c.legal_name),
            ("trade_name", c.trade_name),
            ("channel", c.channel_name),
            ("address", address),
            ("coordinates", f"{c.latitude}, {c.longitude}" if c.latitude is not None else ""),
            ("notes", c.notes),
            ("source", self._t(f"source_{c.source}")),
            ("created", f"{reader.exact(c.created_at)} · {c.created_by_name}"),
            ("updated", f"{reader.exact(c.updated_at)} · {c.updated_by_name}"),
        ]
        with session_scope() as session:
            config = form_service.get_form_config(session=session, actor=actor, client_type=c.client_type)
        self.fields = [[self._label(config, key), value] for key, value in candidates
                       if value and self._shown(config, key)]
        stored = dict(c.custom)
        for field in config.active_custom:
            text = display_value(field, stored.get(field.id, ()), self.lang)
            if field.kind == "boolean" and text:
                text = self._t("yes" if text == "true" else "no")
            if text:
                self.fields.append([field.label(self.lang), text])

    def _shown(self, config, key: str) -> bool:
        """Fields the organization hid from its form are not shown on the profile either."""
        form_key = _FORM_KEYS.get(key, key)
        return not any(f.key == form_key for f in config.builtin) or config.visible(form_key)

    def _label(self, config, key: str) -> str:
        form_key = _FORM_KEYS.get(key, key)
        field = next((f for f in config.builtin if f.key == form_key), None)
        return builtin_label(field, self.lang) if field else self._t(key)

    @authorized()
    def load(self, actor):
        self.confirm_delete = False
        customer_id = customer_id_from_path(self.router.url.path)
        try:
            with session_scope() as session:
                customer = customer_service.get_customer(
                    session=session, actor=actor, customer_id=customer_id
                )
                # A merged customer's old address leads to the customer he was merged into.
                survivor = merge_service.survivor_of(session, actor.organization_id, customer.id)
        except NotFound:
            self._not_found()
            return None
        if survivor is not None:
            return rx.redirect(f"/customers/{survivor}", replace=True)
        self._show(actor, customer)
        self.loaded = True
        return None

    @authorized()
    def delete(self, actor):
        self.confirm_delete = False
        with session_scope() as session:
            customer_service.delete_customer(session=session, actor=actor, customer_id=self.customer_id)
        message = self._t("customer_moved_to_trash", name=self.name)
        return [rx.toast.success(message), rx.redirect("/customers")]

    @authorized()
    def restore(self, actor):
        try:
            with session_scope() as session:
                restored = customer_service.restore_customer(
                    session=session, actor=actor, customer_id=self.customer_id
                )
        except ValidationFailed as exc:
            return rx.toast.error(self._err(next(iter(exc.errors.values()))))
        self._show(actor, restored)
        # The feed shows the restore at once.
        return [rx.toast.success(self._t("customer_restored", name=restored.display_name)),
                CustomerFeedState.refresh]
