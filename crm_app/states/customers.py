"""The customer list's state.

The list's whole query (search, filters, sort, page cursor, trash) lives in the URL
(``states/list_query.py``). One page of rows is held in state, never more. One customer's
profile is ``states/customer_profile.py``.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain import local_time
from crm_app.domain.customer_list_params import ListFilters, read_day, read_filters
from crm_app.domain.customers import SORTS, CustomerQuery, CustomerRow
from crm_app.domain.dto import Actor, fields_of
from crm_app.domain.errors import NotFound, ValidationFailed
from crm_app.domain.money import parse_decimal
from crm_app.services import accounts as account_service
from crm_app.services import customers as customer_service
from crm_app.services import form_config as form_service
from crm_app.services import tasks as task_service
from crm_app.services.transfer_access import may_transfer
from crm_app.states.bulk_selection import BulkSelection
from crm_app.states.customer_feed import reader_for
from crm_app.states.customer_filter_chips import ChoiceNames, more_filter_chips
from crm_app.states.dialogs import dialog_flags
from crm_app.states.feed_items import Reader
from crm_app.states.list_query import KeysetListState, list_url
from crm_app.states.session import SessionState, authorized

PAGE_SIZE = 25  # as the other lists: a phone on 3G draws 25 rows in half the time of 50
PURCHASE_SORTS = ("-purchase", "-spent")
# The filters the panel's figures link to, shown as chips: chip key -> the address's parameters it clears.
ORIGIN_CHIPS = {"created": ("created_from", "created_to"), "created_by": ("created_by",),
                "source": ("source",), "reach": ("reach",)}
# The address's filters a wide screen keeps behind "Más filtros" (components/customer_filters.py).
MORE_FILTERS = ("supplier", "conflictive", "channel", "consent", "option", "bought_since", "lapsed_since",
                "min_spent")


@dataclasses.dataclass
class ListRow:
    """What the list shows of a customer (CustomerRow's fields of the same names)."""

    id: int
    display_name: str
    client_type: str
    primary_phone: str
    primary_email: str
    tax_id_formatted: str
    tags: list[str]
    is_supplier: bool
    is_conflictive: bool
    purchases: str = ""  # "$1.250,00 · 2 dic 2026" when the list sorts or filters on purchases
    call_e164: str = ""  # the one-tap links (components/reach_links.py)
    whatsapp_e164: str = ""
    sms_e164: str = ""
    map_point: str = ""


def _row(r: CustomerRow, reader: Reader | None = None) -> ListRow:
    return fields_of(ListRow, r, tags=list(r.tags), purchases=_purchases(r, reader) if reader else "")


def _purchases(r: CustomerRow, reader: Reader) -> str:
    """What he spent and when he last bought, in the organization's currency and time zone."""
    spent = reader.money(r.amount_spent, reader.currency)
    last = reader.day(r.last_purchase_at) if r.last_purchase_at is not None else reader.tr("purchases_never")
    return f"{spent} · {reader.tr('purchases_last_purchase')}: {last}"


@dataclasses.dataclass
class ChoiceFilter:
    """One custom choice field the list filters on, labelled with the field's own name."""

    field_id: str
    label: str
    options: list[list[str]]  # [[option id, option label], ...]


@dialog_flags("confirm_id")
class CustomersState(BulkSelection, KeysetListState, SessionState):
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
    bought_since: str = ""  # YYYY-MM-DD: his last purchase on or after that day
    lapsed_since: str = ""  # YYYY-MM-DD: he bought, but not since that day
    min_spent: str = ""  # "150.50": spent at least that
    created_from: str = ""  # YYYY-MM-DD, a local day: created on or after it
    created_to: str = ""  # YYYY-MM-DD: created on or before it
    created_by: str = ""  # a user id
    source: str = ""  # one of domain.customers.SOURCES
    reach: str = ""  # "none": no phone and no e-mail that accepts mail
    origin_chips: list[list[str]] = []  # [[chip key (ORIGIN_CHIPS), label], ...]: "Creados por Ana"
    more_chips: list[list[str]] = []  # [[param, label], ...]: "Proveedor: Sí" (states/customer_filter_chips)
    filter_errors: dict[str, str] = {}  # the amount box's message when what was typed does not read
    filter_count: int = 0  # how many of the filter controls are set (the phone's "Filtros" button says it)
    more_filter_count: int = 0  # how many of those a wide screen keeps behind "Más filtros" are set
    trash: bool = False
    channels: list[list[str]] = []
    tag_options: list[str] = []
    choice_filters: list[ChoiceFilter] = []
    options_loaded: bool = False
    can_transfer: bool = False  # may import and export (admins; sales when an admin allows it)
    export_query: str = ""  # the list's query without its page: what the export links hand on

    # -- the URL is the query (domain/customer_list_params: the export reads it the same way) --
    def _read_url(self) -> None:
        self._read_list_params(SORTS)
        read = read_filters(self.router.url.query_parameters)
        self.client_type, self.tag_filter = read.client_type, list(read.tags)
        self.supplier, self.conflictive, self.channel = read.supplier, read.conflictive, read.channel
        self.consent, self.account, self.trash = read.consent, read.account, read.trash
        self.chosen_options, self.option = dict(read.options), read.option
        self.bought_since, self.lapsed_since = read.bought_since, read.lapsed_since
        self.min_spent = read.min_spent
        self.created_from, self.created_to = read.created_from, read.created_to
        self.created_by, self.source, self.reach = read.created_by, read.source, read.reach
        self.filter_errors = {}
        self.more_filter_count = sum(1 for _, option in read.options if option) + sum(
            value != "" for value in self._more_values().values())
        self.filter_count = self.more_filter_count + len(self.tag_filter) + (self.client_type != "")

    def _more_values(self) -> dict[str, str]:
        """The dialog's filters but the choice fields (``chosen_options``), by address parameter."""
        return {name: getattr(self, name) for name in MORE_FILTERS if name != "option"}

    def _filters(self) -> ListFilters:
        return ListFilters(
            search=self.search, client_type=self.client_type, tags=tuple(self.tag_filter),
            supplier=self.supplier, conflictive=self.conflictive, channel=self.channel,
            consent=self.consent, options=tuple(self.chosen_options.items()), account=self.account,
            bought_since=self.bought_since, lapsed_since=self.lapsed_since, min_spent=self.min_spent,
            created_from=self.created_from, created_to=self.created_to, created_by=self.created_by,
            source=self.source, reach=self.reach, sort=self.sort, trash=self.trash,
        )

    def _in_address(self) -> ListFilters:
        """The filters of the address the event came from. A filter changed right after another reads
        them here, not from the state: the list may not have loaded the first change yet (a slow phone)."""
        return read_filters(self.router.url.query_parameters)

    def _url(self, **changes: str) -> str:
        return list_url("/customers", self._in_address().params(), changes)

    def _query(self, limit: int = PAGE_SIZE) -> CustomerQuery:
        return self._filters().query(after=self.cursor, limit=limit)

    def _fetch(self, actor: Actor) -> None:
        def page(cursor: str):
            query = dataclasses.replace(self._query(), after=cursor)
            return customer_service.list_customers(session=session, actor=actor, query=query)

        # What each customer bought, shown when the list is about it (one more query, for the locale).
        about_purchases = self.sort in PURCHASE_SORTS or any(
            (self.bought_since, self.lapsed_since, self.min_spent))
        reader = reader_for(actor, self.lang) if about_purchases else None
        with session_scope() as session:
            self._show_page(page, lambda r: _row(r, reader))
            self.can_transfer = may_transfer(session, actor)  # each load: an admin may change it any time

    # -- events -----------------------------------------------------------------------------
    @authorized()
    def load(self, actor):
        self._read_url()
        self.export_query = self._url().partition("?")[2]
        self.confirm_id = 0
        self._clear_selection()  # another filter or page: what was ticked is no longer shown
        if self._counted_query != self.export_query:
            self._forget_count()
        self._fetch(actor)
        self._load_account_name(actor)
        self._label_origin_chips(actor)
        if not self.options_loaded:  # once per visit, not on every keystroke of a search
            self._load_options(actor)
        self._label_more_chips(actor)

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

    def _label_origin_chips(self, actor: Actor) -> None:
        """The panel's filters in words, so that a list opened from a figure says what it holds."""
        chips = []
        if self.created_from or self.created_to:
            chips.append(["created", self._created_label()])
        if self.created_by:
            with session_scope() as session:  # another organization's user reads as unknown
                name = task_service.staff_name(session=session, actor=actor, user_id=int(self.created_by))
            chips.append(["created_by", self._t("listf_created_by", name=name) if name is not None
                          else self._t("listf_created_by_unknown")])
        if self.source:
            chips.append(["source", self._t("listf_source", source=self._t(f"source_{self.source}"))])
        if self.reach:
            chips.append(["reach", self._t("listf_reach_none")])
        self.origin_chips = chips

    def _label_more_chips(self, actor: Actor) -> None:
        """The filters kept in the dialog, in words (after _load_options: it names channels and choices)."""
        if not self.more_filter_count:
            self.more_chips = []
            return
        choices = {f.field_id: ChoiceNames(f.label, dict(f.options)) for f in self.choice_filters}
        self.more_chips = more_filter_chips(self._more_values(), self.chosen_options,
                                            reader=reader_for(actor, self.lang),
                                            channels=dict(self.channels), choices=choices)

    def _created_label(self) -> str:
        """"Creados del 1 nov 2026 al 30 nov 2026", "Creados el 1 nov 2026", "Creados desde el ...", "...
        hasta el ..."."""
        start, end = (local_time.local_date(date.fromisoformat(day), self.lang) if day else ""
                      for day in (self.created_from, self.created_to))
        if start and end and start != end:
            return self._t("listf_created_range", start=start, end=end)
        key = ("listf_created_on" if start == end else "listf_created_since" if start
               else "listf_created_until")
        return self._t(key, day=start or end)

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
        if name in ORIGIN_CHIPS:  # a chip removed: the panel's filters are set by links only
            return rx.redirect(self._url(**dict.fromkeys(ORIGIN_CHIPS[name], "")))
        if name in {"type", "supplier", "conflictive", "channel", "consent", "option", "account", "sort"}:
            return rx.redirect(self._url(**{name: value if value != "name" else ""}))
        if name in {"bought_since", "lapsed_since"} and isinstance(value, str):
            # A date box gives YYYY-MM-DD or "" (cleared); a day half typed waits for the rest.
            return rx.redirect(self._url(**{name: read_day(value)})) if read_day(value) or not value else None
        return None

    @rx.event
    def set_min_spent(self, form: dict):
        """The amount box, submitted: typed as people write amounts ("1.500,50"), kept in the address as
        "1500.50"; what does not read is said next to the box."""
        typed = str(form.get("min_spent", "") if isinstance(form, dict) else "").strip()
        if not typed:
            return rx.redirect(self._url(min_spent=""))
        try:
            amount = parse_decimal(typed[:40])
        except ValueError:
            amount = None
        if amount is None or amount < 0 or amount >= 10**12 or amount != amount.quantize(Decimal("0.01")):
            self.filter_errors = {"min_spent": self._t("min_spent_invalid")}
            return None
        return rx.redirect(self._url(min_spent=f"{amount.normalize():f}"))

    @rx.event
    def set_choice_filter(self, field_id: str, option_id: str):
        """One choice field's filter; the other fields' stay."""
        if not (isinstance(field_id, str) and field_id.isdigit() and isinstance(option_id, str)):
            return None
        return rx.redirect(self._with_choice(field_id, option_id))

    def _with_choice(self, field_id: str, option_id: str) -> str:
        chosen = {**dict(self._in_address().options), field_id: option_id}
        return self._url(option=",".join(f"{f}:{o}" for f, o in chosen.items() if o))

    @rx.event
    def remove_more_filter(self, param: str):
        """A chip's remove button: its filter cleared, the others kept."""
        if not isinstance(param, str):
            return None
        field_id = param.removeprefix("option:")
        if field_id != param:
            return rx.redirect(self._with_choice(field_id, "")) if field_id.isdigit() else None
        return rx.redirect(self._url(**{param: ""})) if param in MORE_FILTERS else None

    @rx.event
    def add_tag_filter(self, tag: str):
        tags = self._in_address().tags
        if tag and tag not in tags:
            return rx.redirect(self._url(tags=",".join([*tags, tag])))
        return None

    @rx.event
    def remove_tag_filter(self, tag: str):
        return rx.redirect(self._url(tags=",".join(t for t in self._in_address().tags if t != tag)))

    @rx.event
    def clear_filters(self):
        return rx.redirect("/customers?trash=1" if self._in_address().trash else "/customers")

    @rx.event
    def clear_more_filters(self):
        """The filters behind "Más filtros" cleared; the type, tags, search and sort in sight stay."""
        return rx.redirect(self._url(**dict.fromkeys(MORE_FILTERS, "")))

    @rx.event
    def show_trash(self, value: bool):
        return rx.redirect("/customers?trash=1" if value else "/customers")

    @authorized()
    def confirm_delete(self, actor):
        customer_id = self._confirmed()
        with session_scope() as session:
            customer_service.delete_customer(session=session, actor=actor, customer_id=customer_id)
        self._fetch(actor)
        self._clear_selection()
        self._forget_count()
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
        self._clear_selection()
        self._forget_count()
        return rx.toast.success(self._t("customer_restored", name=restored.display_name))
