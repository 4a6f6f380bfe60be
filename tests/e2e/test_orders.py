"""Work orders end to end, on a desktop (1280x900) and on a phone (390x844): a new order of a coloured
type whose colour the list shows; a client with a personal discount, which becomes the order's and the
total's; a price with too many decimals refused next to it with nothing saved; a status change; a
conflictive client the picker warns about; a new client added inline with the picker's "Nuevo cliente".
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.domain.customers import CustomerInput
from crm_app.domain.locale_format import format_money
from crm_app.models import Customer, Order, OrderType
from crm_app.services import admin_settings, customers
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    make_org_with_admin,
    path_is,
    sign_in,
    wait_hydrated,
)

pytestmark = pytest.mark.e2e

ORDER_URL = re.compile(r"^https?://[^/]+/orders/(\d+)/?$")
RED = ("#e5484d", "rgb(229, 72, 77)")


def _setup(app_server: AppServer) -> Person:
    """An organization with a red "Reparación" type, Lucía (10 % personal discount) and Carlos,
    marked conflictive."""
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        admin_settings.add_entry(session=session, actor=admin.actor, list_name="order_types",
                                 name="Reparación", color=RED[0])
        for first, last, extra in (("Lucía", "Paredes", {"discount_percent": Decimal("10")}),
                                   ("Carlos", "Ríos", {"is_conflictive": True})):
            customers.create_customer(session=session, actor=admin.actor, data=CustomerInput(
                client_type="person", first_name=first, last_name=last, **extra))
    return admin


def _orders_of(db_url: str, organization_id: int) -> list[Order]:
    with db_session(db_url) as session:
        rows = session.exec(select(Order).where(Order.organization_id == organization_id)
                            .order_by(Order.number)).all()
        session.expunge_all()
        return list(rows)


def _open_new_order(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url("/orders/new"))
    expect(page.get_by_role("heading", name="Nuevo pedido", level=1)).to_be_visible()
    wait_hydrated(page)
    expect(page.get_by_label("Tipo de pedido")).to_have_value(re.compile(r"\d+"))


def _pick(page: Page, text: str, name: str) -> None:
    page.get_by_label("Cliente", exact=True).fill(text)
    page.get_by_role("button", name=name, exact=True).click()


def _line(page: Page, description: str, quantity: str, price: str) -> None:
    page.get_by_label("Descripción 1").fill(description)
    page.get_by_label("Cantidad 1").fill(quantity)
    page.get_by_label("Precio unitario 1").fill(price)


def _journey(page: Page, app_server: AppServer, admin: Person) -> None:
    db_url = app_server.db_url

    # The empty list offers the first order.
    page.goto(app_server.url("/orders"))
    expect(page.get_by_role("heading", name="Pedidos", level=1)).to_be_visible()
    wait_hydrated(page)
    expect(page.get_by_text("Todavía no hay pedidos")).to_be_visible()
    page.get_by_role("link", name="Nuevo pedido").first.click()
    expect(page).to_have_url(path_is("/orders/new"))
    expect(page.get_by_label("Tipo de pedido")).to_have_value(re.compile(r"\d+"))

    # Lucía's personal discount becomes the order's, and says so.
    _pick(page, "Lucía", "Lucía Paredes")
    expect(page.get_by_text("Descuento personal de Lucía Paredes: 10%")).to_be_visible()
    expect(page.get_by_label("Descuento %")).to_have_value("10")

    # 2 x 50 = 100, less Lucía's 10 %: 90 (computed as typed).
    _line(page, "Cambio de pantalla", "2", "50")
    total = page.get_by_text(format_money(Decimal("90"), "USD", "es", "EC"), exact=True)
    expect(total).to_be_visible()

    # A price with more decimals than the dollar has is refused next to it; nothing is saved.
    page.get_by_label("Precio unitario 1").fill("50.555")
    expect(total).to_have_count(0)  # the line is left out of the totals until it reads
    page.get_by_role("button", name="Crear pedido").click()
    expect(page.get_by_role("alert").filter(has_text="Usa como máximo 2 decimales.")).to_be_visible()
    assert _orders_of(db_url, admin.organization_id) == []

    page.get_by_label("Precio unitario 1").fill("50")
    expect(total).to_be_visible()
    page.get_by_role("button", name="Crear pedido").click()
    expect(page).to_have_url(ORDER_URL)
    expect(page.get_by_role("heading", name="Pedido #1", level=1)).to_be_visible()
    [order] = _orders_of(db_url, admin.organization_id)
    assert (order.number, order.total, order.discount_percent, order.status) == (
        1, Decimal("90.00"), Decimal("10.00"), "open")

    # Its status moves on from its page.
    page.get_by_role("button", name="Pasar a «En curso»").click()
    expect(page.get_by_text("En curso").first).to_be_visible()
    expect(page.get_by_role("button", name="Pasar a «En curso»")).to_have_count(0)
    assert _orders_of(db_url, admin.organization_id)[0].status == "in_progress"

    # The list shows it with its type's colour.
    page.goto(app_server.url("/orders"))
    wait_hydrated(page)
    number = page.get_by_role("link", name="#1", exact=True)
    expect(number).to_be_visible()
    swatch = page.locator(".crm-type-swatch").first
    expect(swatch).to_be_visible()
    assert swatch.evaluate("e => getComputedStyle(e).backgroundColor") == RED[1]
    expect(swatch.locator("xpath=..")).to_have_text("Reparación")  # beside the type's name
    expect(page.get_by_text(format_money(Decimal("90"), "USD", "es", "EC")).first).to_be_visible()

    # A conflictive client is chosen only after a warning.
    _open_new_order(page, app_server)
    _pick(page, "Carlos", "Carlos Ríos")
    warning = page.get_by_role("alertdialog")
    expect(warning).to_contain_text("Carlos Ríos está marcado como conflictivo")
    warning.get_by_role("button", name="Confirmar").click()
    expect(warning).to_be_hidden()
    expect(page.get_by_role("button", name="Cambiar el cliente Carlos Ríos")).to_be_visible()

    # ... changed for a new client, created right there with the quick form.
    page.get_by_role("button", name="Cambiar el cliente Carlos Ríos").click()
    page.get_by_role("button", name="Nuevo cliente").click()
    quick = page.get_by_role("dialog", name="Nuevo cliente")
    expect(quick).to_be_visible()
    quick.get_by_label("Nombres", exact=True).fill("Mateo")
    quick.get_by_label("Apellidos", exact=True).fill("Salazar")
    quick.get_by_role("button", name="Guardar").click()
    expect(quick).to_be_hidden()
    expect(page.get_by_role("button", name="Cambiar el cliente Mateo Salazar")).to_be_visible()
    # On a phone the toast covers the foot of the page; a pointer resting on it keeps it (as a finger
    # does not): out of its way until it is gone.
    page.mouse.move(1, 1)
    expect(page.get_by_text("Cliente Mateo Salazar creado.")).to_be_hidden()
    _line(page, "Revisión", "1", "25")
    expect(page.get_by_text(format_money(Decimal("25"), "USD", "es", "EC"), exact=True).first).to_be_visible()
    page.get_by_role("button", name="Crear pedido").click()
    expect(page.get_by_role("heading", name="Pedido #2", level=1)).to_be_visible()
    with db_session(db_url) as session:
        mateo = session.exec(select(Customer).where(Customer.organization_id == admin.organization_id,
                                                    Customer.display_name == "Mateo Salazar")).one()
        assert _orders_of(db_url, admin.organization_id)[1].customer_id == mateo.id


def test_orders_on_a_desktop(app_server: AppServer, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    admin = _setup(app_server)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    _journey(page, app_server, admin)


def test_orders_on_a_phone(app_server: AppServer, phone_page: Page) -> None:
    admin = _setup(app_server)
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    _journey(phone_page, app_server, admin)


def test_an_admin_lets_an_order_type_go_without_a_client(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        entry = admin_settings.add_entry(session=session, actor=admin.actor, list_name="order_types",
                                         name="Mostrador", color="#30a46c")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url("/settings"))
    wait_hydrated(page)
    switch = page.get_by_role("checkbox", name="Mostrador admite pedidos sin cliente (mostrador)")
    expect(switch).not_to_be_checked()
    switch.click()
    expect(switch).to_be_checked()
    with db_session(app_server.db_url) as session:
        assert session.get(OrderType, entry.id).walk_in_allowed

    # A walk-in order is confirmed without a client.
    _open_new_order(page, app_server)
    expect(page.get_by_text("Este tipo admite pedidos sin cliente (mostrador).")).to_be_visible()
    _line(page, "Ajuste rápido", "1", "5")
    expect(page.get_by_text(format_money(Decimal("5"), "USD", "es", "EC"), exact=True).first).to_be_visible()
    page.get_by_role("button", name="Crear pedido").click()
    expect(page.get_by_role("heading", name="Pedido #1", level=1)).to_be_visible()
    page.get_by_role("button", name="Pasar a «Entregado»").click()
    expect(page.get_by_role("button", name="Pasar a «Entregado»")).to_have_count(0)
    assert [(o.status, o.customer_id) for o in _orders_of(app_server.db_url, admin.organization_id)] == [
        ("delivered", None)]
