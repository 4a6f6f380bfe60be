"""The client picker (issue 13): the choice service (another organization's customer is NotFound; flags
and terms come back) and the mixin's handlers, driven on a real embedding (the template preview) and the
quick form's way back, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from reflex.istate.data import RouterData
from reflex.state import State

import crm_app.crm_app  # registers every page and state (crm_app.db is used below)
import crm_app.db
from crm_app.domain.customers import ClientChoice, CustomerInput, PhoneInput
from crm_app.domain.errors import NotFound
from crm_app.models import Customer
from crm_app.services import customer_choices, customers
from crm_app.states.customer_form import QUICK_RETURNS, CustomerFormState
from crm_app.states.session import SessionState
from crm_app.states.templates import TemplatesState
from tests.db import run_like_app
from tests.factories import make_org
from tests.isolation import assert_not_found_for_other_org, column_snapshot


def person(session, actor, first, last, **extra):
    data = CustomerInput(client_type="person", first_name=first, last_name=last, **extra)
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


# --- the service ------------------------------------------------------------------------------------


def test_the_choice_gives_the_flags_and_the_terms(session):
    _, admin = make_org(session)
    lucia = person(session, admin, "Lucía", "Paredes", is_conflictive=True, is_supplier=True,
                   discount_percent=Decimal("12.5"), credit_limit=Decimal("1500"))
    plain = person(session, admin, "Mateo", "Salazar")

    chosen = customer_choices.client_choice(session=session, actor=admin, customer_id=lucia.id)
    assert chosen == ClientChoice(id=lucia.id, name="Lucía Paredes", is_conflictive=True, is_supplier=True,
                                  discount_percent=Decimal("12.50"), credit_limit=Decimal("1500.00"))
    plain_choice = customer_choices.client_choice(session=session, actor=admin, customer_id=plain.id)
    assert (plain_choice.discount_percent, plain_choice.credit_limit) == (Decimal(0), None)
    assert not plain_choice.is_conflictive and not plain_choice.is_supplier


def test_another_organizations_customer_is_not_found(session):
    _, admin_a = make_org(session, "A")
    theirs = person(session, admin_a, "Ana", "Ajena")
    _, admin_b = make_org(session, "B")
    assert_not_found_for_other_org(
        session,
        lambda: customer_choices.client_choice(session=session, actor=admin_b, customer_id=theirs.id),
        column_snapshot(session, Customer, theirs.id),
        what="customer",
    )


@pytest.mark.parametrize("bad_id", [0, -1, 2**40, True, "1"])
def test_what_is_not_an_id_is_not_found(session, bad_id):
    _, admin = make_org(session)
    with pytest.raises(NotFound):
        customer_choices.client_choice(session=session, actor=admin, customer_id=bad_id)


def test_a_trashed_customer_cannot_be_chosen(session):
    _, admin = make_org(session)
    gone = person(session, admin, "Ida", "Borrada")
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=gone.id)
    with pytest.raises(NotFound):
        customer_choices.client_choice(session=session, actor=admin, customer_id=gone.id)


# --- the mixin, driven on the template editor's preview picker ------------------------------------------


@pytest.fixture
def app_db(engine, monkeypatch):
    monkeypatch.setattr(crm_app.db, "get_engine", lambda url=None: engine)
    return engine


def _run(result):
    if asyncio.iscoroutine(result):
        with ThreadPoolExecutor(1) as pool:  # its own loop: Playwright may hold this thread's
            return pool.submit(asyncio.run, result).result()
    return result


def _tab(actor, monkeypatch, path="/templates"):
    monkeypatch.setattr(SessionState, "_actor", lambda self: actor)
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"pathname": "/templates", "asPath": path, "query": {},
                                               "headers": {"origin": "http://localhost:3000"}})
    return root, root.get_substate(TemplatesState.get_full_name().split("."))


def _call(state, handler, *args):
    return _run(type(state).event_handlers[handler].fn(state, *args))


def _chosen(state):
    return (state._client_id, state.client_chosen, state.client_name, state.preview_customer_id)


def test_search_choose_and_the_hook(session, app_db, monkeypatch):
    _, admin = make_org(session)
    lucia = person(session, admin, "Lucía", "Muñoz", phones=(PhoneInput("0991234567"),), is_supplier=True)
    _, tab = _tab(admin, monkeypatch)

    _call(tab, "search_clients", "lucia munoz")  # no accents, as the customer list searches
    [found] = tab.client_results
    assert (found.id, found.name, found.is_supplier, found.is_conflictive) == (lucia.id, "Lucía Muñoz",
                                                                                True, False)
    assert found.detail.replace(" ", "").endswith("991234567")

    events = _call(tab, "choose_client", lucia.id)
    assert _chosen(tab) == (lucia.id, True, "Lucía Muñoz", lucia.id)  # the hook set the preview's client
    assert events is TemplatesState.live_check  # ... and re-rendered it
    assert (tab.client_query, tab.client_results) == ("", [])

    _call(tab, "clear_client")
    assert _chosen(tab)[:3] == (0, False, "")


def test_a_conflictive_client_waits_for_the_yes(session, app_db, monkeypatch):
    _, admin = make_org(session)
    rudo = person(session, admin, "Raúl", "Rudo", is_conflictive=True)
    _, tab = _tab(admin, monkeypatch)

    assert _call(tab, "choose_client", rudo.id) is None
    assert (tab.client_pending_id, tab.client_pending_name) == (rudo.id, "Raúl Rudo")
    assert _chosen(tab) == (0, False, "", 0)  # nothing picked, the hook not called
    _call(tab, "cancel_client")
    assert tab.client_pending_id == 0 and _chosen(tab) == (0, False, "", 0)

    _call(tab, "choose_client", rudo.id)
    _call(tab, "confirm_client")
    assert _chosen(tab) == (rudo.id, True, "Raúl Rudo", rudo.id) and tab.client_is_conflictive
    assert tab.client_pending_id == 0


def test_another_organizations_client_is_refused_everywhere(session, app_db, monkeypatch):
    _, admin_a = make_org(session, "A")
    theirs = person(session, admin_a, "Ana", "Ajena", is_conflictive=True)
    _, admin_b = make_org(session, "B")
    _, tab = _tab(admin_b, monkeypatch)

    for handler in ("choose_client", "take_new_client"):
        refused = _call(tab, handler, theirs.id)
        assert "Ajena" not in repr(refused) and _chosen(tab) == (0, False, "", 0), handler
    tab.client_pending_id = theirs.id  # a tab left with the other organization's id waiting
    _call(tab, "confirm_client")
    assert _chosen(tab) == (0, False, "", 0) and tab.client_pending_id == 0
    assert tab._preselect_client(admin_b, theirs.id) is not None  # a toast: not found
    assert _chosen(tab) == (0, False, "", 0)


def test_preselect_from_the_address(session, app_db, monkeypatch):
    _, admin = make_org(session)
    lucia = person(session, admin, "Lucía", "Paredes")
    _, tab = _tab(admin, monkeypatch, path=f"/templates?customer={lucia.id}")
    assert tab._client_id_in_url() == lucia.id
    tab._preselect_client(admin, tab._client_id_in_url())
    assert _chosen(tab) == (lucia.id, True, "Lucía Paredes", lucia.id)
    _, other = _tab(admin, monkeypatch, path="/templates?customer=12abc")
    assert other._client_id_in_url() == 0


def test_new_client_comes_back_picked(session, app_db, monkeypatch):
    _, admin = make_org(session)
    root, tab = _tab(admin, monkeypatch)
    _call(tab, "new_client")
    form = root.get_substate(CustomerFormState.get_full_name().split("."))
    assert form.open and form.quick and form.mode == "create"
    assert form._return_to == TemplatesState.get_full_name() and form._return_to in QUICK_RETURNS

    # Only the customer the form saved last can come back this way (no bypass of the confirmation).
    rudo = person(session, admin, "Raúl", "Rudo", is_conflictive=True)
    _call(tab, "take_new_client", rudo.id)
    assert _chosen(tab) == (0, False, "", 0)

    saved = customers.get_customer(session=session, actor=admin, customer_id=rudo.id)
    form.last_saved_id = saved.id
    events = form._after_save(saved, True)
    back = events[-1]
    assert back.handler.state_full_name == TemplatesState.get_full_name() and form._return_to == ""
    assert back.handler.fn.__name__ == "take_new_client" and str(saved.id) in str(back.args)
    _call(tab, "take_new_client", saved.id)
    assert _chosen(tab) == (rudo.id, True, "Raúl Rudo", rudo.id)  # no confirmation: he was just created


def test_the_customer_list_form_still_reloads(session, app_db, monkeypatch):
    _, admin = make_org(session)
    root, _ = _tab(admin, monkeypatch)
    form = root.get_substate(CustomerFormState.get_full_name().split("."))
    _call(form, "open_create", True)
    assert form._return_to == ""
    saved = person(session, admin, "Eva", "Lista")
    events = form._after_save(customers.get_customer(session=session, actor=admin, customer_id=saved.id),
                              True)
    assert "take_new_client" not in repr(events)


def test_a_client_created_inside_a_sale_comes_from_the_sale(session, app_db, monkeypatch):
    from crm_app.states.sale_form import SaleFormState

    _, admin = make_org(session)
    root, _ = _tab(admin, monkeypatch)
    sale = root.get_substate(SaleFormState.get_full_name().split("."))
    form = root.get_substate(CustomerFormState.get_full_name().split("."))

    def saved_source() -> str:
        assert form.errors == {} and form.last_saved_id
        return customers.get_customer(session=session, actor=admin, customer_id=form.last_saved_id).source

    _call(sale, "new_client")
    _call(form, "submit", {"first_name": "Nina", "last_name": "Paz"})
    assert saved_source() == "sale"
    _call(form, "open_create", True)  # the list's own form: a staff form again
    _call(form, "submit", {"first_name": "Eva", "last_name": "Lista"})
    assert saved_source() == "form"


def test_a_lists_customer_is_named_in_the_trash_too_and_never_across_organizations(session):
    _, admin = make_org(session)
    gone = person(session, admin, "Ida", "Ausente")
    customers.delete_customer(session=session, actor=admin, customer_id=gone.id)
    session.commit()
    assert customer_choices.customer_name(session=session, actor=admin, customer_id=gone.id) == "Ida Ausente"
    _, other = make_org(session, "Otra")
    with pytest.raises(NotFound):
        customer_choices.customer_name(session=session, actor=other, customer_id=gone.id)
