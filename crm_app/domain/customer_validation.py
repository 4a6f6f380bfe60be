"""A customer as typed (:class:`CustomerInput`) checked and normalized into a :class:`CleanCustomer`.

Every bad field is reported at once, keyed as the form's inputs; the parts with rules of their own
live beside it: phones and e-mails (customer_contacts), amounts and coordinates (customer_numbers),
tax IDs (tax_ids), tags (tags). Database checks (duplicates, channel) are the service's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import phonenumbers

from crm_app.domain.custom_values import StoredValue, clean_custom_values
from crm_app.domain.customer_contacts import clean_emails, clean_phones
from crm_app.domain.customer_numbers import clean_coordinates, clean_credit_limit, clean_discount
from crm_app.domain.customers import (
    CLIENT_TYPES,
    SOURCES,
    CleanEmail,
    CleanPhone,
    CustomerDetails,
    CustomerInput,
    display_name_for,
)
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.form_config import FormConfig, required_errors
from crm_app.domain.ids import is_row_id
from crm_app.domain.search_text import sort_key
from crm_app.domain.tags import clean_tags
from crm_app.domain.tax_ids import tax_id_types, validate_tax_id
from crm_app.domain.text import clean_text

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
MIN_BIRTHDAY = date(1900, 1, 1)
# Countries a customer's address may name: the regions phonenumbers knows (ISO 3166-1 codes).
COUNTRY_CODES = frozenset(phonenumbers.SUPPORTED_REGIONS)


@dataclass(frozen=True)
class CleanCustomer(CustomerDetails):
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
    notes: str
    tags: tuple[str, ...]
    is_supplier: bool
    is_conflictive: bool
    source: str
    phones: tuple[CleanPhone, ...]
    emails: tuple[CleanEmail, ...]


def clean_customer(
    data: CustomerInput, *, country: str, today: date, currency: str | None = None
) -> CleanCustomer:
    """Validate and normalize ``data`` for an organization of ``country`` (phone region, tax IDs).

    Raises ``ValidationFailed`` listing every bad field (keys as in the form: "first_name",
    "phones.0.number"...). Database checks (duplicates, channel) are the service's.
    """
    errors: dict[str, FieldError] = {}
    text = _clean_text_fields(data, errors)
    client_type = data.client_type
    _check_names(client_type, text, errors)
    tax_id_type, tax_id = _clean_tax_id(data, country, client_type, errors)
    phones = clean_phones(data.phones, country, client_type, errors)
    emails = clean_emails(data.emails, errors)
    birthday = _clean_birthday(data.birthday, today, errors)
    credit_limit = clean_credit_limit(data.credit_limit, currency, errors)
    discount = clean_discount(data.discount_percent, errors)
    latitude, longitude = clean_coordinates(data.latitude, data.longitude, errors)
    address_country = _clean_country(data.address_country, errors)
    tags = clean_tags(data.tags, errors)
    _check_origin(data, errors)
    if errors:
        raise ValidationFailed(errors)

    # A person may also have a legal/trade name (a sole proprietor); first/last names are a person's only.
    person = client_type == "person"
    first, last = (text["first_name"], text["last_name"]) if person else ("", "")
    display = display_name_for(client_type, first, last, text["trade_name"], text["legal_name"])[:200]
    return CleanCustomer(
        # The free text as cleaned (names, contact, address, notes); a company has no first/last name.
        **{**text, "first_name": first, "last_name": last, "loyalty_id": text["loyalty_id"] or None},
        client_type=client_type,
        display_name=display,
        sort_name=sort_key(display),
        tax_id_type=tax_id_type,
        tax_id=tax_id,
        birthday=birthday,
        address_country=address_country,
        latitude=latitude,
        longitude=longitude,
        credit_limit=credit_limit,
        discount_percent=discount,
        channel_id=data.channel_id,
        tags=tags,
        is_supplier=bool(data.is_supplier),
        is_conflictive=bool(data.is_conflictive),
        source=data.source,
        phones=phones,
        emails=emails,
    )


@dataclass(frozen=True)
class CheckedCustomer:
    """A customer input that passed the field rules and the organization's form."""

    clean: CleanCustomer
    custom: dict[int, list[StoredValue]]


def check_customer(
    config: FormConfig | None, data: CustomerInput, *, country: str, today: date, currency: str | None
) -> CheckedCustomer:
    """The rules every way in shares (staff form, invitation, import, API) short of the database's:
    the form's required fields and custom values (``config`` is the form of ``data.client_type``; None
    for an unknown type, which clean_customer refuses), then the fields. All errors in one
    ValidationFailed. The services add the database's rules (duplicates, channel)."""
    errors: dict[str, FieldError] = {}
    custom: dict[int, list[StoredValue]] = {}
    if config is not None and data.client_type in CLIENT_TYPES:
        errors.update(required_errors(config, data))
        custom, custom_errors = clean_custom_values(config, data.custom)
        errors.update(custom_errors)
    try:
        clean = clean_customer(data, country=country, today=today, currency=currency)
    except ValidationFailed as exc:
        raise ValidationFailed({**errors, **exc.errors}) from None
    if errors:
        raise ValidationFailed(errors)
    return CheckedCustomer(clean, custom)


def _clean_text_fields(data: CustomerInput, errors: dict[str, FieldError]) -> dict[str, str]:
    """The free-text fields, cleaned; names and places with their inner spaces collapsed."""
    text = {name: clean_text(getattr(data, name)) for name in MAX_LENGTHS}
    for name in _NAME_FIELDS:  # "  Pérez   Gómez " -> "Pérez Gómez"
        text[name] = " ".join(text[name].split())
    for name, limit in MAX_LENGTHS.items():
        if len(text[name]) > limit:
            errors[name] = FieldError("too_long", max=limit)
    return text


def _check_names(client_type: str, text: dict[str, str], errors: dict[str, FieldError]) -> None:
    """A person needs first and last name; a company or public body its legal name."""
    if client_type not in CLIENT_TYPES:
        errors["client_type"] = FieldError("client_type_invalid", client_type=client_type)
    elif client_type == "person":
        for name in ("first_name", "last_name"):
            if not text[name]:
                errors[name] = FieldError("required")
    elif not text["legal_name"]:
        errors["legal_name"] = FieldError("required")


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


def _clean_birthday(birthday: date | None, today: date, errors: dict[str, FieldError]) -> date | None:
    if birthday is not None and birthday > today:
        errors["birthday"] = FieldError("birthday_future")
    elif birthday is not None and birthday < MIN_BIRTHDAY:
        errors["birthday"] = FieldError("birthday_too_old", year=MIN_BIRTHDAY.year)
    return birthday


def _clean_country(raw: str, errors: dict[str, FieldError]) -> str:
    address_country = (raw or "").strip().upper()
    if address_country and address_country not in COUNTRY_CODES:
        errors["address_country"] = FieldError("country_unknown")
    return address_country


def _check_origin(data: CustomerInput, errors: dict[str, FieldError]) -> None:
    """Where the customer came from: a known source, and a channel id that can be a row's."""
    if data.source not in SOURCES:
        errors["source"] = FieldError("source_invalid")
    if data.channel_id is not None and not is_row_id(data.channel_id):
        errors["channel_id"] = FieldError("channel_unknown")
