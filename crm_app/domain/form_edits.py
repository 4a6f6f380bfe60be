"""An admin's edit of the customer form checked: built-in fields shown, required and renamed within
the rules (:func:`check_builtin`), and a custom field's definition (:class:`CustomFieldInput`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.errors import FieldError
from crm_app.domain.form_config import (
    BUILTIN_FIELDS,
    CHOICE_KINDS,
    CONTACT_FIELDS,
    KINDS,
    LOCKED,
    NOT_REQUIRABLE,
    BuiltinField,
    CustomFieldText,
)
from crm_app.domain.text import clean_line, clean_text

MAX_LABEL = 80
MAX_HELP = 200
MAX_OPTIONS = 50
# The languages an admin writes his own texts in (labels, help, options), in OptionText's order.
LABEL_LANGUAGES = ("es", "en", "pt")


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
        for lang in LABEL_LANGUAGES:
            if len(getattr(field, f"label_{lang}").strip()) > MAX_LABEL:
                errors[f"{field.key}.label_{lang}"] = FieldError("too_long", max=MAX_LABEL)
    shown = {f.key for f in fields if f.visible}
    if not shown & set(CONTACT_FIELDS) and set(CONTACT_FIELDS) <= {f.key for f in fields}:
        errors["phones.visible"] = FieldError("contact_field_needed")
    return errors


class OptionText(NamedTuple):
    """A choice field's option as the editor sends it: its id (None for a new one) and its labels."""

    id: int | None
    es: str
    en: str = ""
    pt: str = ""


@dataclass(frozen=True)
class CustomFieldInput(CustomFieldText):
    # Choice fields: OptionText (or a plain tuple of its fields), in display order.
    options: tuple[OptionText | tuple, ...] = ()


def clean_custom_field(data: CustomFieldInput) -> CustomFieldInput:
    """Trimmed labels and options; raises nothing, returns the errors via :func:`custom_field_errors`.
    The Spanish label (what other languages fall back to) gets the first label written when it is not."""
    def trim(text: str) -> str:
        return clean_line(text)

    options = (OptionText(*option) for option in data.options)
    options = tuple(OptionText(o.id, trim(o.es) or trim(o.pt) or trim(o.en), trim(o.en), trim(o.pt))
                    for o in options if trim(o.es) or trim(o.en) or trim(o.pt))
    label_es = trim(data.label_es) or trim(data.label_pt) or trim(data.label_en)
    return CustomFieldInput(kind=data.kind, label_es=label_es, label_en=trim(data.label_en),
                            label_pt=trim(data.label_pt),
                            help_es=clean_text(data.help_es), help_en=clean_text(data.help_en),
                            help_pt=clean_text(data.help_pt), required=bool(data.required),
                            options=options if data.kind in CHOICE_KINDS else ())


def custom_field_errors(data: CustomFieldInput) -> dict[str, FieldError]:
    """Errors of a cleaned custom field definition, keyed as the editor's inputs."""
    errors: dict[str, FieldError] = {}
    if data.kind not in KINDS:
        errors["kind"] = FieldError("field_kind_invalid")
    if not data.label_es:
        errors["label_es"] = FieldError("label_needed")
    for name, limit in (("label_es", MAX_LABEL), ("label_en", MAX_LABEL), ("label_pt", MAX_LABEL),
                        ("help_es", MAX_HELP), ("help_en", MAX_HELP), ("help_pt", MAX_HELP)):
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
        for i, (_, es, en, pt) in enumerate(data.options):
            if max(len(es), len(en), len(pt)) > MAX_LABEL:
                errors[f"options.{i}"] = FieldError("too_long", max=MAX_LABEL)
            elif es.casefold() in seen:
                errors[f"options.{i}"] = FieldError("option_repeated")
            seen.add(es.casefold())
    return errors


