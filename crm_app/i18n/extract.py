"""Babel extraction method for the catalogue modules (babel.cfg, `make messages`).

Each entry of a module's English dict becomes a message with the key as msgctxt and the English text as
msgid, as ``pgettext(key, text)`` would be extracted, and a ``#.`` comment naming its area for translators.
The module is executed (our own code, never user input) because some dicts are built by expressions
(``**_ACRONYMS``). Locations name the file only (`--add-location=file`): the key already says where a
message is used, and line numbers would change the .po files whenever a line moves.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from crm_app.i18n.sources import BASE_AREA, english


def extract_catalogue(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
                      options: Mapping[str, Any]) -> Iterator[tuple[int, str, list[str], list[str]]]:
    filename = getattr(fileobj, "name", "<catalogue>")
    namespace: dict[str, object] = {"__name__": "crm_app.i18n.extracted"}
    exec(compile(fileobj.read(), filename, "exec"), namespace)
    area = BASE_AREA if Path(filename).name == "en.py" else Path(filename).stem
    for key, text in english(namespace).items():
        yield 0, "pgettext", [key, text], [f"area: {area}"]
