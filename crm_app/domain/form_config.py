"""The customer form as an organization configures it, and the rules that follow from it.

Pure values and functions: the services load a :class:`FormConfig` from the database and call
:func:`required_errors` and :func:`clean_custom_values` on every create and edit, so the rules hold for
the staff form, the quick form, the invitation page, the import and the API alike, not only in a browser.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crm_app.domain.customers import CLIENT_TYPES, CustomerDTO, CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import FieldError
from crm_app.domain.local_time import local_date
from crm_app.domain.money import parse_decimal
from crm_app.domain.text import clean_line, clean_text

# Built-in fields of each client type's form, in their default order. "coordinates" is the
# latitude/longitude pair, "flags" the supplier/conflictive check boxes.
_COMMON = (
    "tax_id", "phones", "emails", "loyalty_id", "birthday", "channel_id", "tags", "discount_percent",
    "credit_limit", "flags", "street", "city", "region", "postal_code", "address_country", "coordinates",
    "notes",
)
BUILTIN_FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("first_name", "last_name", *_COMMON),
    "company": ("legal_name", "trade_name", "contact_name", *_COMMON),
    "government": ("legal_name", "trade_name", "contact_name", *_COMMON),
}
# A customer is nobody without his name: these stay shown and required whatever the admin picks.
LOCKED = {"person": frozenset({"first_name", "last_name"}), "company": frozenset({"legal_name"}),
          "government": frozenset({"legal_name"})}
# Always have a value (a discount of 0, unticked boxes) or are a pair: "required" means nothing.
NOT_REQUIRABLE = frozenset({"discount_percent", "flags", "coordinates"})
CONTACT_FIELDS = ("phones", "emails")  # at least one of them stays on the form
# The CustomerInput attributes behind each built-in field.
ATTRIBUTES: dict[str, tuple[str, ...]] = {"coordinates": ("latitude", "longitude"),
                                          "flags": ("is_supplier", "is_conflictive")}

KINDS = ("text", "long_text", "integer", "decimal", "date", "boolean", "choice", "multi_choice")
CHOICE_KINDS = frozenset({"choice", "multi_choice"})
MAX_LABEL = 80
MAX_HELP = 200
MAX_OPTIONS = 50
MAX_TEXT = {"text": 200, "long_text": 5000}
_MAX_INTEGER = 2**53  # exact in JSON and JavaScript
_MAX_DECIMAL_DIGITS = 18


# --------------------------------------------------------------------------- configuration values


@dataclass(frozen=True)
class BuiltinField:
    key: str
    visible: bool = True
    required: bool = False
    position: int = 0
    label_es: str = ""  # "" = the catalogue's label
    label_en: str = ""

    @property
    def attributes(self) -> tuple[str, ...]:
        return ATTRIBUTES.get(self.key, (self.key,))


@dataclass(frozen=True)
class ChoiceOption:
    id: int
    label_es: str
    label_en: str = ""
    position: int = 0
    active: bool = True

    def label(self, lang: str) -> str:
        return (self.label_en if lang == "en" else self.label_es) or self.label_es


@dataclass(frozen=True)
class CustomFieldDef:
    id: int
    kind: str
    label_es: str
    label_en: str = ""
    help_es: str = ""
    help_en: str = ""
    required: bool = False
    position: int = 0
    active: bool = True
    options: tuple[ChoiceOption, ...] = ()

    def label(self, lang: str) -> str:
        return (self.label_en if lang == "en" else self.label_es) or self.label_es

    def help(self, lang: str) -> str:
        return (self.help_en if lang == "en" else self.help_es) or self.help_es

    @property
    def active_options(self) -> tuple[ChoiceOption, ...]:
        return tuple(o for o in self.options if o.active)


@dataclass(frozen=True)
class FormConfig:
    """One client type's form: built-in fields in display order, then custom fields (removed ones too)."""

    client_type: str
    builtin: tuple[BuiltinField, ...]
    custom: tuple[CustomFieldDef, ...] = ()

    def field(self, key: str) -> BuiltinField:
        return next(f for f in self.builtin if f.key == key)

    def visible(self, key: str) -> bool:
        return any(f.key == key and f.visible for f in self.builtin)

    def required(self, key: str) -> bool:
        return any(f.key == key and f.visible and f.required for f in self.builtin)

    @property
    def active_custom(self) -> tuple[CustomFieldDef, ...]:
        return tuple(f for f in self.custom if f.active)


def default_builtin(client_type: str) -> tuple[BuiltinField, ...]:
    locked = LOCKED[client_type]
    return tuple(BuiltinField(key=key, required=key in locked, position=i)
                 for i, key in enumerate(BUILTIN_FIELDS[client_type]))


def merge_builtin(client_type: str, stored: Sequence[BuiltinField]) -> tuple[BuiltinField, ...]:
    """The defaults overridden by the stored settings, in display order; locked rules re-applied."""
    by_key = {f.key: f for f in stored if f.key in BUILTIN_FIELDS[client_type]}
    merged = []
    for default in default_builtin(client_type):
        field = by_key.get(default.key, default)
        if default.key in LOCKED[client_type]:
            field = dataclasses.replace(field, visible=True, required=True)
        elif default.key in NOT_REQUIRABLE:
            field = dataclasses.replace(field, required=False)
        merged.append(field)
    return tuple(sorted(merged, key=lambda f: (f.position, BUILTIN_FIELDS[client_type].index(f.key))))


# --------------------------------------------------------------------------- the public form

# Never shown to nor accepted from the public (the invitation page), whatever the form shows staff:
# prices and credit, how the organization files the customer, its internal notes and marks. The map
# pin is placed by staff; the public page asks the address instead.
STAFF_ONLY = frozenset({
    "loyalty_id", "channel_id", "tags", "discount_percent", "credit_limit", "flags", "notes", "coordinates",
})


def public_config(config: FormConfig) -> FormConfig:
    """The form as the public sees it: the staff form with the staff-only fields hidden (so also
    never required of the public; staff complete them later)."""
    builtin = tuple(dataclasses.replace(f, visible=False) if f.key in STAFF_ONLY else f
                    for f in config.builtin)
    return dataclasses.replace(config, builtin=builtin)


def public_input(config: FormConfig, data: CustomerInput) -> CustomerInput:
    """``data`` cut down to what the public form asks: every field it does not show back at its
    default, phones with only their number and consents, no tags, the public form's custom fields."""
    public = public_config(config)
    blank = CustomerInput(client_type=data.client_type)
    reset = {a: getattr(blank, a) for f in public.builtin if not f.visible for a in f.attributes}
    phones = tuple(PhoneInput(number=p.number, whatsapp=p.whatsapp, sms=p.sms, primary=p.primary)
                   for p in data.phones)
    active = {f.id for f in public.active_custom}
    custom = {field_id: value for field_id, value in data.custom.items() if field_id in active}
    return dataclasses.replace(data, **{"phones": phones, **reset, "tags": (), "custom": custom})


# --------------------------------------------------------------------------- checking an admin's edit


def check_builtin(client_type: str, fields: Sequence[BuiltinField]) -> dict[str, FieldError]:
    """Errors of a built-in field edit, keyed "<key>.visible", "<key>.required", "<key>.label_es"..."""
    errors: dict[str, FieldError] = {}
    if client_type not in CLIENT_TYPES:
        return {"client_type": FieldError("client_type_invalid", client_type=client_type)}
    known = set(BUILTIN_FIELDS[client_type])
    for field in fields:
        if field.key not in known:
            errors[field.key] = FieldError("field_unknown")
            continue
        if field.key in LOCKED[client_type] and not (field.visible and field.required):
            errors[f"{field.key}.visible"] = FieldError("field_locked")
        if field.key in NOT_REQUIRABLE and field.required:
            errors[f"{field.key}.required"] = FieldError("field_not_requirable")
        for lang in ("es", "en"):
            if len(getattr(field, f"label_{lang}").strip()) > MAX_LABEL:
                errors[f"{field.key}.label_{lang}"] = FieldError("too_long", max=MAX_LABEL)
    shown = {f.key for f in fields if f.visible}
    if not shown & set(CONTACT_FIELDS) and set(CONTACT_FIELDS) <= {f.key for f in fields}:
        errors["phones.visible"] = FieldError("contact_field_needed")
    return errors


@dataclass(frozen=True)
class CustomFieldInput:
    kind: str
    label_es: str
    label_en: str = ""
    help_es: str = ""
    help_en: str = ""
    required: bool = False
    # Choice fields: (existing option id or None for a new one, label es, label en), in display order.
    options: tuple[tuple[int | None, str, str], ...] = ()


def clean_custom_field(data: CustomFieldInput) -> CustomFieldInput:
    """Trimmed labels and options; raises nothing, returns the errors via :func:`custom_field_errors`."""
    def trim(text: str) -> str:
        return clean_line(text)

    options = tuple((oid, trim(es), trim(en)) for oid, es, en in data.options if trim(es) or trim(en))
    options = tuple((oid, es or en, en) for oid, es, en in options)
    return CustomFieldInput(kind=data.kind, label_es=trim(data.label_es) or trim(data.label_en),
                            label_en=trim(data.label_en), help_es=clean_text(data.help_es),
                            help_en=clean_text(data.help_en), required=bool(data.required),
                            options=options if data.kind in CHOICE_KINDS else ())


def custom_field_errors(data: CustomFieldInput) -> dict[str, FieldError]:
    """Errors of a cleaned custom field definition, keyed as the editor's inputs."""
    errors: dict[str, FieldError] = {}
    if data.kind not in KINDS:
        errors["kind"] = FieldError("field_kind_invalid")
    if not data.label_es:
        errors["label_es"] = FieldError("required")
    for name, limit in (("label_es", MAX_LABEL), ("label_en", MAX_LABEL), ("help_es", MAX_HELP),
                        ("help_en", MAX_HELP)):
        if len(getattr(data, name)) > limit:
            errors[name] = FieldError("too_long", max=limit)
    if data.kind == "boolean" and data.required:
        errors["required"] = FieldError("field_not_requirable")
    if data.kind in CHOICE_KINDS:
        if not data.options:
            errors["options"] = FieldError("options_needed")
        elif len(data.options) > MAX_OPTIONS:
            errors["options"] = FieldError("too_many", max=MAX_OPTIONS)
        seen: set[str] = set()
        for i, (_, es, en) in enumerate(data.options):
            if len(es) > MAX_LABEL or len(en) > MAX_LABEL:
                errors[f"options.{i}"] = FieldError("too_long", max=MAX_LABEL)
            elif es.casefold() in seen:
                errors[f"options.{i}"] = FieldError("option_repeated")
            seen.add(es.casefold())
    return errors


# --------------------------------------------------------------------------- a customer against the form


def _filled(data: CustomerInput, attribute: str) -> bool:
    value = getattr(data, attribute)
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, tuple):
        return bool(value)
    return value is not None


def required_errors(config: FormConfig, data: CustomerInput) -> dict[str, FieldError]:
    """"required" for every shown, required built-in field left empty (keys as the form's)."""
    return {
        field.key: FieldError("required")
        for field in config.builtin
        if field.visible and field.required and not all(_filled(data, a) for a in field.attributes)
    }


def keep_hidden(config: FormConfig, data: CustomerInput, stored: CustomerInput) -> CustomerInput:
    """``data`` with the stored values of the fields the form hides: an edit never clears what it
    could not show."""
    kept = {a: getattr(stored, a) for f in config.builtin if not f.visible for a in f.attributes}
    return dataclasses.replace(data, **kept) if kept else data


def input_from_dto(customer: CustomerDTO) -> CustomerInput:
    """A saved customer as the input that would save him again unchanged."""
    same = {f.name: getattr(customer, f.name) for f in dataclasses.fields(CustomerInput)
            if f.name not in {"phones", "emails", "tax_id", "custom"} and hasattr(customer, f.name)}
    return CustomerInput(
        **{**same, "loyalty_id": customer.loyalty_id or "", "tax_id": customer.tax_id or ""},
        phones=tuple(PhoneInput(number=p.e164, kind=p.kind, label=p.label, whatsapp=p.whatsapp,
                                viber=p.viber, sms=p.sms, primary=p.primary) for p in customer.phones),
        emails=tuple(EmailInput(address=e.address, accepts_email=e.accepts_email, primary=e.primary)
                     for e in customer.emails),
        custom={field_id: [o for o, _ in rows] if rows and rows[0][0] is not None else rows[0][1]
                for field_id, rows in customer.custom if rows},
    )


# One stored value: (option id or None, canonical text).
StoredValue = tuple[int | None, str]


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (
        isinstance(raw, (list, tuple, set, frozenset)) and not raw)


def _option_ids(raw: object) -> list[object]:
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(raw, (list, tuple, set, frozenset)):
        return list(raw)
    return [raw]


def _clean_one(field: CustomFieldDef, raw: object) -> list[StoredValue]:
    """Canonical rows of one non-empty value; raises FieldError."""
    kind = field.kind
    if kind in MAX_TEXT:
        text = raw if isinstance(raw, str) else str(raw)
        text = clean_text(text) if kind == "long_text" else clean_line(text)
        if len(text) > MAX_TEXT[kind]:
            raise FieldError("too_long", max=MAX_TEXT[kind])
        return [(None, text)]
    if kind == "integer":
        text = str(raw).strip()
        if isinstance(raw, bool) or not text.lstrip("+-").isdigit() or abs(int(text)) > _MAX_INTEGER:
            raise FieldError("integer_invalid")
        return [(None, str(int(text)))]
    if kind == "decimal":
        try:
            number = raw if isinstance(raw, Decimal) else parse_decimal(str(raw))
        except ValueError:
            raise FieldError("decimal_invalid") from None
        too_long = len(number.as_tuple().digits) > _MAX_DECIMAL_DIGITS
        if isinstance(raw, bool) or not number.is_finite() or too_long:
            raise FieldError("decimal_invalid")
        return [(None, format(number.normalize(), "f"))]
    if kind == "date":
        if isinstance(raw, date):
            return [(None, raw.isoformat())]
        try:
            return [(None, date.fromisoformat(str(raw).strip()).isoformat())]
        except ValueError:
            raise FieldError("date_invalid") from None
    if kind == "boolean":
        if isinstance(raw, bool):
            return [(None, "true" if raw else "false")]
        text = str(raw).strip().lower()
        if text in {"on", "true", "1", "yes", "si", "sí"}:
            return [(None, "true")]
        if text in {"off", "false", "0", "no"}:
            return [(None, "false")]
        raise FieldError("boolean_invalid")
    valid = {o.id for o in field.active_options}
    chosen: list[int] = []
    for item in _option_ids(raw):
        text = str(item).strip()
        if isinstance(item, bool) or not text.isdigit() or int(text) not in valid:
            raise FieldError("option_invalid")
        if int(text) not in chosen:
            chosen.append(int(text))
    if kind == "choice" and len(chosen) > 1:
        raise FieldError("option_invalid")
    return [(option_id, "") for option_id in chosen]


def clean_custom_values(
    config: FormConfig, raw: Mapping[int, object]
) -> tuple[dict[int, list[StoredValue]], dict[str, FieldError]]:
    """Canonical rows per active custom field, and errors keyed "custom.<field id>".

    Values for removed fields are not accepted (their stored values stay as they are); a value for
    a field of another form or organization is refused as unknown.
    """
    errors: dict[str, FieldError] = {}
    values: dict[int, list[StoredValue]] = {}
    active = {f.id: f for f in config.active_custom}
    for field_id in raw:
        if field_id not in active:
            errors[f"custom.{field_id}"] = FieldError("field_unknown")
    for field in active.values():
        value = raw.get(field.id)
        if _is_empty(value) or (field.kind == "boolean" and field.required is False and value is None):
            if field.required:
                errors[f"custom.{field.id}"] = FieldError("required")
            continue
        try:
            values[field.id] = _clean_one(field, value)
        except FieldError as exc:
            errors[f"custom.{field.id}"] = exc
    return values, errors


def display_value(field: CustomFieldDef, rows: Sequence[StoredValue], lang: str) -> str:
    """A stored value as the profile shows it: option labels in ``lang``, dates in its date format;
    yes/no as "true"/"false" (the caller's catalogue words them)."""
    if field.kind in CHOICE_KINDS:
        labels = {o.id: o.label(lang) for o in field.options}
        return ", ".join(labels.get(option_id, "?") for option_id, _ in rows if option_id is not None)
    text = rows[0][1] if rows else ""
    if field.kind == "date" and text:
        try:  # a date reads like every other date of the language: "2 dic 2026"
            return local_date(date.fromisoformat(text), lang)
        except ValueError:
            return text
    return text
