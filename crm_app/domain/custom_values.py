"""A customer's values of the custom fields: typed or picked input checked against each field's kind
and stored canonically (:func:`clean_custom_values`), and shown back in the reader's language
(:func:`display_value`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from crm_app.domain.errors import FieldError
from crm_app.domain.form_config import CHOICE_KINDS, CustomFieldDef, FormConfig
from crm_app.domain.local_time import local_date
from crm_app.domain.money import parse_decimal
from crm_app.domain.text import clean_line, clean_text

MAX_TEXT = {"text": 200, "long_text": 5000}
_MAX_INTEGER = 2**53  # exact in JSON and JavaScript
_MAX_DECIMAL_DIGITS = 18

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


def _text(field: CustomFieldDef, raw: object) -> list[StoredValue]:
    text = raw if isinstance(raw, str) else str(raw)
    text = clean_text(text) if field.kind == "long_text" else clean_line(text)
    if len(text) > MAX_TEXT[field.kind]:
        raise FieldError("too_long", max=MAX_TEXT[field.kind])
    return [(None, text)]


def _integer(field: CustomFieldDef, raw: object) -> list[StoredValue]:
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.lstrip("+-").isdigit() or abs(int(text)) > _MAX_INTEGER:
        raise FieldError("integer_invalid")
    return [(None, str(int(text)))]


def _decimal(field: CustomFieldDef, raw: object) -> list[StoredValue]:
    try:
        number = raw if isinstance(raw, Decimal) else parse_decimal(str(raw))
    except ValueError:
        raise FieldError("decimal_invalid") from None
    too_long = len(number.as_tuple().digits) > _MAX_DECIMAL_DIGITS
    if isinstance(raw, bool) or not number.is_finite() or too_long:
        raise FieldError("decimal_invalid")
    return [(None, format(number.normalize(), "f"))]


def _date(field: CustomFieldDef, raw: object) -> list[StoredValue]:
    if isinstance(raw, date):
        return [(None, raw.isoformat())]
    try:
        return [(None, date.fromisoformat(str(raw).strip()).isoformat())]
    except ValueError:
        raise FieldError("date_invalid") from None


def _boolean(field: CustomFieldDef, raw: object) -> list[StoredValue]:
    if isinstance(raw, bool):
        return [(None, "true" if raw else "false")]
    text = str(raw).strip().lower()
    if text in {"on", "true", "1", "yes", "si", "sí"}:
        return [(None, "true")]
    if text in {"off", "false", "0", "no"}:
        return [(None, "false")]
    raise FieldError("boolean_invalid")


def _options(field: CustomFieldDef, raw: object) -> list[StoredValue]:
    """Active option ids of the field, each once; one at most for a single choice."""
    valid = {o.id for o in field.active_options}
    chosen: list[int] = []
    for item in _option_ids(raw):
        text = str(item).strip()
        if isinstance(item, bool) or not text.isdigit() or int(text) not in valid:
            raise FieldError("option_invalid")
        if int(text) not in chosen:
            chosen.append(int(text))
    if field.kind == "choice" and len(chosen) > 1:
        raise FieldError("option_invalid")
    return [(option_id, "") for option_id in chosen]


# Each kind's reader of one non-empty value: canonical rows, or FieldError. Choices (and any kind
# not listed) are option ids.
_READERS = {"text": _text, "long_text": _text, "integer": _integer, "decimal": _decimal, "date": _date,
            "boolean": _boolean}


def _clean_one(field: CustomFieldDef, raw: object) -> list[StoredValue]:
    """Canonical rows of one non-empty value; raises FieldError."""
    return _READERS.get(field.kind, _options)(field, raw)


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
