"""A merged customer's profile address leads to the survivor (the profile state's load redirects),
driven without a browser on SQLite, as the campaign states' tests are."""

from __future__ import annotations

import pytest

import crm_app.db
from crm_app.states.customer_profile import CustomerState
from crm_app.states.session import SessionState
from tests.factories import make_org
from tests.merge_factories import create, do_merge, person
from tests.services.test_ui_campaign_states import call, tab

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_a_merged_customers_profile_redirects_to_the_survivor(session, engine, monkeypatch):
    monkeypatch.setattr(crm_app.db, "get_engine", lambda url=None: engine)
    _, admin = make_org(session)
    monkeypatch.setattr(SessionState, "_actor", lambda self: admin)
    survivor, merged = create(session, admin, person("Ana")), create(session, admin, person("Bea"))
    do_merge(session, admin, [survivor, merged])
    state = tab(CustomerState, "/customers/[customer_id]", f"/customers/{merged}")
    answer = call(state, "load")
    assert f"/customers/{survivor}" in str(answer)
    assert not state.found  # nothing of the merged customer is shown on the way
    shown = tab(CustomerState, "/customers/[customer_id]", f"/customers/{survivor}")
    assert call(shown, "load") is None and shown.found and shown.customer_id == survivor
