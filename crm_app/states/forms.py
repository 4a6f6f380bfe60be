"""Turning service errors into per-field messages in the user's language."""

from __future__ import annotations

from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.i18n import error_text


def field_errors(exc: ValidationFailed, lang: str) -> dict[str, str]:
    return {field: error_text(err, lang) for field, err in exc.errors.items()}


def one_field(field: str, exc: FieldError, lang: str) -> dict[str, str]:
    return {field: error_text(exc, lang)}


def text(form: dict, key: str) -> str:
    """A form value as text: the browser may send anything, or nothing, for a field."""
    value = form.get(key, "")
    return value if isinstance(value, str) else ""
