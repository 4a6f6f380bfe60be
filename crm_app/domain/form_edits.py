"""An admin's edit of the customer form checked: built-in fields shown, required and renamed within
the rules (:func:`check_builtin`), and a custom field's definition (:class:`CustomFieldInput`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
class CustomFieldInput(CustomFieldText):
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


