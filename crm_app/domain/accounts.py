"""Customer accounts (pure): the form's input, its validation, and the values passed to the UI.

An account is a company: its tax ID is validated as a company's (``tax_ids.validate_tax_id`` with
client type "company"), its phone is stored E.164 with the raw input kept, its e-mail lower-cased,
its tags follow the customers' tag rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from crm_app.domain.emails import normalize_email
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.ids import is_row_id
from crm_app.domain.phones import normalize_phone
from crm_app.domain.search_text import normalize, sort_key
from crm_app.domain.tags import clean_tags
from crm_app.domain.tax_ids import tax_id_types, validate_tax_id
from crm_app.domain.text import clean_line, clean_text

MEMBER_ROLES = ("main_contact", "billing", "member")
ACCOUNT_SORTS = ("name", "-name", "created", "-created")
MAX_ACCOUNT_PAGE = 100
ACCOUNT_CLIENT_TYPE = "company"  # whose tax ID types and rules an account's tax ID follows

MAX_LENGTHS = {
    "name": 200,
    "address": 300,
    "city": 100,
    "industry": 100,
    "notes": 5000,
}


@dataclass(frozen=True)
class AccountInput:
    name: str = ""
    tax_id_type: str = ""  # "" = the country's default company type
    tax_id: str = ""
    address: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    industry: str = ""
    owner_id: int | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanAccount:
    name: str
    sort_name: str
    tax_id_type: str
    tax_id: str | None
    address: str
    city: str
    phone_raw: str
    phone_e164: str
    email: str
    industry: str
    owner_id: int | None
    notes: str
    tags: tuple[str, ...]

    def search_text(self) -> str:
        """What the accounts list's search looks in: name, tax ID, e-mail, phone digits, city, industry."""
        parts = (
            self.name,
            self.tax_id or "",
            self.email,
            self.phone_e164.lstrip("+"),
            self.city,
            self.industry,
        )
        return " ".join(normalize(p) for p in parts if p)


def clean_account(data: AccountInput, *, country: str) -> CleanAccount:
    """Validate and normalize an account for an organization of ``country``; every bad field at once.

    Raises ``ValidationFailed`` keyed like the form ("name", "tax_id", "phone", "email", "tags"...).
    The owner (a user of the organization) is the service's to check.
    """
    errors: dict[str, FieldError] = {}
    text = {name: clean_line(getattr(data, name)) for name in MAX_LENGTHS if name != "notes"}
    text["notes"] = clean_text(data.notes)
    for name, limit in MAX_LENGTHS.items():
        if len(text[name]) > limit:
            errors[name] = FieldError("too_long", max=limit)
    if not text["name"]:
        errors["name"] = FieldError("required")

    tax_id_type, tax_id = "", None
    number = (data.tax_id or "").strip()
    if number:
        try:
            id_type = data.tax_id_type or tax_id_types(country, ACCOUNT_CLIENT_TYPE)[0]
            value = validate_tax_id(country, ACCOUNT_CLIENT_TYPE, id_type, number)
            tax_id_type, tax_id = value.id_type, value.compact
        except FieldError as exc:
            errors["tax_id"] = exc

    phone_raw, phone_e164 = clean_text(data.phone), ""
    if phone_raw:
        try:
            phone_e164 = normalize_phone(phone_raw, country).e164
        except FieldError as exc:
            errors["phone"] = exc

    email = ""
    if (data.email or "").strip():
        try:
            email = normalize_email(data.email)
        except FieldError as exc:
            errors["email"] = exc

    owner_id = data.owner_id
    if owner_id is not None and not is_row_id(owner_id):
        errors["owner_id"] = FieldError("account_owner_unknown")
    tags = clean_tags(tuple(data.tags), errors)

    if errors:
        raise ValidationFailed(errors)
    return CleanAccount(
        name=text["name"],
        sort_name=sort_key(text["name"]),
        tax_id_type=tax_id_type,
        tax_id=tax_id,
        address=text["address"],
        city=text["city"],
        phone_raw=phone_raw if phone_e164 else "",
        phone_e164=phone_e164,
        email=email,
        industry=text["industry"],
        owner_id=owner_id,
        notes=text["notes"],
        tags=tags,
    )


def check_role(role: str) -> str:
    if role not in MEMBER_ROLES:
        raise ValidationFailed({"role": FieldError("member_role_invalid")})
    return role


# --------------------------------------------------------------------------- values for the UI


@dataclass(frozen=True)
class AccountDTO:
    id: int
    version: int
    name: str
    tax_id_type: str
    tax_id: str
    tax_id_formatted: str
    address: str
    city: str
    phone_raw: str
    phone_e164: str
    phone_international: str
    email: str
    industry: str
    owner_id: int | None
    owner_name: str
    notes: str
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


# Fields whose change goes into the account's feed, compared as shown (the owner by name).
DIFF_FIELDS = (
    "name",
    "tax_id",
    "address",
    "city",
    "phone_e164",
    "email",
    "industry",
    "owner_name",
    "notes",
    "tags",
)


def diff_accounts(before: AccountDTO, after: AccountDTO) -> list[tuple[str, object, object]]:
    return [
        (field, getattr(before, field), getattr(after, field))
        for field in DIFF_FIELDS
        if getattr(before, field) != getattr(after, field)
    ]


@dataclass(frozen=True)
class AccountQuery:
    search: str = ""
    sort: str = "name"  # name | -name | created | -created
    after: str = ""  # opaque cursor from the previous page
    limit: int = 25


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    tax_id_formatted: str
    city: str
    industry: str
    owner_name: str
    member_count: int
    created_at: datetime


@dataclass(frozen=True)
class AccountPage:
    rows: tuple[AccountRow, ...]
    next_cursor: str  # "" = no more pages


@dataclass(frozen=True)
class MemberDTO:
    customer_id: int
    name: str
    client_type: str
    role: str
    phone: str
    email: str


@dataclass(frozen=True)
class MemberPage:
    members: tuple[MemberDTO, ...]
    next_cursor: str


@dataclass(frozen=True)
class AccountSummary:
    member_count: int
    credit_limit_total: Decimal
    members_with_credit: int
    tags: tuple[tuple[str, int], ...]  # the members' tags with how many members carry each, commonest first


@dataclass(frozen=True)
class CustomerAccount:
    """One account of a customer, for his profile."""

    account_id: int
    name: str
    role: str
