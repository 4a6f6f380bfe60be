"""Errors raised by domain and service code.

Each carries an i18n message key (``code``) and its parameters, so the UI and the API
can show the message in the user's language instead of a hard-coded string.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base; carries an i18n message key and params."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


class FieldError(DomainError):
    """A bad value for one field."""


class ValidationFailed(DomainError):
    """One or more fields are wrong: ``errors`` maps field name -> (code, params)."""

    def __init__(self, errors: dict[str, FieldError]) -> None:
        self.errors = errors
        super().__init__("validation_failed")


class NotFound(DomainError):
    """The object does not exist *for this actor* (other organizations' ids included)."""

    def __init__(self, what: str = "object") -> None:
        super().__init__("not_found", what=what)


class Forbidden(DomainError):
    """The actor is signed in but his role may not do this."""

    def __init__(self) -> None:
        super().__init__("forbidden")


class Conflict(DomainError):
    """The write would break a rule about existing data (duplicate, stale version...)."""
