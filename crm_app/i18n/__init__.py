"""Message catalogues (es, en, pt). Spanish is the default; keys are shared by all catalogues.

The base strings live in es.py / en.py; each product area may keep its own in crm_app/i18n/areas/
(``ES`` and ``EN`` dicts), merged here once at import. Brazilian Portuguese ("pt", Babel's pt_BR) is read
from docs/translations/pt_BR.json until the catalogues move to gettext.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

from crm_app.domain.errors import DomainError
from crm_app.i18n import areas, en, es

LANGUAGES = ("es", "en", "pt")
DEFAULT_LANGUAGE = "es"
_PT_JSON = Path(__file__).resolve().parents[2] / "docs" / "translations" / "pt_BR.json"


def _merged() -> dict[str, dict[str, str]]:
    merged = {"es": dict(es.MESSAGES), "en": dict(en.MESSAGES)}
    for info in sorted(pkgutil.iter_modules(areas.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{areas.__name__}.{info.name}")
        for lang, entries in (("es", module.ES), ("en", module.EN)):
            twice = set(entries) & set(merged[lang])
            if twice:
                raise RuntimeError(f"i18n keys defined twice ({info.name}): {sorted(twice)}")
            merged[lang].update(entries)
    # A key not translated yet (an area added since the JSON) reads in English, as gettext would show it.
    merged["pt"] = dict(merged["en"])
    merged["pt"].update(portuguese())
    return merged


def portuguese() -> dict[str, str]:
    """The Brazilian Portuguese texts written so far (interim, until the .po catalogues)."""
    return {key: text for area in json.loads(_PT_JSON.read_text(encoding="utf-8")).values()
            for key, text in area.items()}


_CATALOGUES: dict[str, dict[str, str]] = _merged()


def catalogue(lang: str) -> dict[str, str]:
    return _CATALOGUES.get(lang, _CATALOGUES[DEFAULT_LANGUAGE])


def t(key: str, lang: str, **params: object) -> str:
    """The message for ``key`` in ``lang``; an unknown key shows itself rather than failing."""
    text = catalogue(lang).get(key, key)
    return text.format(**params) if params else text


def error_text(error: DomainError, lang: str) -> str:
    return t(error.code, lang, **error.params)
