"""E-mail campaigns end to end (issue 15), at desktop and phone sizes: an admin opens a new campaign on a
segment of the customer list, sees who is left out, sends a test to himself, sends the campaign, and each
customer of the segment receives it over real SMTP (the session's aiosmtpd ``mailbox``) with the one-click
unsubscribe headers; the report counts them sent.

The organization's pace is set to 600 a minute so the campaign goes out within seconds.
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from crm_app.domain.customers import CustomerInput, EmailInput
from crm_app.services import admin_settings
from crm_app.services import campaigns as campaign_service
from crm_app.services.customers import create_customer
from crm_app.services.templates import TemplateInput, save_template
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    make_org_with_admin,
    make_user,
    sign_in,
    wait_hydrated,
)
from tests.e2e.mailbox import Mailbox, Received
from tests.e2e.test_accessibility import _axe_problems, _small_targets
from tests.e2e.test_messaging import customer_email

pytestmark = pytest.mark.e2e

SUBJECT = "Novedades de diciembre"


def prepare(app_server: AppServer, tag: str) -> tuple[Person, list[str], str]:
    """An organization at 600 e-mails a minute with an e-mail template and three customers tagged ``tag``:
    two whose e-mail accepts mail, one whose e-mail does not (left out). Returns the admin, the two
    addresses and the one left out."""
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        admin_settings.set_campaign_pace(session=session, actor=admin.actor, per_minute=600)
        save_template(session=session, actor=admin.actor, data=TemplateInput(
            "email", "Novedades", SUBJECT, "Hola {{ first_name }}, llegaron las novedades."))
    yes = [customer_email("camp.ana"), customer_email("camp.luis")]
    no = customer_email("camp.sin")
    with db_session(app_server.db_url) as session:
        for first, address, ok in (("Ana", yes[0], True), ("Luis", yes[1], True), ("Sin", no, False)):
            create_customer(session=session, actor=admin.actor, data=CustomerInput(
                client_type="person", first_name=first, last_name="Campaña", tags=(tag,),
                emails=(EmailInput(address=address, accepts_email=ok, primary=True),)))
    return admin, yes, no


def accessible(page: Page, where: str) -> None:
    """axe finds nothing serious and, on a phone, every control is 44x44 px at least, once the last
    action's toasts are gone (the shell's own, measured by test_accessibility.py)."""
    page.mouse.move(0, 0)  # a toast under a resting pointer waits for it to leave
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=20_000)
    problems = _axe_problems(page)
    assert not problems, f"axe on {where}:\n  " + "\n  ".join(problems)
    if page.viewport_size["width"] < 768:
        assert _small_targets(page) == [], where


def is_campaign_mail(mail: Received) -> bool:
    return mail.subject == SUBJECT


def fill_campaign(page: Page, name: str) -> None:
    page.get_by_label("Nombre de la campaña").fill(name)
    page.get_by_label("Plantilla de correo").select_option(label="Novedades")
    expect(page.get_by_text("Se enviará a 2 direcciones; 1 clientes quedan fuera por no tener un e-mail con "
                            "consentimiento.")).to_be_visible()


def send_test_and_campaign(page: Page, admin: Person, mailbox: Mailbox) -> None:
    page.get_by_role("button", name="Enviar prueba a mí").click()
    expect(page.get_by_role("status").filter(has_text=f"Prueba enviada a {admin.email}.")).to_be_visible()
    test = mailbox.wait_for(admin.email, lambda mail: SUBJECT in mail.subject)
    assert test.subject != SUBJECT and "Hola" in test.text()  # marked as a test

    page.get_by_role("button", name="Enviar ahora", exact=True).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("La campaña se enviará ahora a 2 direcciones.")
    dialog.get_by_role("button", name="Confirmar").click()
    expect(page).to_have_url(re.compile(r"/campaigns/\d+$"))


def expect_delivered(page: Page, mailbox: Mailbox, addresses: list[str], left_out: str) -> None:
    for address in addresses:
        mail = mailbox.wait_for(address, is_campaign_mail, timeout=60)
        assert mail.message["List-Unsubscribe"], f"no List-Unsubscribe header to {address}"
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mailbox.to(left_out) == []
    # The report refreshes itself while it sends.
    expect(page.get_by_role("group", name="Enviados")).to_contain_text("2", timeout=60_000)
    expect(page.get_by_text("Terminada").first).to_be_visible(timeout=30_000)
    for address in addresses:
        expect(page.get_by_text(address).first).to_be_visible()


def test_an_admin_sends_a_campaign_to_a_segment_of_the_list(
    app_server: AppServer, page: Page, mailbox: Mailbox
) -> None:
    tag = f"promo{secrets.token_hex(3)}"
    admin, addresses, left_out = prepare(app_server, tag)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    expect(page.get_by_role("link", name="Campañas")).to_be_visible()

    # What "Enviar campaña a esta lista" opens from /customers?tags=<tag>&consent=1.
    page.goto(app_server.url(f"/campaigns/new?tags={tag}"))
    expect(page.get_by_role("heading", name="Nueva campaña")).to_be_visible()
    wait_hydrated(page)
    expect(page.get_by_text(f"Etiquetas: {tag}")).to_be_visible()
    see_list = page.get_by_role("link", name="Ver esta lista")
    expect(see_list).to_have_attribute("href", f"/customers?tags={tag}")
    fill_campaign(page, "Diciembre")
    accessible(page, "the campaign form")
    send_test_and_campaign(page, admin, mailbox)
    expect_delivered(page, mailbox, addresses, left_out)
    accessible(page, "the campaign report")

    page.goto(app_server.url("/campaigns"))
    row = page.get_by_role("row").filter(has_text="Diciembre")
    expect(row).to_contain_text("Terminada")
    expect(row).to_contain_text("2 / 2")


def test_on_a_phone_an_admin_sends_a_campaign_to_a_saved_segment(
    app_server: AppServer, phone_page: Page, mailbox: Mailbox
) -> None:
    page = phone_page
    tag = f"club{secrets.token_hex(3)}"
    admin, addresses, left_out = prepare(app_server, tag)
    with db_session(app_server.db_url) as session:
        campaign_service.save_segment(session=session, actor=admin.actor, name="Club", query=f"tags={tag}")
    sign_in(page, app_server.base_url, admin.email, admin.password)

    page.goto(app_server.url("/campaigns"))
    expect(page.get_by_text("Todavía no hay campañas")).to_be_visible()
    wait_hydrated(page)
    page.get_by_role("link", name="Nueva campaña").first.click()
    expect(page.get_by_role("heading", name="Nueva campaña")).to_be_visible()
    page.get_by_label("Destinatarios").select_option(label="Club")
    expect(page.get_by_text(f"Etiquetas: {tag}")).to_be_visible()
    fill_campaign(page, "Club de diciembre")
    accessible(page, "the campaign form on a phone")
    send_test_and_campaign(page, admin, mailbox)
    expect_delivered(page, mailbox, addresses, left_out)
    accessible(page, "the campaign report on a phone")


def test_sales_users_have_no_campaigns(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sales = make_user(app_server.db_url, admin, "sales", change_password=True)
    sign_in(page, app_server.base_url, sales.email, sales.password)
    expect(page.get_by_role("link", name="Clientes", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Campañas")).to_have_count(0)
    page.goto(app_server.url("/campaigns/new"))
    expect(page.get_by_role("heading", name="Acceso denegado")).to_be_visible()
