"""The catalogue the pages carry (SessionState.tr) keeps every message a page can look up, and only those:
a message left out would show as an empty label, one kept for nothing weighs on every first load."""

import re

import pytest

from crm_app.browser_catalogue import _subscripts, lookups
from crm_app.i18n import LANGUAGES, catalogue
from crm_app.i18n.browser import PREFIXES, SENT, browser_catalogue, named_keys

# The one lookup of a name the server sends: [label key, value] pairs (PROFILE_FACTS, PURCHASE_FIGURES).
SENT_LOOKUP = "f_rx_state_?.at?.(0)"


@pytest.fixture(scope="module")
def pages():
    return lookups()


def test_the_names_the_pages_look_up_are_the_file_make_browser_keys_writes(pages):
    assert pages.names == named_keys(), "run `make browser-keys` after changing what a page shows"


def test_every_lookup_by_an_expression_starts_with_a_kept_prefix_or_reads_a_sent_name(pages):
    for expression in pages.computed:
        prefix = re.match(r'\("([a-z_]+)"\+', expression)
        assert (prefix and prefix.group(1) in PREFIXES) or expression == SENT_LOOKUP, expression


def test_each_kept_prefix_names_messages_and_every_language_keeps_the_same():
    spanish = browser_catalogue("es")
    for prefix in PREFIXES:
        assert any(key.startswith(prefix) for key in spanish), prefix
    for lang in LANGUAGES:
        kept = browser_catalogue(lang)
        assert kept.keys() == spanish.keys()
        assert all(kept[key] == catalogue(lang)[key] for key in kept)
    assert named_keys() | SENT <= spanish.keys()


def test_messages_only_the_server_reads_stay_out_of_the_pages():
    kept = browser_catalogue("es")
    assert len(kept) < 0.7 * len(catalogue("es"))
    # An error, a toast, an e-mail's subject: the server reads them and sends the text.
    for server_only in ("required", "campaign_saved", "invitation_done_subject"):
        assert server_only in catalogue("es") and server_only not in kept


def test_a_subscript_ends_at_its_own_bracket_whatever_its_strings_hold():
    code = 'x.tr?.["a]b"] + x.tr?.[("p_"+row?.["k"])] + x.tr?.[f?.at?.(0)]'
    assert _subscripts(code, "x.tr?.[") == ['"a]b"', '("p_"+row?.["k"])', "f?.at?.(0)"]
