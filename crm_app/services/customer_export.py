"""The customer export: the list's current selection (search, filters, trash; what /customers shows for
the same address) as the rows of a spreadsheet, read page by page with constant memory.

:func:`start_export` checks the actor (admins; sales users when an admin allows it, like the import) and
lays out the columns; its ``rows`` are read lazily, one keyset page of the list at a time
(services/customer_search, the list's own order), each page in a short transaction of its own with one
query per table (customers, phones, e-mails, tags, accounts, custom values), never one per customer.
When the rows end (or the reader stops), the export is written to the activity log: who, when, the
format, how many rows and the filter.

The columns are named as the import template names them (services/import_template.column_label:
"Teléfono 1", "Tipo de teléfono 1", "Correo 1"...), with values as the import reads them (client type,
ID type and phone type by name, "Sí"/"No", the channel's name, IDs and phones as text), so an exported
file can be imported back. Phones and e-mails: as many numbered groups as the organization's customer
with most of them needs (at least one, at most the form's limit), so none is left out whatever the
selection. Accounts go in one "Cuentas" column, names joined by ", " (the import takes one account,
"Cuenta", so this column is not read back). Custom fields: the organization's active fields of every
client type, one column per label (a "Sucursal" field of people and one of companies share it).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Row, func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from crm_app.db import session_scope
from crm_app.domain import local_time
from crm_app.domain.custom_values import display_value
from crm_app.domain.customer_contacts import MAX_EMAILS, MAX_PHONES
from crm_app.domain.customer_list_params import ListFilters
from crm_app.domain.customers import CLIENT_TYPES, MAX_PAGE
from crm_app.domain.dto import Actor
from crm_app.domain.form_config import CHOICE_KINDS, CustomFieldDef
from crm_app.domain.import_columns import TEXT_KEYS, email_keys, header_key, phone_keys
from crm_app.domain.locale_format import excel_money_format
from crm_app.domain.phones import format_phone
from crm_app.i18n import t
from crm_app.models import (
    Account,
    AccountMember,
    AcquisitionChannel,
    Customer,
    CustomerEmail,
    CustomerFieldValue,
    CustomerPhone,
    CustomerTag,
    Organization,
    Tag,
)
from crm_app.services import form_config as form_service
from crm_app.services.activity import record_activity
from crm_app.services.customers import list_customers
from crm_app.services.import_template import column_label
from crm_app.services.sheet_writers import Cell
from crm_app.services.transfer_access import check_transfer

FORMATS = ("xlsx", "csv")
EXPORT_PAGE = MAX_PAGE  # customers read (and held) at a time
_BEFORE_CONTACTS = ("client_type", "first_name", "last_name", "legal_name", "trade_name", "contact_name",
                    "tax_id_type", "tax_id")
_AFTER_CONTACTS = ("loyalty_id", "birthday", "street", "city", "region", "postal_code", "address_country",
                   "latitude", "longitude", "credit_limit", "discount_percent", "channel", "tags", "notes",
                   "is_supplier", "is_conflictive")
_LAST = ("accounts", "source", "created_at")
# Headers of the columns the import template has not (catalogue keys).
_OWN_LABELS = {"accounts": "export_col_accounts", "created_at": "export_col_created_at"}
# Written as stored: text, numbers (Decimal), the birthday (a date).
_PLAIN_ATTRIBUTES = ("first_name", "last_name", "legal_name", "trade_name", "contact_name", "street", "city",
                     "region", "postal_code", "address_country", "notes", "latitude", "longitude",
                     "credit_limit", "discount_percent", "birthday")
# Written in the reader's words (a client type's name, "Sí"/"No", the channel's name...).
_CODED_ATTRIBUTES = ("client_type", "tax_id_type", "tax_id", "loyalty_id", "channel_id", "is_supplier",
                     "is_conflictive", "source", "created_at")
Bind = Engine | Connection


@dataclass(frozen=True)
class CustomColumn:
    label: str
    fields: tuple[CustomFieldDef, ...]  # the active fields of that label, one per client type at most


@dataclass(frozen=True)
class Layout:
    """What every row of one export needs: the columns and the organization's names for values."""

    organization_id: int
    country: str
    currency: str
    timezone: str
    lang: str
    phones: int  # numbered phone groups
    emails: int
    custom: tuple[CustomColumn, ...]
    channels: Mapping[int, str]

    def keys(self) -> list[str]:
        phones = [k for n in range(1, self.phones + 1) for k in phone_keys(n)]
        emails = [k for n in range(1, self.emails + 1) for k in email_keys(n)]
        return [*_BEFORE_CONTACTS, *phones, *emails, *_AFTER_CONTACTS, *_LAST]

    def header(self) -> tuple[str, ...]:
        builtin = [t(_OWN_LABELS[k], self.lang) if k in _OWN_LABELS else column_label(k, self.lang)
                   for k in self.keys()]
        at = len(builtin) - len(_LAST)  # custom fields go before the accounts, source and creation
        return (*builtin[:at], *(c.label for c in self.custom), *builtin[at:])

    def text_columns(self) -> frozenset[int]:
        """Columns of IDs and phone numbers: text cells, and formatted as text."""
        return frozenset(i for i, k in enumerate(self.keys()) if k in TEXT_KEYS or k.endswith(".number"))

    def number_formats(self) -> dict[int, str]:
        """The credit limit's cells: numbers, shown as money in the reader's locale."""
        money = excel_money_format(self.currency, self.lang, self.country)
        return {i: money for i, k in enumerate(self.keys()) if k == "credit_limit"}


@dataclass
class CustomerExport:
    """The export under way: its header, text columns and rows (read as they are consumed)."""

    header: tuple[str, ...]
    text_columns: frozenset[int]
    rows: Iterator[tuple[Cell, ...]]
    today: date  # in the organization's time zone, for the file's name
    written: int = 0  # rows handed out so far
    number_formats: dict[int, str] = dataclasses.field(default_factory=dict)  # column -> Excel number format


# --------------------------------------------------------------------------- the layout


def _groups(session: Session, model: type[CustomerPhone | CustomerEmail], org_id: int, most: int) -> int:
    """Numbered groups enough for the organization's customer with most phones (or e-mails): positions
    count from 0 in his order."""
    top = session.execute(select(func.max(model.position)).where(model.organization_id == org_id)).scalar()
    return max(1, min((top or 0) + 1, most))


def _custom_columns(session: Session, org_id: int, lang: str) -> tuple[CustomColumn, ...]:
    by_label: dict[str, tuple[str, list[CustomFieldDef]]] = {}
    for client_type in CLIENT_TYPES:
        for field in form_service.load_form_config(session, org_id, client_type).active_custom:
            label = field.label(lang)
            by_label.setdefault(header_key(label), (label, []))[1].append(field)
    return tuple(CustomColumn(label, tuple(fields)) for label, fields in by_label.values())


def _layout(session: Session, org: Organization, lang: str) -> Layout:
    # Retired channels too: the customers who came through one keep it.
    channels = dict(session.execute(
        select(AcquisitionChannel.id, AcquisitionChannel.name)
        .where(AcquisitionChannel.organization_id == org.id)).all())
    return Layout(
        organization_id=org.id, country=org.country, currency=org.currency, timezone=org.timezone, lang=lang,
        phones=_groups(session, CustomerPhone, org.id, MAX_PHONES),
        emails=_groups(session, CustomerEmail, org.id, MAX_EMAILS),
        custom=_custom_columns(session, org.id, lang), channels=channels,
    )


# --------------------------------------------------------------------------- one page of rows


@dataclass
class _Children:
    """One page's phones, e-mails, tags, accounts and custom values, by customer id."""

    phones: dict[int, list[Row]]  # (customer_id, e164, kind, label, whatsapp, viber, sms)
    emails: dict[int, list[Row]]  # (customer_id, address, accepts_email)
    tags: dict[int, list[str]]
    accounts: dict[int, list[str]]
    values: dict[int, dict[int, list[tuple[int | None, str]]]]


def _grouped(pairs) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for owner, item in pairs:
        grouped[owner].append(item)
    return grouped


def _children(session: Session, ids: Sequence[int]) -> _Children:
    """The children of the customers ``ids``, who are the organization's (page_rows read them with its
    id): found by customer id alone, so that each query walks its customer index (a filter on the
    organization made SQLite scan the organization's phones instead, 10 ms a page)."""
    def contacts(*columns):
        model = columns[0].class_
        query = select(*columns).where(model.customer_id.in_(ids)).order_by(model.customer_id, model.position)
        return _grouped((row[0], row) for row in session.execute(query).all())

    tags = session.execute(
        select(CustomerTag.customer_id, Tag.name).join(Tag, Tag.id == CustomerTag.tag_id)
        .where(CustomerTag.customer_id.in_(ids))
        .order_by(CustomerTag.customer_id, Tag.normalized)).all()
    accounts = session.execute(
        select(AccountMember.customer_id, Account.name).join(Account, Account.id == AccountMember.account_id)
        .where(AccountMember.customer_id.in_(ids), Account.deleted_at.is_(None))
        .order_by(AccountMember.customer_id, Account.sort_name)).all()
    values: dict[int, dict[int, list[tuple[int | None, str]]]] = defaultdict(lambda: defaultdict(list))
    for customer_id, field_id, option_id, value in session.execute(
        select(CustomerFieldValue.customer_id, CustomerFieldValue.field_id, CustomerFieldValue.option_id,
               CustomerFieldValue.value)
        .where(CustomerFieldValue.customer_id.in_(ids))
        .order_by(CustomerFieldValue.customer_id, CustomerFieldValue.field_id, CustomerFieldValue.id)
    ).all():
        values[customer_id][field_id].append((option_id, value))
    phones = contacts(CustomerPhone.customer_id, CustomerPhone.e164, CustomerPhone.kind, CustomerPhone.label,
                      CustomerPhone.whatsapp, CustomerPhone.viber, CustomerPhone.sms)
    emails = contacts(CustomerEmail.customer_id, CustomerEmail.address, CustomerEmail.accepts_email)
    return _Children(phones=phones, emails=emails, tags=_grouped(tags), accounts=_grouped(accounts),
                     values=values)


class _Cells:
    """The cells of one customer's row, in the layout's language."""

    def __init__(self, layout: Layout) -> None:
        self.layout, self.lang = layout, layout.lang
        self.yes, self.no = t("yes", self.lang), t("no", self.lang)
        self.zone = local_time.zone(layout.timezone)

    def flag(self, value: bool) -> str:
        return self.yes if value else self.no

    def phone_number(self, e164: str) -> str:
        """A number of the organization's country as dialled there, digits only ("0991234567"); another
        country's in E.164 ("+51987654321"): what the import reads back, no spaces to mistype."""
        national = format_phone(e164, "national", self.layout.country)
        return e164 if national.startswith("+") else "".join(c for c in national if c.isdigit())

    def phones(self, phones: list[Row]) -> list[Cell]:
        cells: list[Cell] = []
        for n in range(self.layout.phones):
            if n >= len(phones):
                cells += [None] * 5
                continue
            p = phones[n]
            kind = (p.label or t("phone_kind_custom", self.lang)) if p.kind == "custom" else t(
                f"phone_kind_{p.kind}", self.lang)
            cells += [self.phone_number(p.e164), kind, self.flag(p.whatsapp), self.flag(p.viber),
                      self.flag(p.sms)]
        return cells

    def emails(self, emails: list[Row]) -> list[Cell]:
        cells: list[Cell] = []
        for n in range(self.layout.emails):
            e = emails[n] if n < len(emails) else None
            cells += [e.address, self.flag(e.accepts_email)] if e else [None, None]
        return cells

    def custom(self, column: CustomColumn, values: Mapping[int, list[tuple[int | None, str]]]) -> Cell:
        field = next((f for f in column.fields if values.get(f.id)), None)
        if field is None:
            return None
        rows = values[field.id]
        text = rows[0][1]
        if field.kind in CHOICE_KINDS:
            return display_value(field, rows, self.lang)
        if field.kind == "boolean":
            return self.flag(text == "true")
        try:
            if field.kind == "date":
                return date.fromisoformat(text)
            if field.kind in ("integer", "decimal"):
                return Decimal(text)
        except (ArithmeticError, ValueError):
            pass
        return text

    def local(self, moment: datetime) -> datetime:
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        return aware.astimezone(self.zone).replace(tzinfo=None, microsecond=0)

    def row(self, c: Row, kids: _Children) -> tuple[Cell, ...]:
        lang = self.lang
        cells: dict[str, Cell] = {name: getattr(c, name) for name in _PLAIN_ATTRIBUTES}
        cells.update(
            client_type=t(f"client_type_{c.client_type}", lang),
            tax_id_type=t(f"tax_type_{c.tax_id_type}", lang) if c.tax_id_type else None,
            tax_id=c.tax_id, loyalty_id=c.loyalty_id, channel=self.layout.channels.get(c.channel_id or 0),
            tags=", ".join(kids.tags.get(c.id, [])), is_supplier=self.flag(c.is_supplier),
            is_conflictive=self.flag(c.is_conflictive), accounts=", ".join(kids.accounts.get(c.id, [])),
            source=t(f"source_{c.source}", lang), created_at=self.local(c.created_at),
        )
        values = kids.values.get(c.id, {})
        return (
            *(cells[k] for k in _BEFORE_CONTACTS),
            *self.phones(kids.phones.get(c.id, [])),
            *self.emails(kids.emails.get(c.id, [])),
            *(cells[k] for k in _AFTER_CONTACTS),
            *(self.custom(column, values) for column in self.layout.custom),
            *(cells[k] for k in _LAST),
        )


def page_rows(session: Session, layout: Layout, ids: Sequence[int]) -> list[tuple[Cell, ...]]:
    """The rows of the customers ``ids`` (one list page), in that order."""
    if not ids:
        return []
    org_id = layout.organization_id
    columns = [getattr(Customer, name) for name in ("id", *_PLAIN_ATTRIBUTES, *_CODED_ATTRIBUTES)]
    found = {c.id: c for c in session.execute(
        select(*columns).where(Customer.organization_id == org_id, Customer.id.in_(ids))).all()}
    kids = _children(session, list(found))
    cells = _Cells(layout)
    return [cells.row(found[i], kids) for i in ids if i in found]


# --------------------------------------------------------------------------- the export


def _record(bind: Bind, actor: Actor, file_format: str, filters: ListFilters, rows: int,
            complete: bool) -> None:
    chosen = {name: value for name, value in filters.params().items() if value}
    with session_scope(bind) as session:
        record_activity(session, organization_id=actor.organization_id, actor_id=actor.user_id,
                        kind="customers.export",
                        detail={"format": file_format, "rows": rows, "filter": chosen or None,
                                "complete": complete})


def _pages(bind: Bind, actor: Actor, layout: Layout, filters: ListFilters,
           ids: tuple[int, ...] | None) -> Iterator[list[tuple[Cell, ...]]]:
    """The export's rows page by page, each read in a short transaction: the list's pages, or the ticked
    ``ids`` (one page; page_rows keeps the organization's only)."""
    if ids is not None:
        with session_scope(bind) as session:
            rows = page_rows(session, layout, list(ids))
        yield rows
        return
    query = filters.query(limit=EXPORT_PAGE)
    cursor: str | None = ""
    while cursor is not None:
        with session_scope(bind) as session:  # short: one page, then the connection goes back
            page = list_customers(session=session, actor=actor,
                                  query=dataclasses.replace(query, after=cursor))
            rows = page_rows(session, layout, [r.id for r in page.rows])
        cursor = page.next_cursor or None
        yield rows


def _rows(bind: Bind, actor: Actor, layout: Layout, filters: ListFilters, file_format: str,
          export: CustomerExport, ids: tuple[int, ...] | None = None) -> Iterator[tuple[Cell, ...]]:
    complete = False
    try:
        for rows in _pages(bind, actor, layout, filters, ids):
            for row in rows:
                export.written += 1  # handed to the writer
                yield row
        complete = True
    finally:
        _record(bind, actor, file_format, filters, export.written, complete)


def start_export(*, session: Session, actor: Actor, filters: ListFilters, file_format: str,
                 ids: tuple[int, ...] | None = None) -> CustomerExport:
    """The export of the list ``filters`` select, in ``file_format`` ("xlsx" | "csv", for the log).
    Raises Forbidden for a user who may not export; ValueError for an unknown format. ``ids``: the
    customers ticked on the list instead (those of the actor's organization, in that order).

    Its rows open their own short sessions on ``session``'s database, so the caller's transaction may end
    before they are read.
    """
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    org = check_transfer(session, actor)
    layout = _layout(session, org, actor.language)
    today = datetime.now(local_time.zone(org.timezone)).date()
    export = CustomerExport(header=layout.header(), text_columns=layout.text_columns(), rows=iter(()),
                            today=today, number_formats=layout.number_formats())
    export.rows = _rows(session.get_bind(), actor, layout, filters, file_format, export, ids)
    return export
