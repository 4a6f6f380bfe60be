"""Sales end to end, on a phone (390x844) and a desktop (1280x900): a counter sale in at most four taps
on the phone (typing is not a tap); the client's personal discount in the total; a credit sale past the
client's limit refused to a sales user with the figures next to the payment method and nothing saved;
the same sale confirmed by an admin in a dialog that names the amounts, then marked paid.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from crm_app.domain.customers import CustomerInput
from crm_app.domain.documents import LineInput
from crm_app.domain.locale_format import format_money
from crm_app.domain.sales import SaleInput
from crm_app.models import Sale
from crm_app.services import customers, sales
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    make_org_with_admin,
    make_user,
    path_is,
    sign_in,
    wait_hydrated,
)

pytestmark = pytest.mark.e2e

SALE_URL = re.compile(r"^https?://[^/]+/sales/(\d+)/?$")
CLIENT = "Cliente (opcional)"


def usd(amount: str) -> str:
    return format_money(Decimal(amount), "USD", "es", "EC")


def _sales_of(db_url: str, organization_id: int) -> list[Sale]:
    with db_session(db_url) as session:
        rows = session.exec(select(Sale).where(Sale.organization_id == organization_id)
                            .order_by(Sale.number)).all()
        session.expunge_all()
        return list(rows)


class Taps:
    """Counts what the user taps on the phone; typing (and the keyboard's "next" key) is not a tap."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, target: Locator) -> None:
        self.count += 1
        target.tap()


def _height(target: Locator) -> float:
    box = target.bounding_box()
    assert box is not None
    return box["height"]


def test_a_counter_sale_in_four_taps_on_a_phone(app_server: AppServer, phone_page: Page) -> None:
    page, db_url = phone_page, app_server.db_url
    admin = make_org_with_admin(db_url)
    seller = make_user(db_url, admin, name="Beto Ventas", change_password=True)
    sign_in(page, app_server.base_url, seller.email, seller.password)
    page.goto(app_server.url("/sales"))
    expect(page.get_by_text("Todavía no hay ventas")).to_be_visible()
    wait_hydrated(page)
    tap = Taps()

    tap(page.get_by_role("link", name="Nueva venta").first)  # 1
    expect(page).to_have_url(path_is("/sales/new"))
    expect(page.get_by_role("heading", name="Nueva venta", level=1)).to_be_visible()
    description = page.get_by_label("Descripción 1")
    expect(description).to_be_focused()  # the sale starts by typing
    page.keyboard.type("Gaseosa")
    page.keyboard.press("Tab")  # the keyboard's "next": quantity (1 by default)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Precio unitario 1")).to_be_focused()
    page.keyboard.type("1.50")
    expect(page.get_by_text(usd("1.50"), exact=True).last).to_be_visible()
    card = page.get_by_role("radio", name="Tarjeta")
    assert _height(page.locator("label").filter(has=card)) >= 44
    tap(card)  # 2 (cash is preselected: this tap is the one a card payment costs)
    expect(card).to_be_checked()
    record = page.get_by_role("button", name="Registrar venta")
    assert _height(record) >= 44
    tap(record)  # 3

    expect(page).to_have_url(SALE_URL)
    expect(page.get_by_role("heading", name="Venta #1", level=1)).to_be_visible()
    expect(page.get_by_text("Venta de mostrador")).to_be_visible()
    assert tap.count <= 4
    [sale] = _sales_of(db_url, admin.organization_id)
    assert (sale.number, sale.total, sale.payment_method, sale.customer_id, sale.created_by) == (
        1, Decimal("1.50"), "card", None, seller.id)

    # Bad input is refused next to its field, and nothing is saved.
    page.get_by_role("link", name="Nueva venta").first.click()
    expect(page.get_by_role("heading", name="Nueva venta", level=1)).to_be_visible()
    page.get_by_label("Descripción 1").fill("Pan")
    page.get_by_label("Cantidad 1").fill("-1")
    page.get_by_label("Precio unitario 1").fill("0.555")
    page.get_by_role("button", name="Registrar venta").click()
    expect(page.get_by_role("alert").filter(has_text="La cantidad debe ser mayor que 0.")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Usa como máximo 2 decimales.")).to_be_visible()
    page.get_by_role("radio", name="Crédito").click()
    page.get_by_label("Cantidad 1").fill("1")
    page.get_by_label("Precio unitario 1").fill("0.55")
    page.get_by_role("button", name="Registrar venta").click()
    expect(page.get_by_role("alert").filter(has_text="una venta a crédito necesita uno")).to_be_visible()
    assert len(_sales_of(db_url, admin.organization_id)) == 1


def _setup_credit(app_server: AppServer) -> tuple[Person, Person]:
    """An organization whose client Lucía has a 10 % personal discount, a credit limit of $100 and owes
    $70 already; its admin and a sales user."""
    admin = make_org_with_admin(app_server.db_url, name="Ada Admin")
    seller = make_user(app_server.db_url, admin, name="Beto Ventas", change_password=True)
    with db_session(app_server.db_url) as session:
        lucia = customers.create_customer(session=session, actor=admin.actor, data=CustomerInput(
            client_type="person", first_name="Lucía", last_name="Paredes", discount_percent=Decimal("10"),
            credit_limit=Decimal("100")))
        sales.create_sale(session=session, actor=admin.actor, data=SaleInput(
            customer_id=lucia.id, payment_method="credit", discount_percent="0",
            lines=(LineInput("Saco", "1", "70"),)))
    return admin, seller


def _credit_sale_for_lucia(page: Page, app_server: AppServer) -> None:
    """/sales/new: Lucía (her discount becomes the sale's), 2 x $50 less 10 %, on credit."""
    page.goto(app_server.url("/sales/new"))
    expect(page.get_by_role("heading", name="Nueva venta", level=1)).to_be_visible()
    wait_hydrated(page)
    page.get_by_label(CLIENT).fill("lucia")
    page.get_by_role("button", name="Lucía Paredes", exact=True).click()
    expect(page.get_by_text("Descuento personal de Lucía Paredes: 10%")).to_be_visible()
    page.get_by_label("Descripción 1").fill("Televisor")
    page.get_by_label("Cantidad 1").fill("2")
    page.get_by_label("Precio unitario 1").fill("50")
    expect(page.get_by_text(usd("90"), exact=True).last).to_be_visible()  # 100 less Lucía's 10 %
    page.get_by_role("radio", name="Crédito").click()
    expect(page.get_by_text(f"Límite de crédito {usd('100')} · debe {usd('70')} · disponible "
                            f"{usd('30')}")).to_be_visible()
    page.get_by_role("button", name="Registrar venta").click()


DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_credit_past_the_limit_is_refused_to_sales_and_confirmed_by_an_admin(
    app_server: AppServer, new_page, screen
) -> None:
    db_url = app_server.db_url
    admin, seller = _setup_credit(app_server)
    page = new_page(**screen)
    sign_in(page, app_server.base_url, seller.email, seller.password)
    _credit_sale_for_lucia(page, app_server)

    # Refused next to the payment method, with the figures; nothing saved.
    message = page.locator("#sale-method-error")
    expect(message).to_have_attribute("role", "alert")
    expect(message).to_contain_text(f"límite {usd('100')}, debe {usd('70')}, disponible {usd('30')}")
    expect(page.get_by_role("radiogroup", name="Forma de pago")).to_have_attribute(
        "aria-describedby", "sale-method-error")
    assert len(_sales_of(db_url, admin.organization_id)) == 1

    # An admin is asked, with the amounts, and records it when he says yes.
    admin_page = new_page(**screen)
    sign_in(admin_page, app_server.base_url, admin.email, admin.password)
    _credit_sale_for_lucia(admin_page, app_server)
    question = admin_page.get_by_role("alertdialog")
    expect(question).to_contain_text(f"Esta venta a crédito de {usd('90')} supera el límite del cliente: "
                                     f"límite {usd('100')}, debe {usd('70')}, disponible {usd('30')}")
    question.get_by_role("button", name="Registrar igualmente").click()
    expect(admin_page).to_have_url(SALE_URL)
    expect(admin_page.get_by_role("heading", name="Venta #2", level=1)).to_be_visible()
    expect(admin_page.get_by_text("Crédito sobre el límite autorizado por Ada Admin")).to_be_visible()
    expect(admin_page.get_by_text(usd("90"), exact=True).first).to_be_visible()
    # The discount as Ecuador's Spanish writes a percentage, with the amount it took off.
    expect(admin_page.get_by_text(f"10% (\u2212{usd('10')})", exact=True)).to_be_visible()
    sale = _sales_of(db_url, admin.organization_id)[1]
    assert (sale.total, sale.discount_percent, sale.credit_approved_by, sale.paid_at) == (
        Decimal("90.00"), Decimal("10.00"), admin.id, None)

    # The seller sees it to collect in the list, and marks it paid from its receipt.
    page.goto(app_server.url("/sales?method=credit"))
    wait_hydrated(page)
    expect(page.get_by_text("Por cobrar").first).to_be_visible()
    page.get_by_role("link", name="#2", exact=True).click()
    expect(page.get_by_role("heading", name="Venta #2", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Anular venta")).to_have_count(0)  # admins only
    page.get_by_role("button", name="Marcar pagada").click()
    expect(page.get_by_role("button", name="Marcar pagada")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"Pagada "))).to_be_visible()
    assert _sales_of(db_url, admin.organization_id)[1].paid_at is not None
