"""The customer form as an organization configures it, and the rules that follow from it.

Pure values and functions: the services load a :class:`FormConfig` from the database and call
:func:`required_errors` and :func:`crm_app.domain.custom_values.clean_custom_values` on every create and
edit, so the rules hold for the staff form, the quick form, the invitation page, the import and the API
alike, not only in a browser. An admin's edit of the form is checked in :mod:`crm_app.domain.form_edits`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from crm_app.domain.customers import CustomerDTO, CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import FieldError

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


# --------------------------------------------------------------------------- configuration values


def _written_in(lang: str, text_es: str, text_en: str, text_pt: str) -> str:
    """The admin's text in ``lang`` itself ("" when he wrote none in it)."""
    return {"es": text_es, "en": text_en, "pt": text_pt}.get(lang, "")


def in_language(lang: str, text_es: str, text_en: str, text_pt: str = "") -> str:
    """An admin's text in ``lang`` when written, else the Spanish one (a label always has it: the editor
    puts the first one an admin gives there), else whichever he wrote (a help text in Portuguese only)."""
    return _written_in(lang, text_es, text_en, text_pt) or text_es or text_pt or text_en


@dataclass(frozen=True)
class BuiltinField:
    key: str
    visible: bool = True
    required: bool = False
    position: int = 0
    label_es: str = ""  # "" = the catalogue's label
    label_en: str = ""
    label_pt: str = ""

    def own_label(self, lang: str) -> str:
        """The admin's label in ``lang``, else his Spanish one; "" where the catalogue's is used (it has
        every language, so a label written in one other language only does not replace it)."""
        return _written_in(lang, self.label_es, self.label_en, self.label_pt) or self.label_es

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
    label_pt: str = ""

    def label(self, lang: str) -> str:
        return in_language(lang, self.label_es, self.label_en, self.label_pt)


@dataclass(frozen=True)
class CustomFieldText:
    """What an admin writes of a custom field: its kind, its labels and help in Spanish, English and
    Portuguese, and whether the form requires it."""

    kind: str
    label_es: str
    label_en: str = ""
    help_es: str = ""
    help_en: str = ""
    required: bool = False
    label_pt: str = ""
    help_pt: str = ""


@dataclass(frozen=True, kw_only=True)
class CustomFieldDef(CustomFieldText):
    id: int
    position: int = 0
    active: bool = True
    options: tuple[ChoiceOption, ...] = ()

    def label(self, lang: str) -> str:
        return in_language(lang, self.label_es, self.label_en, self.label_pt)

    def help(self, lang: str) -> str:
        return in_language(lang, self.help_es, self.help_en, self.help_pt)

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
