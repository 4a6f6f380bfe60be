import re

import pytest

from crm_app.i18n import LANGUAGES, catalogue


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_catalogue_has_the_same_keys_as_english(lang):
    assert set(catalogue(lang)) == set(catalogue("en"))


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_placeholders_match_between_languages(lang):
    english = catalogue("en")
    for key, text in catalogue(lang).items():
        assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", english[key])), key


def test_portuguese_is_brazilian():
    assert catalogue("pt")["html_lang"] == "pt-BR"
    assert catalogue("pt")["lang_pt"] == "Português (Brasil)"
