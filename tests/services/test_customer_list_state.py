"""The lists' filters as the page's events change them (states/customers.py, states/document_list.py):
each change reads the address the event came from, so a second filter picked before the list reloaded
keeps the first; the customer list's "Filtros" and "Más filtros" buttons count the filters set, and
"Más filtros" clears only its own."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from crm_app.states.customers import CustomersState
from crm_app.states.leads import LeadsState
from tests.services.test_ui_campaign_states import call, tab

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _listing(query: dict[str, str]) -> CustomersState:
    path = "/customers?" + "&".join(f"{k}={v}" for k, v in query.items())
    return tab(CustomersState, "/customers", path, query)


def _redirected_to(spec) -> dict[str, list[str]]:
    path = next(value for name, value in spec.args if name._js_expr == "path")._var_value
    return parse_qs(urlsplit(str(path)).query)


def test_a_filter_picked_before_the_list_reloaded_keeps_the_ones_in_the_address(db_url):
    state = _listing({"type": "person", "tags": "vip"})  # the address changed; the list has not loaded yet
    assert state.client_type == "" and state.tag_filter == []

    assert _redirected_to(call(state, "add_tag_filter", "mayorista")) == {
        "type": ["person"], "tags": ["vip,mayorista"]}
    assert _redirected_to(call(state, "set_filter", "supplier", "1")) == {
        "type": ["person"], "tags": ["vip"], "supplier": ["1"]}
    assert _redirected_to(call(state, "remove_tag_filter", "vip")) == {"type": ["person"]}
    assert _redirected_to(call(state, "set_choice_filter", "7", "3")) == {
        "type": ["person"], "tags": ["vip"], "option": ["7:3"]}


def test_the_filters_button_counts_each_filter_set(db_url):
    state = _listing({"type": "company", "tags": "vip,mayorista", "consent": "1", "option": "7:3",
                      "min_spent": "100", "sort": "-created", "q": "ana"})
    state._read_url()
    assert state.filter_count == 6  # the sort and the search are not filters of the dialog
    assert state.more_filter_count == 3  # a wide screen shows the type and tags; "Más filtros" the rest

    state = _listing({"sort": "-created"})
    state._read_url()
    assert (state.filter_count, state.more_filter_count) == (0, 0)


def test_more_filters_cleared_keep_the_search_type_tags_and_sort(db_url):
    state = _listing({"q": "ana", "type": "company", "tags": "vip", "supplier": "1", "conflictive": "0",
                      "channel": "4", "consent": "1", "option": "7:3", "bought_since": "2026-01-01",
                      "lapsed_since": "2026-06-01", "min_spent": "100", "sort": "-created"})
    assert _redirected_to(call(state, "clear_more_filters")) == {
        "q": ["ana"], "type": ["company"], "tags": ["vip"], "sort": ["-created"]}


def test_a_chips_remove_button_clears_its_own_filter(db_url):
    state = _listing({"type": "company", "supplier": "1", "option": "7:3,8:5", "min_spent": "100"})
    assert _redirected_to(call(state, "remove_more_filter", "supplier")) == {
        "type": ["company"], "option": ["7:3,8:5"], "min_spent": ["100"]}
    assert _redirected_to(call(state, "remove_more_filter", "option:7")) == {
        "type": ["company"], "supplier": ["1"], "option": ["8:5"], "min_spent": ["100"]}
    assert call(state, "remove_more_filter", "type") is None  # not one of the dialog's: in sight already


def test_a_document_list_filter_keeps_the_ones_in_the_address(db_url):
    state = tab(LeadsState, "/leads", "/leads?status=new&q=ped", {"status": "new", "q": "ped"})
    assert state.filters == {}  # not loaded yet
    assert _redirected_to(call(state, "set_filter", "owner", "5")) == {
        "q": ["ped"], "status": ["new"], "owner": ["5"]}
