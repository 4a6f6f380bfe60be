"""A configured customer form as the list of items a page renders, in the user's language.

Used by the customer form (every page embedding it) and by the form editor's live preview, so the
preview shows exactly what staff will get.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from crm_app.domain.custom_values import StoredValue
from crm_app.domain.form_config import LOCKED, BuiltinField, CustomFieldDef, FormConfig
from crm_app.i18n import t

# Built-in fields whose catalogue label has another key than the field.
LABEL_KEYS = {"channel_id": "channel", "flags": "form_field_flags", "coordinates": "form_field_coordinates"}
# Items that take the form's whole width (several controls, or long text).
WIDE = frozenset({"tax_id", "phones", "emails", "tags", "flags", "notes", "coordinates"})
QUICK_ALWAYS = frozenset({"phones", "emails"})


@dataclasses.dataclass
class FormItem:
    key: str  # built-in field key, or "custom"
    label: str
    required: bool = False
    wide: bool = False
    kind: str = ""  # custom fields: text, long_text, integer, decimal, date, boolean, choice, multi_choice
    field_id: str = ""
    help: str = ""
    options: list[list[str]] = dataclasses.field(default_factory=list)  # [[option id, label], ...]
    value: str = ""  # custom fields: the current value (text, date, chosen option id, "true")
    chosen: list[str] = dataclasses.field(default_factory=list)  # multiple choice: chosen option ids


def builtin_label(field: BuiltinField, lang: str) -> str:
    """A built-in field's label in ``lang``: the organization's own, else the catalogue's."""
    return field.own_label(lang) or t(LABEL_KEYS.get(field.key, field.key), lang)


def _custom_item(field: CustomFieldDef, lang: str, stored: tuple[StoredValue, ...]) -> FormItem:
    chosen = [str(option_id) for option_id, _ in stored if option_id is not None]
    value = chosen[0] if field.kind == "choice" and chosen else (stored[0][1] if stored else "")
    return FormItem(
        key="custom",
        label=field.label(lang),
        required=field.required,
        wide=field.kind == "long_text",
        kind=field.kind,
        field_id=str(field.id),
        help=field.help(lang),
        options=[[str(o.id), o.label(lang)] for o in field.active_options],
        value=value,
        chosen=chosen,
    )


def form_items(
    config: FormConfig,
    lang: str,
    *,
    quick: bool = False,
    stored: Mapping[int, tuple[StoredValue, ...]] | None = None,
) -> list[FormItem]:
    """The shown fields in order. The quick form keeps the names, the contacts and what is required."""
    stored = stored or {}
    items = []
    for field in config.builtin:
        keep = field.key in LOCKED[config.client_type] or field.key in QUICK_ALWAYS or field.required
        if not field.visible or (quick and not keep):
            continue
        label = builtin_label(field, lang)
        items.append(FormItem(key=field.key, label=label, required=field.required, wide=field.key in WIDE))
    for field in config.active_custom:
        if quick and not field.required:
            continue
        items.append(_custom_item(field, lang, stored.get(field.id, ())))
    return items


def custom_form_values(items: list[FormItem], form: Mapping[str, object]) -> dict[int, object]:
    """The custom fields' submitted values, by field id, as the services take them."""
    values: dict[int, object] = {}
    for item in items:
        if item.key != "custom":
            continue
        name = f"custom.{item.field_id}"
        if item.kind == "multi_choice":
            values[int(item.field_id)] = [
                option_id
                for option_id, _ in item.options
                if form.get(f"{name}.{option_id}") not in (None, "", False)
            ]
        elif item.kind == "boolean":
            values[int(item.field_id)] = form.get(name) not in (None, "", False, "false")
        else:
            raw = form.get(name, "")
            values[int(item.field_id)] = raw if isinstance(raw, str) else ""
    return values


__all__ = ["FormItem", "builtin_label", "custom_form_values", "form_items"]
