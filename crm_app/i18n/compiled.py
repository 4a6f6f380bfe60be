"""The compiled catalogues (.mo) of each translated language, loaded with Babel.

`make compile-messages` (run by make run / test / prod) writes locale/<locale>/LC_MESSAGES/messages.mo
from its .po; the .mo are build artifacts, not committed. When one is missing or older than its .po (a
fresh clone, pytest run directly, a .po just edited) it is compiled here at import, the same way, so the
app never shows stale or missing translations. Fuzzy entries are left out, as pybabel compile does.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(locale: str) -> NullTranslations:
    """The locale's compiled catalogue; without a .po, none (every message reads in English)."""
    po = po_path(locale)
    if not po.exists():
        return NullTranslations()
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime_ns < po.stat().st_mtime_ns:
        data = compile_po(po, locale)
        try:
            _replace(mo, data)
        except OSError:  # a read-only checkout: use it from memory
            return Translations(io.BytesIO(data), domain=DOMAIN)
    with mo.open("rb") as stream:
        return Translations(stream, domain=DOMAIN)


def compile_po(po: Path, locale: str) -> bytes:
    # Imported here: Babel's .po reader is only needed when a .mo is stale, not in every process.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as stream:
        catalog = read_po(stream, locale=locale)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _replace(target: Path, data: bytes) -> None:
    """Written whole then renamed, so a process starting beside (make prod's nodes) never reads half."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a .mo is as public as its .po
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
