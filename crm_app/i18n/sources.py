"""The English source texts: the base (en.py ``MESSAGES``) and one module per product area in areas/
(its ``EN`` dict). English is the language the code is written in: its texts are the gettext msgids, each
key the msgctxt; Spanish and Portuguese are translations in locale/<locale>/LC_MESSAGES/messages.po.

An area module written before its strings reach the .po files may still carry ``ES`` (and ``PT``) dicts
beside ``EN``: they are read as they are ("pending") until `make messages` and the conversion move them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from types import ModuleType

from crm_app.i18n import areas, en

BASE_AREA = "base"
# The dict an unconverted area module may still hold for a language.
PENDING_DICTS = {"es": "ES", "pt": "PT"}


def english(namespace: Mapping[str, object]) -> dict[str, str]:
    """The source dict of a catalogue module's namespace (``EN``, or the base's ``MESSAGES``)."""
    texts = namespace.get("EN", namespace.get("MESSAGES"))
    return dict(texts) if isinstance(texts, dict) else {}


def modules() -> Iterator[tuple[str, ModuleType]]:
    """(area name, module): the base first, then the areas in name order."""
    yield BASE_AREA, en
    for info in sorted(pkgutil.iter_modules(areas.__path__), key=lambda i: i.name):
        yield info.name, importlib.import_module(f"{areas.__name__}.{info.name}")


def source_texts() -> dict[str, str]:
    """Every key with its English text; a key defined in two modules is a mistake caught at import."""
    merged: dict[str, str] = {}
    for name, module in modules():
        texts = english(vars(module))
        twice = set(texts) & set(merged)
        if twice:
            raise RuntimeError(f"i18n keys defined twice ({name}): {sorted(twice)}")
        merged.update(texts)
    return merged


def pending(lang: str) -> dict[str, str]:
    """The ``ES``/``PT`` texts of area modules not yet moved to the .po files."""
    attr = PENDING_DICTS.get(lang)
    texts: dict[str, str] = {}
    for _name, module in modules():
        found = getattr(module, attr, None) if attr else None
        if isinstance(found, dict):
            texts.update(found)
    return texts


def pending_keys() -> set[str]:
    """Keys of the area modules that still hold an ``ES`` dict (their strings are not in the .po yet)."""
    return {key for _name, module in modules() if isinstance(getattr(module, "ES", None), dict)
            for key in english(vars(module))}
