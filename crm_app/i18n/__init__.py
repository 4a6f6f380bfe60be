"""Message catalogues (es, en, pt). Spanish is the default; every language has every key.

English is the source language: its texts live in the code (en.py and the ``EN`` dicts of areas/, see
sources.py). Spanish and Brazilian Portuguese are gettext catalogues (locale/<locale>/LC_MESSAGES/
messages.po, each message's msgctxt being its key), compiled to .mo and read here once at import into
plain dicts: a page's ``tr`` and ``t()`` cost what they did with the Python dicts. README: "Translating".
"""

from __future__ import annotations

from crm_app.domain.errors import DomainError
from crm_app.i18n import compiled, sources

LANGUAGES = ("es", "en", "pt")
DEFAULT_LANGUAGE = "es"
SOURCE_LANGUAGE = "en"
# The gettext locale of each translated language ("pt" is Brazilian Portuguese; its html lang is pt-BR).
GETTEXT_LOCALES = {"es": "es", "pt": "pt_BR"}


def _build() -> dict[str, dict[str, str]]:
    source = sources.source_texts()
    built = {SOURCE_LANGUAGE: source}
    for lang, locale in GETTEXT_LOCALES.items():
        found = compiled.translations(locale)
        # A message the .po lacks (or marks fuzzy) reads in English, as gettext shows it.
        texts = {key: found.pgettext(key, text) for key, text in source.items()}
        texts.update(sources.pending(lang))
        built[lang] = texts
    return built


_CATALOGUES: dict[str, dict[str, str]] = _build()


def catalogue(lang: str) -> dict[str, str]:
    return _CATALOGUES.get(lang, _CATALOGUES[DEFAULT_LANGUAGE])


def t(key: str, lang: str, **params: object) -> str:
    """The message for ``key`` in ``lang``; an unknown key shows itself rather than failing."""
    text = catalogue(lang).get(key, key)
    return text.format(**params) if params else text


def error_text(error: DomainError, lang: str) -> str:
    return t(error.code, lang, **error.params)
