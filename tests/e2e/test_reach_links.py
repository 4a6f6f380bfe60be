"""Reaching a customer in one tap on a phone: from the list's card and from the profile's action bar,
call, WhatsApp and SMS go to the numbers flagged for them, e-mail to his address, directions to his map
point; each link is a 44 px target named for what it does and to whom."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.services.customers import create_customer
from tests.e2e.conftest import AppServer, db_session, make_org_with_admin, sign_in, wait_hydrated

pytestmark = pytest.mark.e2e

DIRECTIONS = "https://www.google.com/maps/dir/?api=1&destination=-0.180653,-78.467834"


def _reachable_customer(app_server: AppServer) -> tuple:
    admin = make_org_with_admin(app_server.db_url)
    data = CustomerInput(
        client_type="person", first_name="Rosa", last_name="Quishpe",
        phones=(PhoneInput("02-234-5678", primary=True), PhoneInput("0991112222", whatsapp=True),
                PhoneInput("0983334444", sms=True)),
        emails=(EmailInput("rosa.quishpe@example.com", primary=True),),
        latitude=Decimal("-0.180653"), longitude=Decimal("-78.467834"),
    )
    with db_session(app_server.db_url) as session:
        customer_id = create_customer(session=session, actor=admin.actor, data=data).id
    return admin, customer_id


def _at_least_44(link) -> None:
    box = link.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44, box


def test_the_list_card_reaches_the_customer_in_one_tap(app_server: AppServer, phone_page: Page) -> None:
    admin, _customer_id = _reachable_customer(app_server)
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    phone_page.goto(app_server.url("/customers"))
    wait_hydrated(phone_page)
    links = {
        "Llamar a Rosa Quishpe": "tel:+59322345678",
        "WhatsApp a Rosa Quishpe": "https://wa.me/593991112222",
        "SMS a Rosa Quishpe": "sms:+593983334444",
        "Escribir a Rosa Quishpe": "mailto:rosa.quishpe@example.com",
        "Cómo llegar donde Rosa Quishpe": DIRECTIONS,
    }
    for name, href in links.items():
        link = phone_page.get_by_role("link", name=name, exact=True)
        expect(link).to_have_attribute("href", href)
        _at_least_44(link)


def test_the_profile_bar_adds_sms_and_directions(app_server: AppServer, phone_page: Page) -> None:
    admin, customer_id = _reachable_customer(app_server)
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    phone_page.goto(app_server.url(f"/customers/{customer_id}"))
    expect(phone_page.get_by_role("heading", name="Rosa Quishpe", level=1)).to_be_visible()
    wait_hydrated(phone_page)
    bar = phone_page.get_by_role("navigation", name="Acciones rápidas")
    sms = bar.get_by_role("link", name="SMS a +593 98 333 4444")
    expect(sms).to_have_attribute("href", "sms:+593983334444")
    directions = bar.get_by_role("link", name="Cómo llegar donde Rosa Quishpe")
    expect(directions).to_have_attribute("href", DIRECTIONS)
    for link in (sms, directions):
        _at_least_44(link)
    # The map card has the same directions.
    on_map = phone_page.get_by_role("link", name="Cómo llegar", exact=True)
    expect(on_map).to_have_attribute("href", DIRECTIONS)
