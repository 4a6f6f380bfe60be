"""A spreadsheet row read into a :class:`CustomerInput`: the mapped cells (or the defaults the user set
for fields the file lacks) turned into typed values, with the words people type in a sheet ("Sí",
"x", "Móvil", a channel's or an option's name) read as the form's values.

Only what a cell cannot say is refused here (a date that is no date, a channel that does not exist);
everything else is the customer rules' business (domain/customer_validation.check_customer), the same
as for the staff form. Errors are keyed by column key (``phones.2.number``, ``custom.12``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from crm_app.domain.customers import CLIENT_TYPES, CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import FieldError
from crm_app.domain.import_columns import header_key, numbered
from crm_app.domain.money import parse_decimal
from crm_app.domain.phones import phone_e164

# What an import does with a row (create new customers, update matched ones, or both) and what it
# recognizes an existing customer by.
IMPORT_MODES = ("create", "update", "both")
MATCH_KEYS = ("tax_id", "email", "phone", "loyalty_id")
TRUE_WORDS = frozenset({"si", "s", "yes", "y", "x", "1", "true", "verdadero", "on"})
FALSE_WORDS = frozenset({"no", "n", "0", "false", "falso", "off"})
# Dates as people type them in Latin America: ISO, or day first.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# Excel stores a date as days since 1899-12-30; a date cell formatted as a number arrives so.
_EXCEL_EPOCH = date(1899, 12, 30)
_LIST_SPLIT = re.compile(r"[,;|\n]")
TEXT_FIELDS = (
    "first_name", "last_name", "legal_name", "trade_name", "contact_name", "tax_id", "loyalty_id",
    "street", "city", "region", "postal_code", "notes",
)


@dataclass(frozen=True)
class Vocabulary:
    """The organization's words for the values a cell names, each keyed by ``header_key`` of the word."""

    client_types: Mapping[str, str]  # "persona natural", "person", "empresa"... -> "person"...
    channels: Mapping[str, int]  # an active channel's name -> its id
    phone_kinds: Mapping[str, str]  # "movil", "mobile", "casa"... -> "mobile"...; else a custom label
    tax_id_types: Mapping[str, str]  # "ruc", "cedula"... -> the id type's code
    options: Mapping[int, Mapping[str, int]]  # custom choice field id -> option label -> option id
    countries: Mapping[str, str] = dataclasses.field(default_factory=dict)  # "ecuador" -> "EC"


@dataclass(frozen=True)
class ImportPlan:
    """How the file's columns are read: column index -> key, and values for keys no column gives."""

    columns: Mapping[int, str]
    defaults: Mapping[str, str]
    client_type: str = "person"  # for rows without a client type column (or an empty cell)


@dataclass(frozen=True)
class ReadRow:
    """A row as a customer input, what failed to read, and what the customer input cannot hold."""

    data: CustomerInput
    errors: dict[str, FieldError]
    account: str  # the account to add him to, by name ("" = none)
    given: frozenset[str]  # the keys that had a value (an update changes only those)
    phone_columns: tuple[int, ...]  # the numbered column of each of data.phones
    email_columns: tuple[int, ...]


def cells_of(cells: Sequence[str], plan: ImportPlan) -> dict[str, str]:
    """The row's value of each key: its column's cell, else the plan's default for it."""
    values = {key: value for key, value in plan.defaults.items() if value.strip()}
    for index, key in plan.columns.items():
        if index < len(cells) and cells[index].strip():
            values[key] = cells[index].strip()
    return values


def read_boolean(text: str) -> bool:
    word = header_key(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS or not word:
        return False
    raise FieldError("boolean_invalid")


def read_date(text: str) -> date:
    """ISO (what a date cell gives), day/month/year, or an Excel day number."""
    text = text.strip().split(" ")[0]
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    found = _DAY_FIRST.match(text)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        if text.isdigit() and 1 <= int(text) <= 100_000:
            return _EXCEL_EPOCH + timedelta(days=int(text))
    except ValueError:
        pass
    raise FieldError("date_invalid")


def _number(text: str, code: str) -> Decimal:
    try:
        return parse_decimal(text)
    except ValueError:
        raise FieldError(code) from None


def split_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in _LIST_SPLIT.split(text) if part.strip()))


def _lookup(words: Mapping[str, object], text: str, code: str) -> object:
    try:
        return words[header_key(text)]
    except KeyError:
        raise FieldError(code, value=text[:60]) from None


class _Reader:
    """One row's reading: each key's value typed, errors collected under the key."""

    def __init__(self, values: dict[str, str], vocabulary: Vocabulary) -> None:
        self.values, self.vocabulary = values, vocabulary
        self.errors: dict[str, FieldError] = {}

    def get(self, key: str, read, default=None):
        text = self.values.get(key, "")
        if not text:
            return default
        try:
            return read(text)
        except FieldError as exc:
            self.errors[key] = exc
            return default

    def phones(self) -> tuple[tuple[PhoneInput, ...], tuple[int, ...]]:
        found: list[tuple[int, PhoneInput]] = []
        for n in sorted({numbered(k)[1] for k in self.values if (numbered(k) or ("",))[0] == "phones"}):
            number = self.values.get(f"phones.{n}.number", "")
            if not number:
                continue
            kind_text = self.values.get(f"phones.{n}.kind", "")
            kind = self.vocabulary.phone_kinds.get(header_key(kind_text), "custom") if kind_text else ""
            flags = {flag: self.get(f"phones.{n}.{flag}", read_boolean, False)
                     for flag in ("whatsapp", "viber", "sms")}
            label = kind_text if kind == "custom" else ""
            found.append((n, PhoneInput(number=number, kind=kind, label=label, **flags)))
        return tuple(p for _, p in found), tuple(n for n, _ in found)

    def emails(self) -> tuple[tuple[EmailInput, ...], tuple[int, ...]]:
        found: list[tuple[int, EmailInput]] = []
        for n in sorted({numbered(k)[1] for k in self.values if (numbered(k) or ("",))[0] == "emails"}):
            address = self.values.get(f"emails.{n}.address", "")
            if address:
                consent = self.get(f"emails.{n}.accepts_email", read_boolean, False)
                found.append((n, EmailInput(address=address, accepts_email=consent)))
        return tuple(e for _, e in found), tuple(n for n, _ in found)

    def custom(self) -> dict[int, object]:
        custom: dict[int, object] = {}
        for key, text in self.values.items():
            if not key.startswith("custom."):
                continue
            field_id = int(key.split(".", 1)[1])
            options = self.vocabulary.options.get(field_id)
            if options is None:
                custom[field_id] = text
                continue
            ids = [options.get(header_key(label)) for label in split_list(text)]
            if None in ids:
                self.errors[key] = FieldError("option_invalid")
            custom[field_id] = [i for i in ids if i is not None]
        return custom


def read_row(cells: Sequence[str], plan: ImportPlan, vocabulary: Vocabulary) -> ReadRow:
    """The row's customer input (source "import"), its reading errors by key, and its account."""
    values = cells_of(cells, plan)
    reader = _Reader(values, vocabulary)
    words = vocabulary
    client_type = reader.get(
        "client_type", lambda t: _lookup(words.client_types, t, "client_type_invalid")) or plan.client_type
    if client_type not in CLIENT_TYPES:
        client_type = "person"
    phones, phone_columns = reader.phones()
    emails, email_columns = reader.emails()
    data = CustomerInput(
        client_type=client_type,
        **{name: values.get(name, "") for name in TEXT_FIELDS},
        tax_id_type=reader.get("tax_id_type", lambda t: _lookup(words.tax_id_types, t, "tax_id_type_invalid"),
                               ""),
        phones=phones,
        emails=emails,
        birthday=reader.get("birthday", read_date),
        address_country=reader.get("address_country",
                                   lambda t: words.countries.get(header_key(t), t.strip().upper()), ""),
        latitude=reader.get("latitude", lambda t: _number(t, "coordinates_invalid")),
        longitude=reader.get("longitude", lambda t: _number(t, "coordinates_invalid")),
        credit_limit=reader.get("credit_limit", lambda t: _number(t, "credit_limit_invalid")),
        discount_percent=reader.get("discount_percent", lambda t: _number(t.rstrip("% "), "discount_range"),
                                    Decimal(0)),
        channel_id=reader.get("channel", lambda t: _lookup(words.channels, t, "channel_unknown")),
        tags=reader.get("tags", split_list, ()),
        is_supplier=reader.get("is_supplier", read_boolean, False),
        is_conflictive=reader.get("is_conflictive", read_boolean, False),
        source="import",
        custom=reader.custom(),
    )
    return ReadRow(data=data, errors=reader.errors, account=values.get("account", ""),
                   given=frozenset(values), phone_columns=phone_columns, email_columns=email_columns)


def column_of(error_key: str, row: ReadRow) -> str:
    """The column key of a customer rule's error key: "phones.0.number" is the row's first phone, which
    may sit in column "phones.2.number"; other keys are their own column."""
    parts = error_key.split(".")
    if len(parts) == 3 and parts[0] in ("phones", "emails") and parts[1].isdigit():
        columns = row.phone_columns if parts[0] == "phones" else row.email_columns
        index = int(parts[1])
        if index < len(columns):
            field = {"address": "address"}.get(parts[2], parts[2])
            return f"{parts[0]}.{columns[index]}.{field}"
    if error_key == "channel_id":
        return "channel"
    if error_key in ("phones", "emails"):
        return f"{error_key}.1.{'number' if error_key == 'phones' else 'address'}"
    return error_key


# The CustomerInput attribute behind a column key, where the names differ.
_ATTRIBUTE = {"channel": "channel_id"}


def _same_phone(a: str, b: str, country: str) -> bool:
    try:
        return phone_e164(a, country) == phone_e164(b, country)
    except FieldError:
        return False


def merged_update(stored: CustomerInput, row: ReadRow, country: str) -> CustomerInput:
    """A matched customer updated by a row: the fields the row gives replace his, those it leaves empty
    stay; its phones and e-mails are added to his (one he has keeps its place, its flags set by the
    row's columns), its tags added to his, its custom values replace his one by one."""
    given = row.given
    changed = {
        _ATTRIBUTE.get(key, key): getattr(row.data, _ATTRIBUTE.get(key, key))
        for key in given
        if hasattr(row.data, _ATTRIBUTE.get(key, key)) and key not in ("tags",)
    }
    phones = list(stored.phones)
    for phone, n in zip(row.data.phones, row.phone_columns, strict=True):
        at = next((i for i, p in enumerate(phones) if _same_phone(p.number, phone.number, country)), None)
        if at is None:
            phones.append(phone)
            continue
        given_flags = {flag: getattr(phone, flag) for flag in ("whatsapp", "viber", "sms")
                       if f"phones.{n}.{flag}" in given}
        kind = {"kind": phone.kind, "label": phone.label} if f"phones.{n}.kind" in given else {}
        phones[at] = dataclasses.replace(phones[at], **given_flags, **kind)
    emails = list(stored.emails)
    for email, n in zip(row.data.emails, row.email_columns, strict=True):
        address = email.address.strip().lower()
        at = next((i for i, e in enumerate(emails) if e.address.lower() == address), None)
        if at is None:
            emails.append(email)
        elif f"emails.{n}.accepts_email" in given:
            emails[at] = dataclasses.replace(emails[at], accepts_email=email.accepts_email)
    custom = {**stored.custom, **row.data.custom}
    tags = tuple(dict.fromkeys((*stored.tags, *row.data.tags)))
    return dataclasses.replace(stored, **changed, phones=tuple(phones), emails=tuple(emails), tags=tags,
                               custom=custom)
