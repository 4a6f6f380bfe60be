"""Portuguese is picked like Spanish and English: the settings, the API's Accept-Language, the pickers."""

import pytest

from crm_app.api.v1.problems import accepted_language
from crm_app.domain.countries import default_language
from crm_app.i18n import LANGUAGES, t
from crm_app.settings import UI_LANGUAGES, load_settings


def test_the_settings_know_every_interface_language():
    assert UI_LANGUAGES == LANGUAGES
    assert load_settings({"CRM_DEFAULT_LANGUAGE": "pt"}).default_language == "pt"


@pytest.mark.parametrize(("header", "language"), [
    ("pt", "pt"), ("pt-BR", "pt"), ("pt-PT", "pt"), ("pt-BR,pt;q=0.9,en;q=0.8", "pt"),
    ("en-US,pt-BR;q=0.8", "en"), ("fr, pt-BR;q=0.5", "pt"),
])
def test_the_api_answers_in_portuguese_to_whoever_asks(header, language):
    assert accepted_language(header) == language


def test_each_language_is_offered_in_its_own_words():
    assert [t(f"lang_{code}", "es") for code in LANGUAGES] == ["Español", "English", "Português (Brasil)"]


def test_brazil_starts_in_portuguese_and_the_rest_in_spanish():
    assert [default_language(code) for code in ("BR", "EC", "US", "XX")] == ["pt", "es", "es", "es"]
