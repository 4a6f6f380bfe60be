"""The catalogues: every language has every message, translated (not empty, not fuzzy), with the English
source's placeholders; and the .pot is what `make messages` extracts from the code now."""

import os
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from crm_app.i18n import GETTEXT_LOCALES, LANGUAGES, catalogue, compiled, sources, t

ROOT = Path(__file__).resolve().parents[2]
POT = compiled.LOCALE_DIR / "messages.pot"


def fields(text: str) -> set[str]:
    """The {name} fields of a str.format text ({{ and }} are literal braces)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=locale)


def problems(translated: Catalog, template: Catalog, exempt: set[str] = frozenset()) -> list[str]:
    """What keeps a catalogue from being complete: a template message missing, empty or fuzzy, or a
    translation whose placeholders differ from the source's."""
    found = []
    for wanted in template:
        if not wanted.id or wanted.context in exempt:
            continue
        message = translated.get(wanted.id, context=wanted.context)
        if message is None or not message.string:
            found.append(f"{wanted.context}: not translated")
        elif message.fuzzy:
            found.append(f"{wanted.context}: fuzzy (check it, then remove the fuzzy flag)")
        elif fields(message.string) != fields(wanted.id):
            found.append(f"{wanted.context}: placeholders {sorted(fields(message.string))}, "
                         f"the source has {sorted(fields(wanted.id))}")
    return found


def test_the_pot_holds_exactly_what_the_code_extracts():
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    extracted = {(context, message) for _f, _l, message, _c, context
                 in extract_from_dir(str(ROOT), method_map, options_map)}
    in_pot = {(m.context, m.id) for m in read(POT) if m.id}
    # An area written today with ES/EN dicts may wait for its conversion (served from its dicts).
    missing = {entry for entry in extracted - in_pot if entry[0] not in sources.pending_keys()}
    assert not missing, f"run `make messages`: not in messages.pot: {sorted(missing)[:20]}"
    gone = in_pot - extracted
    assert not gone, f"run `make messages`: gone from the code: {sorted(gone)[:20]}"


@pytest.mark.parametrize("locale", sorted(GETTEXT_LOCALES.values()))
def test_every_message_is_translated_with_the_same_placeholders(locale):
    found = problems(read(compiled.po_path(locale), locale), read(POT), exempt=sources.pending_keys())
    assert not found, f"{compiled.po_path(locale).relative_to(ROOT)}: " + "; ".join(found[:20])


def test_the_check_catches_a_missing_an_empty_a_fuzzy_and_a_changed_placeholder():
    template = Catalog()
    for key in ("kept", "missing", "empty", "fuzzy", "changed"):
        template.add("Hello {name}", context=key)
    translated = Catalog(locale="es")
    translated.add("Hello {name}", "Hola {name}", context="kept")
    translated.add("Hello {name}", "", context="empty")
    translated.add("Hello {name}", "Hola {name}", context="fuzzy", flags=["fuzzy"])
    translated.add("Hello {name}", "Hola {nombre}", context="changed")
    found = [problem.split(":")[0] for problem in problems(translated, template)]
    assert found == ["missing", "empty", "fuzzy", "changed"]
    assert fields("{{% if %}} {line} {line}") == {"line"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_key(lang):
    assert set(catalogue(lang)) == set(catalogue("en"))


def test_pending_area_dicts_match_their_english():
    for name, module in sources.modules():
        english = sources.english(vars(module))
        for attr in sources.PENDING_DICTS.values():
            pending = getattr(module, attr, None)
            if isinstance(pending, dict):
                assert set(pending) <= set(english), f"{name}.{attr}: keys without English"
                for key, text in pending.items():
                    assert fields(text) == fields(english[key]), f"{name}.{attr}[{key}]"
        if isinstance(getattr(module, "ES", None), dict):
            assert set(module.ES) == set(english), f"{name}: ES and EN keys differ"


def test_portuguese_is_brazilian_and_translated():
    assert t("html_lang", "pt") == "pt-BR" and t("lang_pt", "pt") == "Português (Brasil)"
    assert t("save", "pt") == "Salvar" and t("save", "es") == "Guardar" and t("save", "en") == "Save"
    assert t("account_created", "pt", name="Ana") == "Conta Ana criada."


def test_an_unknown_key_shows_itself_and_an_unknown_language_reads_spanish():
    assert t("no_such_key", "pt") == "no_such_key"
    assert catalogue("fr") is catalogue("es")


def test_a_missing_or_stale_mo_is_compiled_on_import(tmp_path, monkeypatch):
    po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgctxt "save"\nmsgid "Save"\nmsgstr "Guardar"\n', encoding="utf-8")
    monkeypatch.setattr(compiled, "LOCALE_DIR", tmp_path)
    assert compiled.translations("es").pgettext("save", "Save") == "Guardar"
    assert po.with_suffix(".mo").exists()

    po.write_text(po.read_text(encoding="utf-8").replace("Guardar", "Grabar"), encoding="utf-8")
    stale = po.stat().st_mtime_ns - 1_000_000_000
    os.utime(po.with_suffix(".mo"), ns=(stale, stale))
    assert compiled.translations("es").pgettext("save", "Save") == "Grabar"
    assert compiled.translations("pt_BR").pgettext("save", "Save") == "Save"  # no catalogue: English
