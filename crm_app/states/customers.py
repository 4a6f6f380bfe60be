"""Customer list and customer detail states.

The list's whole query (search, filters, sort, page cursor, trash) lives in the URL
(``states/list_query.py``). One page of rows is held in state, never more.
"""

from __future__ import annotations

import dataclasses
import re

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain import local_time
from crm_app.domain.customers import CLIENT_TYPES, CustomerDTO, CustomerQuery, CustomerRow
from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound, ValidationFailed
from crm_app.domain.custom_values import display_value
from crm_app.services import accounts as account_service
from crm_app.services import customers as customer_service
from crm_app.services import form_config as form_service
from crm_app.states.form_items import builtin_label
from crm_app.states.customer_feed import CustomerFeedState, customer_id_from_path, reader_for
from crm_app.states.list_query import KeysetListState, list_url
from crm_app.states.dialogs import dialog_flags
from crm_app.states.session import SessionState, authorized
from crm_app.domain.ids import parse_id

SORTS = ("name", "-name", "created", "-created")
# Profile rows named otherwise than their form field.
_FORM_KEYS = {"channel": "channel_id"}
PAGE_SIZE = 50


@dataclasses.dataclass
class ListRow:
    id: int
    name: str
    client_type: str
    phone: str
    email: str
    tax_id: str
    tags: list[str]
    supplier: bool
    conflictive: bool


def _row(r: CustomerRow) -> ListRow:
    return ListRow(
        id=r.id,
        name=r.display_name,
        client_type=r.client_type,
        phone=r.primary_phone,
        email=r.primary_email,
        tax_id=r.tax_id_formatted,
        tags=list(r.tags),
        supplier=r.is_supplier,
        conflictive=r.is_conflictive,
    )


@dataclasses.dataclass
class ChoiceFilter:
    """One custom choice field the list filters on, labelled with the field's own name."""

    field_id: str
    label: str
    options: list[list[str]]  # [[option id, option label], ...]


def _read_options(raw: str) -> dict[str, str]:
    """``"<field id>:<option id>,..."`` from the URL: one option per field, ten fields at most."""
    chosen: dict[str, str] = {}
    for pair in raw.split(",")[:10]:
        if re.fullmatch(r"\d{1,12}:\d{1,12}", pair):
            field_id, option_id = pair.split(":")
            chosen.setdefault(field_id, option_id)
    return chosen


def _tristate(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


@dialog_flags("confirm_id")
class CustomersState(KeysetListState, SessionState):
    rows: list[ListRow] = []
    client_type: str = ""
    tag_filter: list[str] = []
    supplier: str = ""
    conflictive: str = ""
    channel: str = ""
    consent: str = ""
    option: str = ""  # "<custom field id>:<option id>,...": customers with those choices
    chosen_options: dict[str, str] = {}  # field id -> option id, as in ``option``
    account: str = ""  # account id: its members only
    account_name: str = ""
    trash: bool = False
    channels: list[list[str]] = []
    tag_options: list[str] = []
    choice_filters: list[ChoiceFilter] = []
    options_loaded: bool = False

    # -- the URL is the query ---------------------------------------------------------------
    def _read_url(self) -> None:
        params = self._read_list_params(SORTS)
        self.client_type = params.get("type", "") if params.get("type", "") in CLIENT_TYPES else ""
        self.tag_filter = [t for t in params.get("tags", "").split(",") if t.strip()][:10]
        self.supplier = params.get("supplier", "") if params.get("supplier") in {"1", "0"} else ""
        self.conflictive = params.get("conflictive", "") if params.get("conflictive") in {"1", "0"} else ""
        self.channel = params.get("channel", "") if parse_id(params.get("channel", "")) else ""
        self.consent = params.get("consent", "") if params.get("consent") in {"1", "0"} else ""
        self.chosen_options = _read_options(str(params.get("option", "")))
        self.option = ",".join(f"{f}:{o}" for f, o in self.chosen_options.items())
        account = params.get("account", "")
        self.account = account if account.isdigit() and len(account) < 12 else ""
        self.trash = params.get("trash") == "1"

    def _url(self, **changes: str) -> str:
        current = {
            "q": self.search,
            "type": self.client_type,
            "tags": ",".join(self.tag_filter),
            "supplier": self.supplier,
            "conflictive": self.conflictive,
            "channel": self.channel,
            "consent": self.consent,
            "option": self.option,
            "account": self.account,
            "sort": "" if self.sort == "name" else self.sort,
            "trash": "1" if self.trash else "",
        }
        return list_url("/customers", current, changes)

    def _query(self, limit: int = PAGE_SIZE) -> CustomerQuery:
        return CustomerQuery(
            search=self.search,
            client_type=self.client_type,
            tags=tuple(self.tag_filter),
            supplier=_tristate(self.supplier),
            conflictive=_tristate(self.conflictive),
            channel_id=int(self.channel) if self.channel else None,
            accepts_email=_tristate(self.consent),
            options=tuple((int(f), int(o)) for f, o in self.chosen_options.items()),
            account_id=int(self.account) if self.account else None,
            sort=self.sort,
            trash=self.trash,
            after=self.cursor,
            limit=limit,
        )

    def _fetch(self, actor: Actor) -> None:
        def page(cursor: str):
            query = dataclasses.replace(self._query(), after=cursor)
            return customer_service.list_customers(session=session, actor=actor, query=query)

        with session_scope() as session:
            self._show_page(page, _row)

    # -- events -----------------------------------------------------------------------------
    @authorized()
    def load(self, actor):
        self._read_url()
        self.confirm_id = 0
        self._fetch(actor)
        self._load_account_name(actor)
        if not self.options_loaded:  # once per visit, not on every keystroke of a search
            self._load_options(actor)

    def _load_account_name(self, actor: Actor) -> None:
        """The filtered account's name for its chip; another organization's id shows as not found."""
        self.account_name = ""
        if self.account:
            try:
                with session_scope() as session:
                    self.account_name = account_service.get_account(
                        session=session, actor=actor, account_id=int(self.account)
                    ).name
            except NotFound:
                self.account_name = self._t("account_not_found")

    def _load_options(self, actor: Actor) -> None:
        with session_scope() as session:
            self.channels = [
                [str(i), n] for i, n in customer_service.list_channels(session=session, actor=actor)
            ]
            self.tag_options = customer_service.list_tags(session=session, actor=actor, limit=50)
            fields = {f.id: f for _, f in form_service.choice_fields(session=session, actor=actor)}
            self.choice_filters = [
                ChoiceFilter(field_id=str(f.id), label=f.label(self.lang),
                             options=[[str(o.id), o.label(self.lang)] for o in f.active_options])
                for f in fields.values() if f.active_options
            ]
        self.options_loaded = True

    @authorized()
    def refresh_tag_options(self, actor):
        """Tags are created from the form at any time: the filter reads them again when opened."""
        self._load_options(actor)

    @rx.event
    def set_filter(self, name: str, value: str):
        if name in {"type", "supplier", "conflictive", "channel", "consent", "option", "account", "sort"}:
            return rx.redirect(self._url(**{name: value if value != "name" else ""}))
        return None

    @rx.event
    def set_choice_filter(self, field_id: str, option_id: str):
        """One choice field's filter; the other fields' stay."""
        if not (isinstance(field_id, str) and field_id.isdigit() and isinstance(option_id, str)):
            return None
        chosen = {**self.chosen_options, field_id: option_id}
        return rx.redirect(self._url(option=",".join(f"{f}:{o}" for f, o in chosen.items() if o)))

    @rx.event
    def add_tag_filter(self, tag: str):
        if tag and tag not in self.tag_filter:
            return rx.redirect(self._url(tags=",".join([*self.tag_filter, tag])))
        return None

    @rx.event
    def remove_tag_filter(self, tag: str):
        return rx.redirect(self._url(tags=",".join(t for t in self.tag_filter if t != tag)))

    @rx.event
    def clear_filters(self):
        return rx.redirect("/customers?trash=1" if self.trash else "/customers")

    @rx.event
    def show_trash(self, value: bool):
        return rx.redirect("/customers?trash=1" if value else "/customers")

    @rx.event
    def ask_delete(self, customer_id: int, name: str):
        self.confirm_id, self.confirm_name = int(customer_id), name

    @authorized()
    def confirm_delete(self, actor):
        customer_id, self.confirm_id = self.confirm_id, 0
        with session_scope() as session:
            customer_service.delete_customer(session=session, actor=actor, customer_id=customer_id)
        self._fetch(actor)
        return rx.toast.success(self._t("customer_moved_to_trash", name=self.confirm_name))

    @authorized()
    def restore(self, actor, customer_id: int):
        try:
            with session_scope() as session:
                restored = customer_service.restore_customer(
                    session=session, actor=actor, customer_id=int(customer_id)
                )
        except ValidationFailed as exc:
            first = next(iter(exc.errors.values()))
            return rx.toast.error(self._err(first))
        self._fetch(actor)
        return rx.toast.success(self._t("customer_restored", name=restored.display_name))


@dataclasses.dataclass
class PhoneView:
    number: str
    international: str
    e164: str
    kind: str
    label: str
    whatsapp: bool
    viber: bool
    sms: bool
    primary: bool


@dataclasses.dataclass
class EmailView:
    address: str
    accepts_email: bool
    primary: bool


@dialog_flags("confirm_delete")
class CustomerState(SessionState):
    """One customer's profile: header, data sections; the feed beside it is CustomerFeedState."""

    found: bool = False
    loaded: bool = False
    customer_id: int = 0
    name: str = ""
    client_type: str = ""
    deleted: bool = False
    fields: list[list[str]] = []
    phones: list[PhoneView] = []
    emails: list[EmailView] = []
    tags: list[str] = []
    supplier: bool = False
    conflictive: bool = False
    confirm_delete: bool = False
    latitude: str = ""  # for the map; empty when the customer has no point
    longitude: str = ""
    facts: list[list[str]] = []  # [label key, value] shown in the header: discount, credit, loyalty, birthday
    # The phone's action bar: Call dials the primary phone, WhatsApp the first phone that has it.
    call_e164: str = ""
    call_number: str = ""  # as shown, for the button's accessible name
    whatsapp_e164: str = ""
    whatsapp_number: str = ""

    def _show(self, actor: Actor, c: CustomerDTO) -> None:
        self.found, self.customer_id, self.name, self.client_type = True, c.id, c.display_name, c.client_type
        self.deleted = c.deleted_at is not None
        self.supplier, self.conflictive, self.tags = c.is_supplier, c.is_conflictive, list(c.tags)
        has_point = c.latitude is not None and c.longitude is not None
        self.latitude, self.longitude = (str(c.latitude), str(c.longitude)) if has_point else ("", "")
        self.phones = [
            PhoneView(
                number=p.national,
                international=p.international,
                e164=p.e164,
                kind=p.kind,
                label=p.label,
                whatsapp=p.whatsapp,
                viber=p.viber,
                sms=p.sms,
                primary=p.primary,
            )
            for p in c.phones
        ]
        call = next((p for p in self.phones if p.primary), self.phones[0] if self.phones else None)
        chat = next((p for p in self.phones if p.whatsapp), None)
        self.call_e164, self.call_number = (call.e164, call.international) if call else ("", "")
        self.whatsapp_e164, self.whatsapp_number = (chat.e164, chat.international) if chat else ("", "")
        self.emails = [
            EmailView(address=e.address, accepts_email=e.accepts_email, primary=e.primary) for e in c.emails
        ]
        reader = reader_for(actor, self.lang)
        # The header's key facts; the details card lists the rest.
        limit = c.credit_limit
        credit = "" if limit is None else local_time.money(limit, reader.currency, reader.lang)
        facts = [
            ("discount", f"{c.discount_percent.normalize():f} %" if c.discount_percent else ""),
            ("credit_limit", credit),
            ("loyalty_id", c.loyalty_id),
            ("birthday", reader.plain_date(c.birthday)),
        ]
        self.facts = [[key, value] for key, value in facts if value]
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
        return builtin_label(form_key, self.lang, field.label_es, field.label_en) if field else self._t(key)

    @authorized()
    def load(self, actor):
        self.confirm_delete = False
        try:
            with session_scope() as session:
                customer = customer_service.get_customer(
                    session=session, actor=actor, customer_id=customer_id_from_path(self.router.url.path)
                )
        except NotFound:
            self.reset()  # nothing of the customer shown before stays in the tab
            self.found, self.loaded = False, True
            return None
        self._show(actor, customer)
        self.loaded = True
        return None

    @rx.event
    def set_confirm_delete(self, value: bool):
        self.confirm_delete = value

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
