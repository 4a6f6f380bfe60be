"""Leads end to end, on a desktop (1280x900) and on a phone (390x844): a lead created from the empty list
(a bad phone refused next to it with nothing saved), a lost reason asked for, the lead converted into a
customer who keeps its details and shows as its customer; then a lead whose phone another customer has:
the conversion dialog asks for the last name the lead lacks, shows the duplicate next to the phone with
a link to that customer, and links the lead to him instead.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.domain.customers import CustomerInput, PhoneInput
from crm_app.domain.leads import LeadInput
from crm_app.models import Customer, FeedEvent, Lead
from crm_app.services import customers, leads
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    make_org_with_admin,
    path_is,
    sign_in,
    wait_hydrated,
)
from tests.e2e.test_accessibility import _axe_problems, _small_targets

pytestmark = pytest.mark.e2e

LEAD_URL = re.compile(r"^https?://[^/]+/leads/(\d+)/?$")


def _setup(app_server: AppServer) -> tuple[Person, int, int]:
    """An organization with Ana Vera (phone 0991234567) and Pedro, a lead with Ana's phone.
    Returns the admin, Ana's id and Pedro's lead id."""
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        ana = customers.create_customer(session=session, actor=admin.actor, data=CustomerInput(
            client_type="person", first_name="Ana", last_name="Vera",
            phones=(PhoneInput("0991234567", primary=True),)))
        pedro = leads.create_lead(session=session, actor=admin.actor,
                                  data=LeadInput(name="Pedro", phone="099 123 4567"))
    return admin, ana.id, pedro.id


def _accessible(page: Page, where: str, root=None) -> None:
    """axe finds nothing serious; on a phone, every control is at least 44x44 px. (Once the toasts of
    the last action are gone: they are the shell's, measured by tests/e2e/test_accessibility.py.)"""
    page.mouse.move(0, 0)  # a toast under a resting pointer waits for it to leave (touch has no pointer)
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=20_000)
    problems = _axe_problems(page)
    assert not problems, f"axe on {where}:\n  " + "\n  ".join(problems)
    if page.viewport_size["width"] < 768:
        small = _small_targets(page, root)
        assert not small, f"small touch targets on {where}: {small}"


def _lead(db_url: str, lead_id: int) -> Lead:
    with db_session(db_url) as session:
        row = session.get(Lead, lead_id)
        session.expunge_all()
        return row


def _create_lead(page: Page, app_server: AppServer, admin: Person) -> int:
    page.goto(app_server.url("/leads"))
    expect(page.get_by_role("heading", name="Leads", level=1)).to_be_visible()
    wait_hydrated(page)
    page.get_by_role("link", name="Nuevo lead").first.click()
    expect(page).to_have_url(path_is("/leads/new"))
    expect(page.get_by_role("heading", name="Nuevo lead", level=1)).to_be_visible()
    wait_hydrated(page)
    page.get_by_label("Nombre", exact=True).fill("María Torres")
    page.get_by_label("Teléfono", exact=True).fill("12")
    page.get_by_label("E-mail", exact=True).fill("maria@example.com")
    page.get_by_label("Notas", exact=True).fill("Quiere tres equipos")
    page.get_by_role("button", name="Crear lead").click()
    refusal = page.get_by_role("alert").filter(has_text="Número de teléfono no válido para el país.")
    expect(refusal).to_be_visible()
    with db_session(app_server.db_url) as session:
        assert session.exec(select(Lead).where(Lead.organization_id == admin.organization_id,
                                               Lead.name == "María Torres")).first() is None
    page.get_by_label("Teléfono", exact=True).fill("0987 654 321")
    page.get_by_role("button", name="Crear lead").click()
    expect(page).to_have_url(LEAD_URL)
    expect(page.get_by_role("heading", name="María Torres", level=1)).to_be_visible()
    lead_id = int(LEAD_URL.match(page.url).group(1))
    _accessible(page, "the lead's page")
    lead = _lead(app_server.db_url, lead_id)
    assert (lead.phone_raw, lead.phone_e164, lead.owner_id) == ("0987 654 321", "+593987654321", admin.id)
    return lead_id


def _lost_needs_a_reason(page: Page) -> None:
    page.get_by_role("button", name="Pasar a «Perdido»").click()
    lost = page.get_by_role("dialog", name="¿Por qué se perdió?")
    expect(lost).to_be_visible()
    lost.get_by_role("button", name="Marcar como perdido").click()
    expect(lost.get_by_text("Indica por qué se perdió el lead.")).to_be_visible()
    lost.get_by_role("button", name="Cancelar").click()
    expect(lost).to_be_hidden()
    page.get_by_role("button", name="Pasar a «Contactado»").click()
    expect(page.get_by_text("Contactado").first).to_be_visible()


def _convert(page: Page, app_server: AppServer, lead_id: int) -> None:
    page.get_by_role("button", name="Convertir en cliente").click()
    dialog = page.get_by_role("dialog", name="Convertir en cliente")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Nombres", exact=True)).to_have_value("María")
    expect(dialog.get_by_label("Apellidos", exact=True)).to_have_value("Torres")
    expect(dialog.get_by_label("Teléfono", exact=True)).to_have_value("0987 654 321")
    _accessible(page, "the conversion dialog", dialog)
    dialog.get_by_role("button", name="Crear el cliente").click()
    expect(dialog).to_be_hidden()
    link = page.get_by_role("link", name="María Torres")
    expect(link).to_be_visible()
    expect(page.get_by_text("Ganado").first).to_be_visible()
    expect(page.get_by_text("convirtió el lead María Torres en el cliente María Torres")).to_be_visible()
    lead = _lead(app_server.db_url, lead_id)
    with db_session(app_server.db_url) as session:
        customer = session.get(Customer, lead.customer_id)
        assert (customer.display_name, customer.source, customer.notes) == (
            "María Torres", "lead", "Quiere tres equipos")
        event = session.exec(select(FeedEvent).where(FeedEvent.kind == "lead_converted",
                                                     FeedEvent.lead_id == lead_id)).one()
        assert event.customer_id == customer.id
    assert lead.status == "won"
    link.click()
    expect(page).to_have_url(path_is(f"/customers/{lead.customer_id}"))
    expect(page.get_by_role("heading", name="María Torres", level=1)).to_be_visible()


def _duplicate_then_link(page: Page, app_server: AppServer, ana_id: int, pedro_id: int) -> None:
    page.goto(app_server.url(f"/leads/{pedro_id}"))
    expect(page.get_by_role("heading", name="Pedro", level=1)).to_be_visible()
    wait_hydrated(page)
    page.get_by_role("button", name="Convertir en cliente").click()
    dialog = page.get_by_role("dialog", name="Convertir en cliente")
    dialog.get_by_role("button", name="Crear el cliente").click()
    # The last name the lead lacks is asked for next to it; once given, Ana's phone is caught next to it.
    last_name = dialog.get_by_label("Apellidos", exact=True)
    expect(last_name).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_text("Este campo es obligatorio.")).to_be_visible()
    last_name.fill("Gómez")
    dialog.get_by_role("button", name="Crear el cliente").click()
    expect(dialog.get_by_text("Este teléfono ya pertenece a Ana Vera.")).to_be_visible()
    expect(last_name).to_have_value("Gómez")  # nothing typed is lost
    existing = dialog.get_by_role("link", name="Abrir el cliente existente")
    expect(existing).to_have_attribute("href", f"/customers/{ana_id}")
    with db_session(app_server.db_url) as session:
        assert session.exec(select(Customer).where(Customer.id != ana_id, Customer.first_name == "Pedro",
                                                   Customer.last_name == "Gómez")).first() is None
    assert _lead(app_server.db_url, pedro_id).customer_id is None

    dialog.get_by_role("button", name="Vincular a este cliente").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("link", name="Ana Vera")).to_be_visible()
    expect(page.get_by_text("vinculó el lead Pedro al cliente existente Ana Vera")).to_be_visible()
    lead = _lead(app_server.db_url, pedro_id)
    assert (lead.status, lead.customer_id) == ("won", ana_id)


def _journey(page: Page, app_server: AppServer) -> None:
    admin, ana_id, pedro_id = _setup(app_server)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    lead_id = _create_lead(page, app_server, admin)
    _lost_needs_a_reason(page)
    _convert(page, app_server, lead_id)
    _duplicate_then_link(page, app_server, ana_id, pedro_id)

    # The list finds the lead by its phone digits.
    page.goto(app_server.url("/leads?q=0987654"))
    wait_hydrated(page)
    expect(page.get_by_role("link", name="María Torres")).to_be_visible()
    expect(page.get_by_role("link", name="Pedro")).to_have_count(0)
    _accessible(page, "the lead list")


def test_leads_on_a_desktop(app_server: AppServer, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    _journey(page, app_server)


def test_leads_on_a_phone(app_server: AppServer, phone_page: Page) -> None:
    _journey(phone_page, app_server)


def test_a_new_lead_from_a_customers_profile_is_an_opportunity_with_him(app_server: AppServer,
                                                                        page: Page) -> None:
    """"Nuevo lead" on Ana's profile: her name and phone filled in, the lead about her, won by a button
    (she is a customer already: nothing to convert), shown in her feed; the list of her leads names her."""
    page.set_viewport_size({"width": 1280, "height": 900})
    admin, ana_id, _ = _setup(app_server)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/customers/{ana_id}"))
    wait_hydrated(page)
    page.get_by_role("link", name="Nuevo lead").first.click()
    expect(page).to_have_url(re.compile(rf"/leads/new\?customer={ana_id}$"))
    expect(page.get_by_label("Nombre", exact=True)).to_have_value("Ana Vera")
    expect(page.get_by_label("Teléfono", exact=True)).to_have_value("099 123 4567")
    expect(page.get_by_text("Oportunidad con el cliente")).to_be_visible()
    page.get_by_label("Nombre", exact=True).fill("Ana Vera: plan anual")
    page.get_by_role("button", name="Crear lead").click()
    expect(page).to_have_url(LEAD_URL)
    lead_id = int(LEAD_URL.match(page.url).group(1))
    expect(page.get_by_role("button", name="Convertir en cliente")).to_have_count(0)
    page.get_by_role("button", name="Pasar a «Ganado»").click()
    expect(page.get_by_text("Este lead ya es un cliente")).to_be_visible()
    lead = _lead(app_server.db_url, lead_id)
    assert (lead.status, lead.customer_id, lead.converted_at) == ("won", ana_id, None)
    with db_session(app_server.db_url) as session:
        kinds = set(session.exec(select(FeedEvent.kind).where(FeedEvent.customer_id == ana_id)))
    assert {"lead_created", "lead_status_changed"} <= kinds
    page.goto(app_server.url(f"/leads?customer={ana_id}"))
    wait_hydrated(page)
    expect(page.get_by_text("Cliente: Ana Vera")).to_be_visible()
    expect(page.get_by_role("link", name="Ana Vera: plan anual")).to_be_visible()
    expect(page.get_by_role("link", name="Pedro")).to_have_count(0)
