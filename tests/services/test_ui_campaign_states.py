"""The campaign pages' states driven without a browser (SQLite): the new-campaign form reads the list's
filters from its address and says them in words, saving refuses bad fields next to them, starting asks
first naming the count (and refuses a time already past), and after the start the report shows the
counts and lets the admin pause and cancel. The tab's user is patched in, as in the isolation matrix."""

from __future__ import annotations

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from sqlalchemy import func, select

import crm_app.crm_app  # registers every page and state
import crm_app.db
from crm_app.domain.customers import CustomerInput, EmailInput
from crm_app.models import Campaign, CustomerSegment
from crm_app.services import templates
from crm_app.services.customers import create_customer
from crm_app.states.campaign import CampaignState
from crm_app.states.campaign_report import CampaignReportState
from crm_app.states.campaign_segments import SegmentActionsState
from crm_app.states.customers import CustomersState
from crm_app.states.session import SessionState
from tests.db import run_like_app
from tests.factories import make_org

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _run(result):
    async def drive():
        value = await result if inspect.isawaitable(result) else result
        return value

    with ThreadPoolExecutor(1) as pool:  # its own loop, as the isolation matrix does
        return pool.submit(asyncio.run, drive()).result()


def tab(cls, route: str, path: str, query: dict | None = None):
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"pathname": route, "asPath": path, "query": query or {},
                                               "headers": {"origin": "http://localhost:3000"}})
    return root.get_substate(cls.get_full_name().split("."))


def call(state, name: str, *args):
    return _run(type(state).event_handlers[name].fn(state, *args))


@pytest.fixture
def shop(session, engine, monkeypatch):
    monkeypatch.setattr(crm_app.db, "get_engine", lambda url=None: engine)
    _, admin = make_org(session)
    monkeypatch.setattr(SessionState, "_actor", lambda self: admin)
    for first, address, ok in (("Ana", "ana@example.com", True), ("Luis", "luis@example.com", True),
                               ("Sin", "sin@example.com", False)):
        run_like_app(session, create_customer, actor=admin, data=CustomerInput(
            client_type="person", first_name=first, last_name="Prueba", tags=("vip",),
            emails=(EmailInput(address, accepts_email=ok),)))
    template = run_like_app(session, templates.save_template, actor=admin, data=templates.TemplateInput(
        "email", "Novedades", "Novedades", "Hola {{ first_name }}"))
    return admin, template


def new_form() -> CampaignState:
    state = tab(CampaignState, "/campaigns/new", "/campaigns/new?tags=vip&sort=-name",
                {"tags": "vip", "sort": "-name"})
    assert call(state, "load") == CampaignState.count_audience  # counted next, off the tab's queue
    return state


def test_the_new_form_says_the_lists_filters_and_refuses_bad_fields(shop, session):
    state = new_form()
    assert (state.segment_text, state.segment_link, state.has_filters) == (
        "Etiquetas: vip", "/customers?tags=vip", True)
    assert state.templates == [[str(shop[1].id), "Novedades"]]

    call(state, "save")
    assert set(state.errors) == {"name", "template_id"} and state.form_error
    assert session.execute(select(func.count()).select_from(Campaign)).scalar_one() == 0


def test_starting_asks_first_naming_the_count_then_the_report_follows(shop, session):
    _, template = shop
    state = new_form()
    call(state, "set_name", "Diciembre")
    call(state, "set_template", str(template.id))

    call(state, "set_send_mode", "later")
    call(state, "set_schedule_day", "2020-01-01")
    call(state, "set_schedule_time", "09:00")
    call(state, "ask_start")
    assert state.errors == {"scheduled_at": "Esa fecha y hora ya pasaron: elige un momento futuro."}
    assert not state.confirm_start

    call(state, "set_send_mode", "now")
    call(state, "ask_start")
    assert state.confirm_start and state.campaign_id
    assert state.confirm_text == "La campaña se enviará ahora a 2 direcciones. ¿Enviar?"
    assert "2 direcciones; 1 clientes quedan fuera" in state.audience_text
    call(state, "start")
    campaign = session.get(Campaign, state.campaign_id)
    session.refresh(campaign)
    assert campaign.status == "preparing"

    path = f"/campaigns/{campaign.id}"
    report = tab(CampaignReportState, "/campaigns/[campaign_id]", path)
    assert call(report, "load") == CampaignReportState.watch  # it refreshes itself while it may change
    assert (report.status_label, report.preparing, report.can_pause, report.can_cancel) == (
        "Preparando", True, True, True)
    report.confirm_cancel = True
    call(report, "cancel")
    session.refresh(campaign)
    assert campaign.status == "cancelled" and report.status_label == "Cancelada" and not report.can_cancel


def test_saving_the_lists_filters_as_a_segment(shop, session):
    state = tab(SegmentActionsState, "/customers", "/customers?tags=vip&consent=1&sort=-created")
    listing = _run(state.get_state(CustomersState))
    listing.export_query = "tags=vip&consent=1&sort=-created"  # what the list page read from its address
    call(state, "open_save")
    assert state.save_open

    call(state, "save", {"name": "  "})
    assert state.errors == {"name": "Este campo es obligatorio."} and state.save_open
    call(state, "save", {"name": "VIP con correo"})
    assert not state.save_open
    saved = session.execute(select(CustomerSegment.name, CustomerSegment.query)).all()
    assert [tuple(row) for row in saved] == [("VIP con correo", "tags=vip&consent=1")]  # no sort, no page

    call(state, "open_save")
    call(state, "save", {"name": "VIP con correo"})
    assert set(state.errors) == {"name"} and state.save_open  # a name the organization already uses
