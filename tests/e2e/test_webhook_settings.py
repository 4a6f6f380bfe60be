"""The webhooks section of /settings/api in Chromium: an admin is refused a private address next to the
field, registers an endpoint, sees its secret once and copies it, sends a test event and reads it in the
delivery log, re-enables an endpoint that was disabled for failing, and deletes one after confirming."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models.integrations import WEBHOOK_EVENTS, WebhookDelivery, WebhookEndpoint
from crm_app.models.types import utcnow
from crm_app.services import webhooks
from tests.e2e.conftest import AppServer, db_session, make_org_with_admin, sign_in, wait_hydrated
from tests.e2e.test_api_settings import assert_axe_clean

pytestmark = pytest.mark.e2e
URL = "https://93.184.216.34/clientela"  # a public address typed as such: no DNS needed
BROKEN = "https://93.184.216.34/roto"


def _failing_endpoint(db_url: str, admin) -> None:
    """An endpoint the worker disabled after it kept failing."""
    with db_session(db_url) as session:
        created, _ = webhooks.create_endpoint(session, admin.actor, BROKEN, ["lead.created"], "ERP viejo")
        row = session.get(WebhookEndpoint, created.id)
        row.disabled_at, row.disabled_reason, row.consecutive_failures = utcnow(), "failures", 20
        session.add(row)
        session.commit()


def test_admin_registers_tests_reads_the_log_and_deletes_a_webhook(app_server: AppServer, page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.base_url)
    admin = make_org_with_admin(app_server.db_url)
    _failing_endpoint(app_server.db_url, admin)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.get_by_role("link", name="API e integraciones").first.click()
    expect(page.get_by_role("heading", name="Webhooks", level=2)).to_be_visible()
    wait_hydrated(page)

    # The endpoint that kept failing says so, and comes back with "Activar".
    broken = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=BROKEN))
    expect(broken).to_contain_text("Desactivado tras fallar repetidamente")
    broken.get_by_role("button", name="Activar").click()
    expect(broken).to_contain_text("Activo")
    expect(broken).not_to_contain_text("fallar repetidamente")

    # Bad input: each error next to its field; a loopback address is refused (no SSRF).
    page.get_by_role("button", name="Añadir webhook").click()
    dialog = page.get_by_role("dialog", name="Añadir webhook")
    dialog.get_by_label("URL").fill("https://127.0.0.1/hook")
    dialog.get_by_role("button", name="Registrar").click()
    expect(dialog.get_by_text("127.0.0.1 es una dirección privada o local")).to_be_visible()
    expect(dialog.get_by_text("Elige al menos un evento.")).to_be_visible()
    expect(dialog.get_by_label("URL")).to_be_focused()

    dialog.get_by_label("URL").fill(URL)
    dialog.get_by_label("Descripción").fill("Tienda")
    dialog.get_by_label("customer.created").check()
    dialog.get_by_label("order.status_changed").check()
    dialog.get_by_role("button", name="Registrar").click()
    expect(dialog).to_be_hidden()

    # The signing secret, once, with a copy button.
    shown = page.get_by_role("dialog", name="Secreto de firma")
    expect(shown.locator("#webhook-new-secret")).to_contain_text("whsec_")
    secret = (shown.locator("#webhook-new-secret").text_content() or "").strip()
    assert secret.startswith("whsec_"), secret
    shown.get_by_role("button", name="Copiar").click()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    shown.get_by_role("button", name="Ya lo guardé").click()
    expect(shown).to_be_hidden()
    assert secret not in page.content()

    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=URL))
    expect(card).to_contain_text("Activo")
    expect(card).to_contain_text("customer.created")
    expect(card).to_contain_text("order.status_changed")
    expect(card).to_contain_text("Tienda")

    # A new secret is asked first (the old one stops working), then shown once.
    card.get_by_role("button", name="Nuevo secreto").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(URL)
    confirm.get_by_role("button", name="Confirmar").click()
    expect(shown.locator("#webhook-new-secret")).to_contain_text("whsec_")
    rotated = (shown.locator("#webhook-new-secret").text_content() or "").strip()
    assert rotated.startswith("whsec_") and rotated != secret
    shown.get_by_role("button", name="Ya lo guardé").click()
    expect(shown).to_be_hidden()

    # A test event, then the delivery log shows it.
    card.get_by_role("button", name="Enviar prueba").click()
    expect(page.get_by_text("Evento de prueba en cola.")).to_be_visible()
    with db_session(app_server.db_url) as session:
        assert [d.event_type for d in session.exec(select(WebhookDelivery)).all()] == ["ping"]
    card.get_by_role("button", name="Registro de envíos").click()
    log = page.get_by_role("dialog", name="Registro de envíos")
    expect(log).to_contain_text(URL)
    expect(log.get_by_role("listitem")).to_have_count(1)
    expect(log.get_by_role("listitem")).to_contain_text("ping")
    log.get_by_role("button", name="Cerrar").click()
    expect(log).to_be_hidden()

    # Deleting asks first, naming the URL.
    card.get_by_role("button", name="Eliminar").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(URL)
    confirm.get_by_role("button", name="Confirmar").click()
    # While the question is open the page behind it is hidden from the accessibility tree (the card
    # "disappears" at once): wait for the answer first.
    expect(confirm).to_be_hidden()
    expect(card).to_have_count(0)
    with db_session(app_server.db_url) as session:
        rows = session.exec(select(WebhookEndpoint).where(WebhookEndpoint.url == URL)).all()
        assert len(rows) == 1 and rows[0].deleted_at is not None


def test_on_a_phone_the_webhooks_and_their_log_fit_and_pass_axe(
    app_server: AppServer, phone_page: Page
) -> None:
    admin = make_org_with_admin(app_server.db_url)
    long_url = "https://93.184.216.34/webhooks/clientela/organizacion-principal/receptor-de-eventos?token=abc"
    with db_session(app_server.db_url) as session:
        created, _ = webhooks.create_endpoint(session, admin.actor, long_url, list(WEBHOOK_EVENTS), "ERP")
        session.add(WebhookDelivery(
            organization_id=admin.organization_id, endpoint_id=created.id, event_id="evt_phone",
            event_type="customer.updated", payload="{}", status="failed", attempts=8, response_code=503,
            duration_ms=10012, last_error="ReadTimeout: the receiver took longer than ten seconds to answer"))
        session.commit()
    _failing_endpoint(app_server.db_url, admin)
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    phone_page.goto(app_server.url("/settings/api"))
    card = phone_page.get_by_role("listitem").filter(has=phone_page.get_by_role("heading", name=long_url))
    expect(card).to_contain_text("message.failed")
    wait_hydrated(phone_page)
    assert_axe_clean(phone_page)
    assert phone_page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    card.get_by_role("button", name="Registro de envíos").click()
    log = phone_page.get_by_role("dialog", name="Registro de envíos")
    expect(log).to_contain_text("503")
    expect(log).to_contain_text("10012 ms")
    expect(log).to_contain_text("Fallido")
    expect(log).to_contain_text("ReadTimeout")
    phone_page.wait_for_timeout(300)  # the opening animation: axe measures the settled dialog's colours
    assert_axe_clean(phone_page)
    assert phone_page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
