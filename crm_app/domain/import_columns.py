"""The columns of a customer spreadsheet: one definition for the import template, the mapping of a
file's headers, the rows read into a CustomerInput, and the export.

A column's ``key`` names what it holds, as the customer form names it: ``first_name``, ``tax_id``,
``phones.1.number`` (numbered from 1, as a person counts columns), ``emails.2.accepts_email``,
``custom.12`` (a custom field by id), ``tags``, ``channel`` (by name), ``account`` (by name),
``client_type``. Labels come from the caller (the catalogue in the user's language), so this module
stays free of i18n and of the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crm_app.domain.form_config import FormConfig

# How many numbered phone and e-mail columns a template offers (a file may have more: any number is
# mapped, up to the form's limits).
TEMPLATE_PHONES = 2
TEMPLATE_EMAILS = 2
PHONE_PARTS = ("number", "kind", "whatsapp", "viber", "sms")
EMAIL_PARTS = ("address", "accepts_email")
# Built-in fields whose form item stands for several columns.
_EXPANDED = {
    "coordinates": ("latitude", "longitude"),
    "flags": ("is_supplier", "is_conflictive"),
    "channel_id": ("channel",),
}
# Cells that must stay text: leading zeros and long digit strings are identifiers, not numbers.
TEXT_KEYS = frozenset({"tax_id", "loyalty_id", "postal_code"})
BOOLEAN_KEYS = frozenset({"is_supplier", "is_conflictive"})
DATE_KEYS = frozenset({"birthday"})
NUMBER_KEYS = frozenset({"discount_percent", "credit_limit", "latitude", "longitude"})
_NUMBERED = re.compile(r"^(phones|emails)\.(\d+)\.(\w+)$")


@dataclass(frozen=True)
class Column:
    """One column of the sheet: what it holds (``key``), its header, and how its cells are written."""

    key: str
    label: str
    kind: str = "text"  # text | id_text | date | number | boolean | choice | multi_choice | list
    required: bool = False
    choices: tuple[str, ...] = ()  # allowed values, as a person types them
    field_id: int | None = None  # a custom field's id

    @property
    def text_cell(self) -> bool:
        """Written as a text cell in the template and the export (IDs and phones keep their zeros)."""
        return self.kind == "id_text"


def numbered(key: str) -> tuple[str, int, str] | None:
    """``("phones", 1, "number")`` for ``phones.1.number``; None for a key that is not numbered."""
    found = _NUMBERED.match(key)
    return (found[1], int(found[2]), found[3]) if found else None


def phone_keys(n: int) -> tuple[str, ...]:
    return tuple(f"phones.{n}.{part}" for part in PHONE_PARTS)


def email_keys(n: int) -> tuple[str, ...]:
    return tuple(f"emails.{n}.{part}" for part in EMAIL_PARTS)


def _builtin_keys(config: FormConfig, phones: int, emails: int) -> Iterable[tuple[str, bool]]:
    """(column key, required) of the form's visible built-in fields, in the form's order."""
    for field in config.builtin:
        if not field.visible:
            continue
        if field.key == "phones":
            for n in range(1, phones + 1):
                yield from ((k, field.required and n == 1 and k.endswith("number")) for k in phone_keys(n))
        elif field.key == "emails":
            for n in range(1, emails + 1):
                yield from ((k, field.required and n == 1 and k.endswith("address")) for k in email_keys(n))
        elif field.key == "tax_id":
            yield "tax_id_type", False
            yield "tax_id", field.required
        else:
            yield from ((k, field.required) for k in _EXPANDED.get(field.key, (field.key,)))


def _kind(key: str) -> str:
    if key in TEXT_KEYS or key.endswith(".number"):
        return "id_text"
    if key in BOOLEAN_KEYS or key.endswith((".whatsapp", ".viber", ".sms", ".accepts_email")):
        return "boolean"
    if key in DATE_KEYS:
        return "date"
    if key in NUMBER_KEYS:
        return "number"
    if key == "tags":
        return "list"
    return "text"


def customer_columns(
    config: FormConfig,
    label: Callable[[str], str],
    *,
    choices: Callable[[str], tuple[str, ...]] = lambda key: (),
    lang: str = "es",
    phones: int = TEMPLATE_PHONES,
    emails: int = TEMPLATE_EMAILS,
    with_account: bool = True,
) -> tuple[Column, ...]:
    """The columns of one client type's sheet: its type, the form's visible built-in fields in the
    form's order (phones and e-mails as numbered columns), its active custom fields, then the account.

    ``label(key)`` is a column's header in the user's language (numbered keys included, e.g.
    "Teléfono 1"); ``choices(key)`` the values a column allows (channels, phone types, tax ID types,
    client types), shown in the template's explanation sheet.
    """
    keys: list[tuple[str, bool]] = [("client_type", False), *_builtin_keys(config, phones, emails)]
    if with_account:
        keys.append(("account", False))
    columns = [Column(key=k, label=label(k), kind=_kind(k), required=req, choices=choices(k))
               for k, req in keys]
    for field in config.active_custom:
        kind = field.kind if field.kind in ("date", "boolean", "choice", "multi_choice") else (
            "number" if field.kind in ("integer", "decimal") else "text")
        columns.append(Column(
            key=f"custom.{field.id}", label=field.label(lang), kind=kind, required=field.required,
            choices=tuple(o.label(lang) for o in field.active_options), field_id=field.id,
        ))
    return tuple(columns)


# --------------------------------------------------------------------------- headers


def header_key(text: str) -> str:
    """A header as compared: no accents, lower case, words separated by one space ("  Teléfono_1 " ->
    "telefono 1"). Punctuation other than a number's is a separator."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())
