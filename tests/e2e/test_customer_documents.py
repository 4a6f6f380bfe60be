"""A customer's value in Chromium: the profile's "Compras" card after a sale (figures, latest orders, sales
and leads with their links, the buttons that start a document with him chosen), in the summary on a
phone, and the customer list sorted by amount spent and filtered by an amount typed as people write it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from crm_app.domain import local_time
from crm_app.domain.documents import LineInput
from crm_app.domain.locale_format import format_money
from crm_app.domain.orders import OrderInput
from crm_app.domain.sales import SaleInput
from crm_app.models import Lead
from crm_app.services import admin_settings, orders, sales
from tests.e2e.conftest import AppServer, Person, db_session, make_org_with_admin, sign_in, wait_hydrated
from tests.e2e.test_customers import make_customer

pytestmark = pytest.mark.e2e

ZONE = "America/Guayaquil"  # an Ecuadorian organization's; its currency is USD


def sell(db_url: str, owner: Person, customer_id: int, price: str, method: str = "cash"):
    with db_session(db_url) as session:
        # A client with no credit limit set needs an admin's yes for a credit sale: the owner gives it.
        data = SaleInput(customer_id=customer_id, payment_method=method,
                         lines=(LineInput("Cambio de pantalla", "1", price),))
        return sales.create_sale(session=session, actor=owner.actor, data=data, confirm_over_limit=True)


def with_history(db_url: str, owner: Person, customer_id: int) -> tuple[int, int, int, object]:
    """An order of a coloured type, a sale and a lead linked to him: their ids and the sale."""
    with db_session(db_url) as session:
        repair = admin_settings.add_entry(session=session, actor=owner.actor, list_name="order_types",
                                          name="Reparación", color="#e5484d")
    with db_session(db_url) as session:
        order = orders.create_order(session=session, actor=owner.actor, data=OrderInput(
            order_type_id=repair.id, customer_id=customer_id, lines=(LineInput("Revisión", "1", "30.00"),)))
    sale = sell(db_url, owner, customer_id, "120.50")
    with db_session(db_url) as session:  # a lead he was linked to (the leads' conversion does it)
        lead = Lead(organization_id=owner.organization_id, name="Ana desde Instagram", status="won",
                    customer_id=customer_id)
        session.add(lead)
        session.flush()
        lead_id = lead.id
    return order.id, sale.id, lead_id, sale


def open_profile(page: Page, app_server: AppServer, customer_id: int) -> None:
    page.goto(app_server.url(f"/customers/{customer_id}"))
    expect(page.get_by_role("heading", name="Ana Vera", exact=True)).to_be_visible()
    wait_hydrated(page)


def test_the_profile_shows_what_he_bought_and_starts_documents_for_him(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    ana = make_customer(app_server.db_url, admin, "Ana", "Vera")
    order_id, sale_id, lead_id, sale = with_history(app_server.db_url, admin, ana)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_profile(page, app_server, ana)

    card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name="Compras", exact=True))
    figures = card.locator("dl").first
    expect(figures).to_contain_text("Ventas1")
    expect(figures).to_contain_text("Total gastado" + format_money(Decimal("120.50"), "USD", "es", "EC"))
    expect(figures).to_contain_text("Última compra" + local_time.local_day(sale.created_at, ZONE, "es"))
    expect(figures).to_contain_text("Pedidos abiertos1")
    expect(card.get_by_role("link", name="#1", exact=True).first).to_be_visible()
    expect(card.get_by_role("heading", name="Pedidos", exact=True)).to_be_visible()
    expect(card.locator(f'a[href="/orders/{order_id}"]')).to_have_text("#1")
    expect(card.locator(f'a[href="/sales/{sale_id}"]')).to_have_text("#1")
    expect(card.locator(f'a[href="/leads/{lead_id}"]')).to_have_text("Ana desde Instagram")
    expect(card.get_by_text("Reparación", exact=True)).to_be_visible()
    expect(card.get_by_text("Efectivo", exact=True)).to_be_visible()
    expect(card.get_by_text("Ganado", exact=True)).to_be_visible()
    for name, href in (("Ver todos los pedidos", f"/orders?customer={ana}"),
                       ("Ver todas las ventas", f"/sales?customer={ana}"),
                       ("Ver todos los leads", f"/leads?customer={ana}"),
                       ("Nuevo pedido", f"/orders/new?customer={ana}"),
                       ("Nuevo lead", f"/leads/new?customer={ana}")):
        expect(card.get_by_role("link", name=name, exact=True)).to_have_attribute("href", href)

    card.get_by_role("link", name="Nueva venta", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/sales/new\?customer={ana}$"))
    expect(page.get_by_text("Ana Vera", exact=True)).to_be_visible()  # the sale starts with him chosen


def test_a_phone_shows_his_purchases_in_the_summary(app_server: AppServer, phone_page: Page):
    admin = make_org_with_admin(app_server.db_url)
    ana = make_customer(app_server.db_url, admin, "Ana", "Vera")
    sell(app_server.db_url, admin, ana, "80.00", method="credit")
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    open_profile(phone_page, app_server, ana)
    summary = phone_page.get_by_role("tab", name="Resumen", exact=True)
    expect(summary).to_have_attribute("aria-selected", "true")
    panel = phone_page.get_by_role("tabpanel")
    expect(panel.get_by_role("heading", name="Compras", exact=True)).to_be_visible()
    expect(panel.get_by_text("Crédito por cobrar", exact=True)).to_be_visible()
    expect(panel.get_by_text("Por cobrar", exact=True)).to_be_visible()  # the unpaid credit sale
    box = panel.get_by_role("link", name="Nueva venta", exact=True).bounding_box()
    assert box is not None and box["height"] >= 44


def list_names(page: Page) -> list[str]:
    return [name.strip() for name in page.locator("table tbody tr th a, table tbody tr td:first-child a")
            .all_inner_texts()]


def test_the_list_sorts_by_amount_spent_and_filters_by_an_amount(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    spent = {"Luis Mora": "35.00", "Ana Vera": "250.00", "Rosa Paz": "150.50"}
    for name, price in spent.items():
        first, last = name.split()
        sell(app_server.db_url, admin, make_customer(app_server.db_url, admin, first, last), price)
    make_customer(app_server.db_url, admin, "Beto", "Nunca")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url("/customers"))
    wait_hydrated(page)
    expect(page.get_by_role("link", name="Beto Nunca", exact=True)).to_be_visible()

    page.get_by_label("Ordenar por", exact=True).select_option("-spent")
    expect(page).to_have_url(re.compile(r"sort=-spent"))
    top = format_money(Decimal("250.00"), "USD", "es", "EC")
    expect(page.get_by_text(top + " · Última compra:")).to_be_visible()
    assert list_names(page) == ["Ana Vera", "Rosa Paz", "Luis Mora", "Beto Nunca"]

    # The amount waits behind "Más filtros" on a wide screen, with the other filters seldom used.
    page.get_by_role("button", name="Más filtros", exact=True).click()
    filters = page.get_by_role("dialog", name="Más filtros")
    amount = filters.get_by_label("Gastó al menos", exact=True)
    amount.fill("abc")
    amount.press("Enter")
    expect(filters.get_by_text("Escribe un monto de 0 o más, como 150 o 150,50.")).to_be_visible()
    expect(amount).to_have_attribute("aria-invalid", "true")
    amount.fill("150,50")
    amount.press("Enter")
    expect(page).to_have_url(re.compile(r"min_spent=150\.5(&|$)"))
    expect(amount).to_have_value("150.5")
    filters.get_by_role("button", name="Ver clientes").click()
    expect(page.get_by_role("button", name="Más filtros: 1 activos")).to_be_focused()
    expect(page.get_by_role("link", name="Luis Mora", exact=True)).to_have_count(0)
    assert list_names(page) == ["Ana Vera", "Rosa Paz"]
