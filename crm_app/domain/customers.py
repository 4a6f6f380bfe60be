"""Customers: the values the UI, the API and the services exchange.

The rules on them are beside it: customer_validation (an input checked into a CleanCustomer, with
customer_contacts and customer_numbers), customer_diff (what a save changed). Services
(crm_app/services/customers.py) add what needs the database: duplicates, channels, tags, versions.
Everything here is plain Python, tested without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from decimal import Decimal

CLIENT_TYPES = ("person", "company", "government")
PHONE_KINDS = ("mobile", "work", "home", "custom")
SOURCES = ("form", "invitation", "import", "api", "order", "lead", "sale", "web_form", "lead_ads")
# "-purchase": latest purchase first, customers who never bought last; "-spent": highest amount spent first.
SORTS = ("name", "-name", "created", "-created", "-purchase", "-spent")
MAX_PAGE = 100


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class PhoneInput:
    number: str
    kind: str = ""  # "" = not chosen: the number's own type decides (phones.default_phone_kind)
    label: str = ""  # the custom type's text when kind == "custom"
    whatsapp: bool = False
    viber: bool = False
    sms: bool = False
    primary: bool = False


@dataclass(frozen=True)
class EmailInput:
    address: str
    accepts_email: bool = False
    primary: bool = False


@dataclass(frozen=True)
class CustomerInput:
    client_type: str = "person"
    first_name: str = ""
    last_name: str = ""
    legal_name: str = ""
    trade_name: str = ""
    contact_name: str = ""
    tax_id_type: str = ""  # "" = the default type for the country and client type
    tax_id: str = ""
    phones: tuple[PhoneInput, ...] = ()
    emails: tuple[EmailInput, ...] = ()
    loyalty_id: str = ""
    birthday: date | None = None
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    address_country: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    credit_limit: Decimal | None = None
    discount_percent: Decimal = Decimal(0)
    channel_id: int | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    is_supplier: bool = False
    is_conflictive: bool = False
    source: str = "form"
    # Custom field values by field id: text as typed, or typed values (option ids for choices).
    custom: Mapping[int, object] = dataclass_field(default_factory=dict)


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class CleanPhone:
    """A phone that passed the checks (customer_contacts.clean_phones): what is stored."""

    raw: str
    e164: str
    kind: str
    label: str
    whatsapp: bool
    viber: bool
    sms: bool
    primary: bool


@dataclass(frozen=True)
class CleanEmail:
    address: str
    accepts_email: bool
    primary: bool


@dataclass(frozen=True)
class PhoneDTO(CleanPhone):
    """A stored phone, with its id and the forms the screens show."""

    id: int
    national: str  # national form for numbers of the organization's country, else international
    international: str


@dataclass(frozen=True)
class EmailDTO:
    id: int
    address: str
    accepts_email: bool
    consent_at: datetime | None
    consent_source: str
    primary: bool


@dataclass(frozen=True)
class CustomerDetails:
    """His birthday, address and map point, and his terms: checked (CleanCustomer) and shown (CustomerDTO)
    alike."""

    birthday: date | None
    street: str
    city: str
    region: str
    postal_code: str
    address_country: str
    latitude: Decimal | None
    longitude: Decimal | None
    credit_limit: Decimal | None
    discount_percent: Decimal
    channel_id: int | None


@dataclass(frozen=True)
class CustomerDTO(CustomerDetails):
    id: int
    version: int
    client_type: str
    display_name: str
    first_name: str
    last_name: str
    legal_name: str
    trade_name: str
    contact_name: str
    tax_id_type: str
    tax_id: str
    tax_id_formatted: str
    phones: tuple[PhoneDTO, ...]
    emails: tuple[EmailDTO, ...]
    loyalty_id: str
    channel_name: str
    notes: str
    tags: tuple[str, ...]
    is_supplier: bool
    is_conflictive: bool
    source: str
    created_at: datetime
    created_by_name: str
    updated_at: datetime
    updated_by_name: str
    deleted_at: datetime | None
    # Custom field values: ((field id, ((option id | None, text), ...)), ...) by field id.
    custom: tuple[tuple[int, tuple[tuple[int | None, str], ...]], ...] = ()


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer list."""

    id: int
    display_name: str
    client_type: str
    primary_phone: str  # formatted, national for the organization's country
    primary_email: str
    tax_id_formatted: str
    tags: tuple[str, ...]
    is_supplier: bool
    is_conflictive: bool
    created_at: datetime
    amount_spent: Decimal = Decimal(0)
    last_purchase_at: datetime | None = None  # None: he never bought
    # One tap from the list: call the primary phone, chat or text the first phone flagged for it, go to
    # the map point ("lat,lon", "" when he has none).
    call_e164: str = ""
    whatsapp_e164: str = ""
    sms_e164: str = ""
    map_point: str = ""


@dataclass(frozen=True)
class ClientChoice:
    """A customer chosen for a document (order, sale, lead...): what the document's form applies to it."""

    id: int
    name: str
    is_conflictive: bool
    is_supplier: bool
    discount_percent: Decimal  # his personal discount, 0 when none
    credit_limit: Decimal | None


@dataclass(frozen=True)
class CustomerQuery:
    search: str = ""
    client_type: str = ""
    tags: tuple[str, ...] = ()  # customers having all of them
    supplier: bool | None = None
    conflictive: bool | None = None
    channel_id: int | None = None
    accepts_email: bool | None = None  # has (or has not) an e-mail with consent
    options: tuple[tuple[int, int], ...] = ()  # (custom field id, option id): customers having them all
    account_id: int | None = None  # members of this account (services/accounts.py)
    # What he bought: a day counts in the organization's time zone.
    bought_since: date | None = None  # his last purchase on or after this day
    lapsed_since: date | None = None  # he bought, but not on or after this day
    min_spent: Decimal | None = None  # amount spent at least this
    # How he came: created on these local days of the organization (both included), by whom, from where.
    created_from: date | None = None
    created_to: date | None = None
    created_by: int | None = None  # a user id
    source: str = ""  # one of SOURCES
    unreachable: bool = False  # True: no phone at all and no e-mail that accepts mail
    sort: str = "name"  # one of SORTS
    trash: bool = False  # True: only soft-deleted customers
    after: str = ""  # opaque cursor from a previous page
    limit: int = 50


@dataclass(frozen=True)
class CustomerPage:
    rows: tuple[CustomerRow, ...]
    next_cursor: str  # "" = no more pages


# --------------------------------------------------------------------------- derived


def display_name_for(
    client_type: str, first_name: str, last_name: str, trade_name: str, legal_name: str
) -> str:
    """ "First Last" for a person; the trade name, else the legal name, for a company or public body."""
    if client_type == "person":
        return " ".join(p for p in (first_name.strip(), last_name.strip()) if p)
    return trade_name.strip() or legal_name.strip()
