"""The customer as the API reads and writes it (documented in /api/v1/openapi.json), and its mapping to
the services' CustomerInput / CustomerDTO: the API takes the same input as the form, so the same rules
(the organization's form configuration, duplicates) apply.

Amounts and coordinates go out as strings (exact decimals, no float rounding); they come in as strings
or numbers. Days are ISO (``YYYY-MM-DD``), moments ISO 8601 in UTC.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from crm_app.domain.customers import CustomerDTO, CustomerInput, CustomerRow, EmailInput, PhoneInput
from crm_app.domain.form_config import input_from_dto

SOURCE = "api"
CustomValue = str | int | float | bool | list[int] | None
_NAMES = ("first_name", "last_name", "legal_name", "trade_name", "contact_name")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is refused, not silently dropped


class PhoneIn(_Strict):
    number: str = Field(description="As typed; read for the organization's country unless it starts with +.")
    kind: str = Field("", description="mobile, work, home or custom; empty: from the number itself.")
    label: str = Field("", description="The custom type's text when kind is custom.")
    whatsapp: bool = False
    viber: bool = False
    sms: bool = False
    primary: bool = False


class EmailIn(_Strict):
    address: str
    accepts_email: bool = Field(
        False, description="The customer consents to e-mails (recorded with its time).")
    primary: bool = False


class CustomerFields(_Strict):
    """What a client may set (every field optional here; see CustomerIn and CustomerPatch)."""

    client_type: str | None = Field(None, description="person, company or government.")
    first_name: str | None = None
    last_name: str | None = None
    legal_name: str | None = None
    trade_name: str | None = None
    contact_name: str | None = None
    tax_id_type: str | None = Field(None, description="Empty: the country's default for the client type.")
    tax_id: str | None = None
    phones: list[PhoneIn] | None = None
    emails: list[EmailIn] | None = None
    loyalty_id: str | None = None
    birthday: date | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    address_country: str | None = Field(None, description="ISO 3166-1 alpha-2.")
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    credit_limit: Decimal | None = None
    discount_percent: Decimal | None = None
    channel_id: int | None = None
    notes: str | None = None
    tags: list[str] | None = None
    is_supplier: bool | None = None
    is_conflictive: bool | None = None
    custom: dict[str, CustomValue] | None = Field(
        None, description="Custom field values by field id (see GET /form-config): text, number, "
                          "ISO day, true/false, or a list of option ids for a choice.")


class CustomerIn(CustomerFields):
    """A whole customer (POST, PUT): what is left out is empty, as in a new form."""


class CustomerPatch(CustomerFields):
    """Only the fields sent change; phones, e-mails and tags sent replace the lists; ``custom`` keys
    sent replace those values (null clears one)."""


def to_input(body: CustomerFields, base: CustomerInput | None = None) -> CustomerInput:
    """The service input: ``base`` (a PATCH's current customer, else an empty form) with the fields
    sent. The source is always "api"."""
    base = base or CustomerInput()
    sent = body.model_dump(exclude_unset=True, exclude={"phones", "emails", "tags", "custom"})
    values: dict[str, Any] = {}
    for name, value in sent.items():
        if value is None:  # null: the field's empty value
            value = getattr(CustomerInput(), name)
        values[name] = value
    if body.phones is not None:
        values["phones"] = tuple(PhoneInput(**p.model_dump()) for p in body.phones)
    if body.emails is not None:
        values["emails"] = tuple(EmailInput(**e.model_dump()) for e in body.emails)
    if body.tags is not None:
        values["tags"] = tuple(body.tags)
    if body.custom is not None:
        values["custom"] = {**base.custom, **_custom_keys(body.custom)}
    return replace(base, **values, source=SOURCE)


def _custom_keys(custom: dict[str, CustomValue]) -> dict[int, object]:
    """Field ids as the service keys them; a key that is not a number is kept as text, which the
    service refuses as an unknown field (at ``custom.<key>``)."""
    return {int(k) if k.isdigit() else k: v for k, v in custom.items()}  # type: ignore[misc]


# --------------------------------------------------------------------------- output


class PhoneOut(BaseModel):
    id: int
    number: str = Field(description="E.164.")
    national: str
    international: str
    kind: str
    label: str
    whatsapp: bool
    viber: bool
    sms: bool
    primary: bool


class EmailOut(BaseModel):
    id: int
    address: str
    accepts_email: bool
    consent_at: datetime | None
    consent_source: str
    primary: bool


class CustomerOut(BaseModel):
    id: int
    version: int = Field(description="Also the ETag; send it back in If-Match to update.")
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
    phones: list[PhoneOut]
    emails: list[EmailOut]
    loyalty_id: str
    birthday: date | None
    street: str
    city: str
    region: str
    postal_code: str
    address_country: str
    latitude: str | None
    longitude: str | None
    credit_limit: str | None
    discount_percent: str
    channel_id: int | None
    channel_name: str
    notes: str
    tags: list[str]
    is_supplier: bool
    is_conflictive: bool
    source: str
    custom: dict[str, CustomValue]
    created_at: datetime
    created_by_name: str
    updated_at: datetime
    updated_by_name: str
    deleted_at: datetime | None


class CustomerListItem(BaseModel):
    id: int
    display_name: str
    client_type: str
    primary_phone: str
    primary_email: str
    tax_id_formatted: str
    tags: list[str]
    is_supplier: bool
    is_conflictive: bool
    created_at: datetime
    amount_spent: str
    last_purchase_at: datetime | None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def customer_out(dto: CustomerDTO) -> CustomerOut:
    stored = input_from_dto(dto)
    return CustomerOut(
        **{name: getattr(dto, name) for name in CustomerOut.model_fields if name not in {
            "phones", "emails", "tags", "custom", "latitude", "longitude", "credit_limit",
            "discount_percent", "loyalty_id", "tax_id"}},
        loyalty_id=dto.loyalty_id or "",
        tax_id=dto.tax_id or "",
        phones=[PhoneOut(id=p.id, number=p.e164, national=p.national, international=p.international,
                         kind=p.kind, label=p.label, whatsapp=p.whatsapp, viber=p.viber, sms=p.sms,
                         primary=p.primary) for p in dto.phones],
        emails=[EmailOut(id=e.id, address=e.address, accepts_email=e.accepts_email, consent_at=e.consent_at,
                         consent_source=e.consent_source, primary=e.primary) for e in dto.emails],
        tags=list(dto.tags),
        custom={str(k): v for k, v in stored.custom.items()},
        latitude=_text(dto.latitude),
        longitude=_text(dto.longitude),
        credit_limit=_text(dto.credit_limit),
        discount_percent=_text(dto.discount_percent) or "0",
    )


def list_item(row: CustomerRow) -> CustomerListItem:
    return CustomerListItem(
        **{name: getattr(row, name) for name in CustomerListItem.model_fields if name not in {"tags",
                                                                                          "amount_spent"}},
        tags=list(row.tags),
        amount_spent=_text(row.amount_spent) or "0",
    )


class BatchIn(_Strict):
    items: list[CustomerIn] = Field(description="At most 100 customers.")


class BatchResult(BaseModel):
    """One item's outcome, in the order sent: ``customer`` when created (status 201), else ``problem``
    (the problem+json the single POST would have answered)."""

    index: int
    status: int
    customer: CustomerOut | None = None
    problem: dict[str, Any] | None = None


class BatchOut(BaseModel):
    items: list[BatchResult]
