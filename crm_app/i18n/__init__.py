"""Message catalogues (es, en). Spanish is the default; keys are shared by both catalogues."""

from __future__ import annotations

from crm_app.domain.errors import DomainError
from crm_app.i18n import en, es

LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"
_CATALOGUES: dict[str, dict[str, str]] = {"es": es.MESSAGES, "en": en.MESSAGES}


def catalogue(lang: str) -> dict[str, str]:
    return _CATALOGUES.get(lang, _CATALOGUES[DEFAULT_LANGUAGE])


def t(key: str, lang: str, **params: object) -> str:
    """The message for ``key`` in ``lang``; an unknown key shows itself rather than failing."""
    text = catalogue(lang).get(key, key)
    return text.format(**params) if params else text


def error_text(error: DomainError, lang: str) -> str:
    return t(error.code, lang, **error.params)
