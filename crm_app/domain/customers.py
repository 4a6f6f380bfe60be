"""Customers: the values the UI, the API and the services exchange, and the pure rules on them.

Services (crm_app/services/customers.py) add what needs the database: duplicates, channels, tags,
versions. Everything here is plain Python, tested without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import phonenumbers
from babel.numbers import get_currency_precision

from crm_app.domain.emails import normalize_email
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.phones import default_phone_kind, normalize_phone
from crm_app.domain.search_text import normalize, sort_key
from crm_app.domain.tags import clean_tags
from crm_app.domain.tax_ids import tax_id_types, validate_tax_id
from crm_app.domain.text import clean_line, clean_text
from crm_app.domain.ids import is_row_id

CLIENT_TYPES = ("person", "company", "government")
PHONE_KINDS = ("mobile", "work", "home", "custom")
SOURCES = ("form", "invitation", "import", "api", "order", "lead", "sale")
SORTS = ("name", "-name", "created", "-created")
MAX_PAGE = 100

# Column sizes (crm_app/models/customer.py): longer input is refused with "too_long".
MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "legal_name": 200,
    "trade_name": 200,
    "contact_name": 200,
    "loyalty_id": 64,
    "street": 200,
    "city": 100,
    "region": 100,
    "postal_code": 20,
    "notes": 10_000,
}
_NAME_FIELDS = ("first_name", "last_name", "legal_name", "trade_name", "contact_name", "city", "region")
MAX_PHONE_LABEL = 60
MAX_PHONES = 20
MAX_EMAILS = 20

_CENT = Decimal("0.01")
MIN_BIRTHDAY = date(1900, 1, 1)
# Countries a customer's address may name: the regions phonenumbers knows (ISO 3166-1 codes).
COUNTRY_CODES = frozenset(phonenumbers.SUPPORTED_REGIONS)
_MICRO = Decimal("0.000001")
_MAX_CREDIT = Decimal("999999999999.99")  # NUMERIC(14, 2)


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
class PhoneDTO:
    id: int
    raw: str
    e164: str
    national: str  # national form for numbers of the organization's country, else international
    international: str
    kind: str
    label: str
    whatsapp: bool
    viber: bool
    sms: bool
    primary: bool


@dataclass(frozen=True)
class EmailDTO:
    id: int
    address: str
    accepts_email: bool
    consent_at: datetime | None
    consent_source: str
    primary: bool


@dataclass(frozen=True)
class CustomerDTO:
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
    sort: str = "name"  # name | -name | created | -created
    trash: bool = False  # True: only soft-deleted customers
    after: str = ""  # opaque cursor from a previous page
    limit: int = 50


@dataclass(frozen=True)
class CustomerPage:
    rows: tuple[CustomerRow, ...]
    next_cursor: str  # "" = no more pages


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class CleanPhone:
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
class CleanCustomer:
    """A validated CustomerInput: trimmed text, compact IDs, E.164 phones, derived names."""

    client_type: str
    first_name: str
    last_name: str
    legal_name: str
    trade_name: str
    contact_name: str
    display_name: str
    sort_name: str
    tax_id_type: str
    tax_id: str | None
    loyalty_id: str | None
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
    notes: str
    tags: tuple[str, ...]
    is_supplier: bool
    is_conflictive: bool
    source: str
    phones: tuple[CleanPhone, ...]
    emails: tuple[CleanEmail, ...]


def display_name_for(
    client_type: str, first_name: str, last_name: str, trade_name: str, legal_name: str
) -> str:
    """ "First Last" for a person; the trade name, else the legal name, for a company or public body."""
    if client_type == "person":
        return " ".join(p for p in (first_name.strip(), last_name.strip()) if p)
    return trade_name.strip() or legal_name.strip()


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _primary_flags(flags: list[bool]) -> list[bool]:
    """Exactly one True when the list is not empty: the first marked one, else the first one."""
    chosen = flags.index(True) if True in flags else 0
    return [i == chosen for i in range(len(flags))]


def money_places(currency: str | None) -> int:
    """Decimals an amount in ``currency`` may have (CLDR: 2 for USD, 0 for CLP and PYG), at most the
    column's 2; Babel answers 2 for a currency it does not know."""
    return min(get_currency_precision(currency or "XXX"), 2)


def _fits_places(value: Decimal, places: int) -> bool:
    return value == value.quantize(Decimal(1).scaleb(-places))


def clean_customer(
    data: CustomerInput, *, country: str, today: date, currency: str | None = None
) -> CleanCustomer:
    """Validate and normalize ``data`` for an organization of ``country`` (phone region, tax IDs).

    Raises ``ValidationFailed`` listing every bad field (keys as in the form: "first_name",
    "phones.0.number"...). Database checks (duplicates, channel) are the service's.
    """
    errors: dict[str, FieldError] = {}
    text = {name: clean_text(getattr(data, name)) for name in MAX_LENGTHS}
    for name in _NAME_FIELDS:  # "  Pérez   Gómez " -> "Pérez Gómez"
        text[name] = " ".join(text[name].split())
    for name, limit in MAX_LENGTHS.items():
        if len(text[name]) > limit:
            errors[name] = FieldError("too_long", max=limit)

    client_type = data.client_type
    if client_type not in CLIENT_TYPES:
        errors["client_type"] = FieldError("client_type_invalid", client_type=client_type)
    elif client_type == "person":
        for name in ("first_name", "last_name"):
            if not text[name]:
                errors[name] = FieldError("required")
    elif not text["legal_name"]:
        errors["legal_name"] = FieldError("required")

    tax_id_type, tax_id = _clean_tax_id(data, country, client_type, errors)

    phones = _clean_phones(data.phones, country, client_type, errors)
    emails = _clean_emails(data.emails, errors)

    birthday = data.birthday
    if birthday is not None and birthday > today:
        errors["birthday"] = FieldError("birthday_future")
    elif birthday is not None and birthday < MIN_BIRTHDAY:
        errors["birthday"] = FieldError("birthday_too_old", year=MIN_BIRTHDAY.year)

    credit_limit = _decimal(data.credit_limit)
    if data.credit_limit is not None and (
        credit_limit is None or not Decimal(0) <= credit_limit <= _MAX_CREDIT
    ):
        errors["credit_limit"] = FieldError("credit_limit_invalid")
        credit_limit = None
    elif credit_limit is not None and not _fits_places(credit_limit, money_places(currency)):
        # "1500,005" is a typo, not 1500: more decimals than the currency has are refused, not rounded.
        places = money_places(currency)
        errors["credit_limit"] = FieldError("money_decimals", places=places) if places else FieldError(
            "money_no_decimals")
        credit_limit = None
    discount = _decimal(data.discount_percent if data.discount_percent is not None else Decimal(0))
    if discount is None or not Decimal(0) <= discount <= Decimal(100):
        errors["discount_percent"] = FieldError("discount_range", min=0, max=100)
        discount = Decimal(0)
    elif not _fits_places(discount, 2):
        errors["discount_percent"] = FieldError("discount_decimals")
        discount = Decimal(0)

    latitude, longitude = _decimal(data.latitude), _decimal(data.longitude)
    for name, raw, value, bound in (
        ("latitude", data.latitude, latitude, 90),
        ("longitude", data.longitude, longitude, 180),
    ):
        if raw is not None and (value is None or not -bound <= value <= bound):
            errors[name] = FieldError("coordinates_invalid")
    if (data.latitude is None) != (data.longitude is None):  # a point needs both
        missing = "latitude" if data.latitude is None else "longitude"
        errors.setdefault(missing, FieldError("coordinates_invalid"))

    address_country = (data.address_country or "").strip().upper()
    if address_country and address_country not in COUNTRY_CODES:
        errors["address_country"] = FieldError("country_unknown")

    tags = clean_tags(data.tags, errors)
    if data.source not in SOURCES:
        errors["source"] = FieldError("source_invalid")
    if data.channel_id is not None and not is_row_id(data.channel_id):
        errors["channel_id"] = FieldError("channel_unknown")

    if errors:
        raise ValidationFailed(errors)

    # A person may also have a legal/trade name (a sole proprietor); first/last names are a person's only.
    person = client_type == "person"
    first, last = (text["first_name"], text["last_name"]) if person else ("", "")
    legal, trade = text["legal_name"], text["trade_name"]
    display = display_name_for(client_type, first, last, trade, legal)[:200]
    return CleanCustomer(
        client_type=client_type,
        first_name=first,
        last_name=last,
        legal_name=legal,
        trade_name=trade,
        contact_name=text["contact_name"],
        display_name=display,
        sort_name=sort_key(display),
        tax_id_type=tax_id_type,
        tax_id=tax_id,
        loyalty_id=text["loyalty_id"] or None,
        birthday=birthday,
        street=text["street"],
        city=text["city"],
        region=text["region"],
        postal_code=text["postal_code"],
        address_country=address_country,
        latitude=latitude.quantize(_MICRO) if latitude is not None else None,
        longitude=longitude.quantize(_MICRO) if longitude is not None else None,
        credit_limit=credit_limit.quantize(_CENT) if credit_limit is not None else None,
        discount_percent=discount.quantize(_CENT),
        channel_id=data.channel_id,
        notes=text["notes"],
        tags=tags,
        is_supplier=bool(data.is_supplier),
        is_conflictive=bool(data.is_conflictive),
        source=data.source,
        phones=phones,
        emails=emails,
    )


def _clean_tax_id(
    data: CustomerInput, country: str, client_type: str, errors: dict[str, FieldError]
) -> tuple[str, str | None]:
    number = (data.tax_id or "").strip()
    if not number or client_type not in CLIENT_TYPES:
        return "", None
    id_type = data.tax_id_type or tax_id_types(country, client_type)[0]
    try:
        value = validate_tax_id(country, client_type, id_type, number)
    except FieldError as exc:
        errors["tax_id"] = exc
        return "", None
    return value.id_type, value.compact


def _clean_phones(
    phones: tuple[PhoneInput, ...], country: str, client_type: str, errors: dict[str, FieldError]
) -> tuple[CleanPhone, ...]:
    if len(phones) > MAX_PHONES:
        errors["phones"] = FieldError("too_many", max=MAX_PHONES)
        return ()
    cleaned: list[CleanPhone] = []
    seen: dict[str, int] = {}
    primaries = _primary_flags([p.primary for p in phones])
    for i, phone in enumerate(phones):
        key = f"phones.{i}"
        chosen = phone.kind or ""
        kind = chosen if chosen in PHONE_KINDS else ""
        label = clean_line(phone.label) if kind == "custom" else ""
        if chosen and not kind:
            errors[f"{key}.kind"] = FieldError("phone_kind_invalid")
        elif kind == "custom" and not label:
            errors[f"{key}.label"] = FieldError("required")
        elif len(label) > MAX_PHONE_LABEL:
            errors[f"{key}.label"] = FieldError("too_long", max=MAX_PHONE_LABEL)
        if not (phone.number or "").strip():
            errors[f"{key}.number"] = FieldError("required")
            continue
        try:
            value = normalize_phone(clean_text(phone.number), country)
        except FieldError as exc:
            errors[f"{key}.number"] = exc
            continue
        if value.e164 in seen:
            errors[f"{key}.number"] = FieldError("phone_repeated", position=seen[value.e164] + 1)
            continue
        seen[value.e164] = i
        cleaned.append(
            CleanPhone(
                raw=value.raw[:64],
                e164=value.e164,
                kind=kind or default_phone_kind(value.e164, client_type),
                label=label,
                whatsapp=bool(phone.whatsapp),
                viber=bool(phone.viber),
                sms=bool(phone.sms),
                primary=primaries[i],
            )
        )
    if cleaned and not any(p.primary for p in cleaned):  # only possible when errors were found
        cleaned[0] = _with_primary(cleaned[0])
    return tuple(cleaned)


def _with_primary(phone: CleanPhone) -> CleanPhone:
    return CleanPhone(**{**{f.name: getattr(phone, f.name) for f in fields(phone)}, "primary": True})


def _clean_emails(emails: tuple[EmailInput, ...], errors: dict[str, FieldError]) -> tuple[CleanEmail, ...]:
    if len(emails) > MAX_EMAILS:
        errors["emails"] = FieldError("too_many", max=MAX_EMAILS)
        return ()
    cleaned: list[CleanEmail] = []
    seen: dict[str, int] = {}
    primaries = _primary_flags([e.primary for e in emails])
    for i, email in enumerate(emails):
        key = f"emails.{i}.address"
        if not (email.address or "").strip():
            errors[key] = FieldError("required")
            continue
        try:
            address = normalize_email(email.address)
        except FieldError as exc:
            errors[key] = exc
            continue
        if len(address) > 254:
            errors[key] = FieldError("email_invalid")
            continue
        if address in seen:
            errors[key] = FieldError("email_repeated", position=seen[address] + 1)
            continue
        seen[address] = i
        cleaned.append(
            CleanEmail(address=address, accepts_email=bool(email.accepts_email), primary=primaries[i])
        )
    return tuple(cleaned)


# --------------------------------------------------------------------------- change set

# Fields whose change is worth an entry in the customer's history. Derived or bookkeeping fields
# (display_name, tax_id_formatted, channel_name, version, timestamps) are left out.
DIFF_FIELDS = (
    "client_type",
    "first_name",
    "last_name",
    "legal_name",
    "trade_name",
    "contact_name",
    "tax_id_type",
    "tax_id",
    "phones",
    "emails",
    "loyalty_id",
    "birthday",
    "street",
    "city",
    "region",
    "postal_code",
    "address_country",
    "latitude",
    "longitude",
    "credit_limit",
    "discount_percent",
    "channel_id",
    "notes",
    "tags",
    "is_supplier",
    "is_conflictive",
    "custom",
)


def _comparable(field: str, value: object) -> object:
    if field == "phones":
        return tuple((p.e164, p.kind, p.label, p.whatsapp, p.viber, p.sms, p.primary) for p in value)
    if field == "emails":
        return tuple((e.address, e.accepts_email, e.primary) for e in value)
    if field == "tags":
        return tuple(sorted(value, key=normalize))
    return value


def diff_customers(before: CustomerDTO, after: CustomerDTO) -> list[tuple[str, object, object]]:
    """Field-by-field changes ``[(field, before, after)]`` in DIFF_FIELDS order (the event feed's input).

    Phones are compared as ``(e164, kind, label, whatsapp, viber, sms, primary)`` tuples, e-mails as
    ``(address, accepts_email, primary)`` tuples, tags as a set (order does not matter).
    """
    changes: list[tuple[str, object, object]] = []
    for field in DIFF_FIELDS:
        old = _comparable(field, getattr(before, field))
        new = _comparable(field, getattr(after, field))
        if old != new:
            changes.append((field, old, new))
    return changes
