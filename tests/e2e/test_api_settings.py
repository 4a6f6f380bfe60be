"""/settings/api: an admin creates an API key, sees it once and copies it, the key works against the API,
then he revokes it; a sales user is kept out of the page."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.api.v1 import customers as customers_api
from crm_app.domain.api_keys import SCOPES, api_key_hash
from crm_app.models.integrations import ApiKey
from crm_app.services import api_keys
from tests.e2e.conftest import (
    AppServer,
    db_session,
    make_org_with_admin,
    make_user,
    sign_in,
    wait_hydrated,
)

pytestmark = pytest.mark.e2e
SCREENSHOTS = os.environ.get("CRM_TEST_SCREENSHOTS", "")  # a directory: the phone layout saved there
_axe = Axe()


def assert_axe_clean(page: Page) -> None:
    """No serious or critical axe-core violation, and the structural rules test_accessibility.py holds
    every page to (headings in order, one main)."""
    required = {"landmark-one-main", "heading-order", "page-has-heading-one"}
    violations = _axe.run(page).response["violations"]
    problems = [f"{v['id']}: {[n['target'] for n in v['nodes']][:5]}" for v in violations
                if v["impact"] in {"serious", "critical"} or v["id"] in required]
    assert problems == []


def _stored_key(db_url: str, key: str) -> ApiKey | None:
    with db_session(db_url) as session:
        row = session.exec(select(ApiKey).where(ApiKey.key_hash == api_key_hash(key))).first()
        if row is not None:
            session.expunge(row)
        return row


def _customers_route_is_in() -> bool:
    return any(getattr(route, "path", "") == "/customers" for route in customers_api.router.routes)


def test_admin_creates_copies_uses_and_revokes_a_key(app_server: AppServer, page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.base_url)
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.get_by_role("link", name="API e integraciones").first.click()
    expect(page.get_by_role("heading", name="API e integraciones", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Documentación de la API")).to_have_attribute("href", "/api/v1/docs")
    expect(page.get_by_text("Aún no hay claves")).to_be_visible()
    wait_hydrated(page)

    # Nothing chosen: each field says what is wrong, nothing is created.
    page.get_by_role("button", name="Nueva clave").click()
    dialog = page.get_by_role("dialog", name="Nueva clave")
    dialog.get_by_role("button", name="Crear clave").click()
    expect(dialog.get_by_text("Este campo es obligatorio.")).to_be_visible()
    expect(dialog.get_by_text("Elige al menos un permiso.")).to_be_visible()
    expect(dialog.get_by_label("Nombre")).to_be_focused()

    dialog.get_by_label("Nombre").fill("Tienda online")
    dialog.get_by_label("customers:write").check()
    dialog.get_by_role("button", name="Crear clave").click()
    expect(dialog).to_be_hidden()

    # The key, once, with its warning and a copy button.
    shown = page.get_by_role("dialog", name="Copia tu clave de API")
    expect(shown).to_contain_text("No se volverá a mostrar")
    key = (shown.get_by_label("Clave de API").text_content() or "").strip()
    assert key.startswith("clk_"), key
    shown.get_by_role("button", name="Copiar clave").click()
    expect(page.get_by_text("Clave copiada al portapapeles")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == key
    shown.get_by_role("button", name="Ya la guardé").click()
    expect(shown).to_be_hidden()
    expect(page.get_by_role("button", name="Nueva clave")).to_be_focused()  # focus back where it was
    assert key not in page.content()

    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Tienda online"))
    expect(card).to_contain_text(key[:12])
    expect(card).to_contain_text("customers:write")
    expect(card).to_contain_text("nunca")
    expect(card).to_contain_text("Activa")

    stored = _stored_key(app_server.db_url, key)
    assert stored is not None and stored.organization_id == admin.organization_id
    assert stored.scopes == "customers:write" and stored.revoked_at is None
    bearer = {"Authorization": f"Bearer {key}"}
    if _customers_route_is_in():
        assert page.request.get(app_server.url("/api/v1/customers"), headers=bearer).status == 200
        page.reload()  # its last use is shown now, a time in the organization's zone
        expect(card.get_by_text("Último uso")).to_be_visible()
        expect(card).not_to_contain_text("nunca")

    # Revoking asks first, naming the key; then the card says so and the key no longer works.
    card.get_by_role("button", name="Revocar Tienda online").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("«Tienda online»")
    confirm.get_by_role("button", name="Confirmar").click()
    expect(card).to_contain_text("Revocada")
    expect(card.get_by_role("button", name="Revocar Tienda online")).to_have_count(0)
    assert _stored_key(app_server.db_url, key).revoked_at is not None
    if _customers_route_is_in():
        assert page.request.get(app_server.url("/api/v1/customers"), headers=bearer).status == 401

    # A key left on screen is forgotten by a reload: the dialog does not come back with it.
    page.get_by_role("button", name="Nueva clave").click()
    dialog.get_by_label("Nombre").fill("Temporal")
    dialog.get_by_label("webhooks").check()
    dialog.get_by_role("button", name="Crear clave").click()
    second = (shown.get_by_label("Clave de API").text_content() or "").strip()
    assert second.startswith("clk_") and second != key
    page.reload()
    expect(page.get_by_role("heading", name="Temporal")).to_be_visible()
    expect(shown).to_have_count(0)
    assert second not in page.content()


def test_a_sales_user_is_refused_the_page(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    seller = make_user(app_server.db_url, admin, change_password=True)
    sign_in(page, app_server.base_url, seller.email, seller.password)
    expect(page.get_by_role("link", name="API e integraciones")).to_have_count(0)
    page.goto(app_server.url("/settings/api"))
    expect(page.get_by_role("heading", name="Acceso denegado")).to_be_visible()
    expect(page.get_by_role("button", name="Nueva clave")).to_have_count(0)


def test_on_a_phone_the_keys_fit_the_screen(app_server: AppServer, phone_page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        api_keys.create_key(session=session, actor=admin.actor, name="ERP de la bodega principal",
                            scopes=list(SCOPES), expires_on=date.today() + timedelta(days=400))
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    phone_page.goto(app_server.url("/settings/api"))
    card = phone_page.get_by_role("listitem").filter(
        has=phone_page.get_by_role("heading", name="ERP de la bodega principal"))
    expect(card).to_contain_text("documents:write")
    expect(card).to_contain_text("nunca")
    wait_hydrated(phone_page)
    assert_axe_clean(phone_page)
    phone_page.get_by_role("button", name="Nueva clave").click()
    dialog = phone_page.get_by_role("dialog", name="Nueva clave")
    expect(dialog.get_by_text("Administrar los webhooks de la organización.")).to_be_visible()
    phone_page.wait_for_timeout(300)  # the opening animation: axe measures the settled dialog's colours
    assert_axe_clean(phone_page)
    assert phone_page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    if SCREENSHOTS:
        phone_page.screenshot(path=f"{SCREENSHOTS}/api_settings_phone_dialog.png", full_page=True)
        dialog.get_by_role("button", name="Cancelar").click()
        phone_page.screenshot(path=f"{SCREENSHOTS}/api_settings_phone.png", full_page=True)
