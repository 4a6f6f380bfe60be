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


def test_picking_brazil_at_setup_turns_the_page_to_portuguese():
    from reflex.istate.data import RouterData
    from reflex.state import State

    import crm_app.crm_app  # noqa: F401 -- registers every state
    from crm_app.states.auth import SetupState

    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"pathname": "/setup", "asPath": "/setup", "query": {},
                                               "headers": {}})
    setup = root.get_substate(SetupState.get_full_name().split("."))
    pick = SetupState.event_handlers["pick_country"].fn
    pick(setup, "BR")  # the page was in Ecuador's language: it follows Brazil's
    assert (setup.lang, setup.currency, setup.timezone) == ("pt", "BRL", "America/Sao_Paulo")
    pick(setup, "EC")
    assert (setup.lang, setup.currency) == ("es", "USD")
    setup.lang = "en"  # a visitor who picked English keeps it
    pick(setup, "BR")
    assert setup.lang == "en"
