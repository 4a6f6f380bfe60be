"""A website form end to end: an admin creates it in /settings/api and copies its HTML; that HTML,
served by another site (a small http.server on another port, another origin), is filled in Chromium and
the lead appears with its consent time; a form that does not list that site is blocked by CORS and
stores nothing."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Lead
from crm_app.services import web_forms
from crm_app.services.web_form_snippet import snippet
from crm_app.services.web_forms import FormDraft
from tests.e2e.conftest import (
    AppServer,
    db_session,
    make_org_with_admin,
    sign_in,
    wait_hydrated,
    wait_until,
)
from tests.e2e.test_api_settings import assert_axe_clean

pytestmark = pytest.mark.e2e


@pytest.fixture
def other_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(its origin, the directory it serves): a site that is not Clientela's."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()


def _page(body: str) -> str:
    return f'<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Tienda</title></head>' \
           f"<body><main><h1>Contacto</h1>{body}</main></body></html>"


def _leads(db_url: str, org_id: int) -> list[Lead]:
    with db_session(db_url) as session:
        rows = session.exec(select(Lead).where(Lead.organization_id == org_id)).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def test_a_form_posted_from_another_origin_makes_a_lead(app_server: AppServer, page: Page,
                                                       other_site: tuple[str, Path]) -> None:
    origin, root = other_site
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url("/settings/api"))
    page.get_by_role("button", name="Nuevo formulario").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Nombre").fill("Contacto web")
    dialog.get_by_label("Orígenes permitidos (uno por línea)").fill("tienda.example/contacto")
    dialog.get_by_role("button", name="Guardar").click()
    expect(dialog.get_by_text("no es un origen")).to_be_visible()  # the error next to its field
    dialog.get_by_label("Orígenes permitidos (uno por línea)").fill(origin)
    dialog.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name="Contacto web", level=3)).to_be_visible()
    page.get_by_role("button", name="Código para tu web Contacto web").click()
    html = page.locator("#web-form-snippet").input_value()
    assert app_server.url("/api/v1/forms/wf_") in html
    assert 'name="website"' in html and 'name="consent"' in html  # the honeypot and the consent box
    (root / "contacto.html").write_text(_page(html), encoding="utf-8")

    visitor = page.context.new_page()
    visitor.goto(f"{origin}/contacto.html")
    visitor.get_by_label("Nombre").fill("Ana Vera")
    visitor.get_by_role("textbox", name="Correo").fill("ana.vera@example.com")
    visitor.get_by_role("checkbox").check()
    visitor.get_by_role("button", name="Enviar").click()
    expect(visitor.get_by_role("status")).to_have_text("¡Gracias! Hemos recibido tus datos.")
    wait_until(lambda: _leads(app_server.db_url, admin.organization_id), message="the lead is stored")
    (lead,) = _leads(app_server.db_url, admin.organization_id)
    assert (lead.name, lead.email) == ("Ana Vera", "ana.vera@example.com") and lead.consent_at is not None

    # The visitor's errors come back next to the form, in the page's language.
    visitor.get_by_role("textbox", name="Correo").fill("no-es-correo")
    visitor.get_by_label("Nombre").fill("Luis")
    visitor.locator("form").evaluate("f => f.noValidate = true")
    visitor.get_by_role("button", name="Enviar").click()
    expect(visitor.get_by_role("status")).not_to_have_text("")
    assert len(_leads(app_server.db_url, admin.organization_id)) == 1


def test_a_site_the_form_does_not_list_is_blocked(app_server: AppServer, page: Page,
                                                 other_site: tuple[str, Path]) -> None:
    _origin, root = other_site
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        form = web_forms.create_form(session=session, actor=admin.actor,
                                     draft=FormDraft(name="Solo tienda", allowed_origins="https://tienda.example"))
    (root / "ajena.html").write_text(_page(snippet(form.public_key, "", "es", app_server.base_url)),
                                     encoding="utf-8")
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "CORS" in message.text else None)
    page.goto(f"{_origin}/ajena.html")
    page.get_by_label("Nombre").fill("Intruso")
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("status")).to_have_text("No se pudo enviar. Inténtalo de nuevo.")
    assert refused, "Chromium reports the CORS refusal"
    assert _leads(app_server.db_url, admin.organization_id) == []


def test_a_customer_form_warns_of_the_required_fields_it_does_not_ask(app_server: AppServer,
                                                                     page: Page) -> None:
    """The organization's customer form requires the ID number: a website form that makes customers
    would see every post refused, and its card in /settings/api says so; a lead form says nothing."""
    import dataclasses

    from crm_app.services import form_config

    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        config = form_config.get_form_config(session=session, actor=admin.actor, client_type="person")
        fields = [dataclasses.replace(f, required=True) if f.key == "tax_id" else f for f in config.builtin]
        form_config.save_builtin_fields(session=session, actor=admin.actor, client_type="person",
                                        fields=fields)
        for name, target in (("Clientes web", "customer"), ("Leads web", "lead")):
            web_forms.create_form(session=session, actor=admin.actor, draft=FormDraft(
                name=name, target=target, allowed_origins="https://tienda.example"))
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url("/settings/api"))
    customers_card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Clientes web"))
    expect(customers_card).to_contain_text(
        "Tu formulario de clientes exige Número de identificación, y este formulario web no lo pide")
    leads_card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Leads web"))
    expect(leads_card).to_be_visible()
    expect(leads_card).not_to_contain_text("Tu formulario de clientes exige")


def test_facebook_connector_on_a_phone(app_server: AppServer, phone_page: Page) -> None:
    """The admin saves the Facebook connector: Meta's callback URL and verify token appear (and answer
    Meta's handshake), the app secret is not shown again, the mapping rows are kept; the section fits a
    phone with 44 px targets and passes axe-core."""
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        web_forms.create_form(session=session, actor=admin.actor,
                              draft=FormDraft(name="Contacto", allowed_origins="https://tienda.example"))
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    phone_page.goto(app_server.url("/settings/api"))
    card = phone_page.locator("section[aria-labelledby=lead-ads-heading]")
    expect(card.get_by_label("Campo de Facebook")).to_have_count(3)  # Meta's standard questions
    wait_hydrated(phone_page)
    assert_axe_clean(phone_page)  # before any toast: a resting one is measured mid-animation
    assert phone_page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    for button in phone_page.locator("section[aria-labelledby=web-forms-heading] button").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, button.text_content()
    card.get_by_role("button", name="Añadir campo").click()
    card.get_by_label("Campo de Facebook").nth(3).fill("presupuesto")
    card.get_by_label("Dato del lead").nth(3).select_option("notes")
    card.get_by_role("button", name="Guardar conector").click()
    expect(card.get_by_text("Pega la clave secreta de la app de Meta.")).to_be_visible()
    card.get_by_label("Clave secreta de la app").fill("meta-app-secret")
    card.get_by_role("button", name="Guardar conector").click()
    callback = card.get_by_role("textbox", name="URL de devolución de llamada")
    expect(callback).to_have_value(re.compile(r"/api/v1/connectors/facebook/la_"))
    expect(card.get_by_text("Guardada. Escribe otra para cambiarla.")).to_be_visible()
    expect(card.get_by_label("Clave secreta de la app")).to_have_value("")
    expect(card.get_by_label("Campo de Facebook").nth(3)).to_have_value("presupuesto")
    token = card.get_by_role("textbox", name="Token de verificación").input_value()
    answer = httpx.get(callback.input_value(), params={"hub.mode": "subscribe", "hub.verify_token": token,
                                                       "hub.challenge": "8675309"})
    assert answer.status_code == 200 and answer.text == "8675309"


def test_a_sales_user_cannot_call_the_connector_handlers(app_server: AppServer, page: Page) -> None:
    """Forged websocket events from a signed-in sales user are refused by every handler's own check."""
    from crm_app.models.integrations import LeadAdsConnector, WebForm
    from crm_app.states.connector_settings import ConnectorSettingsState
    from crm_app.states.lead_ads_settings import LeadAdsSettingsState
    from tests.e2e.conftest import make_user
    from tests.e2e.test_forged_events import FORBIDDEN, _send_raw_events, _toasts

    admin = make_org_with_admin(app_server.db_url)
    sales = make_user(app_server.db_url, admin, "sales", change_password=True)
    with db_session(app_server.db_url) as session:
        form = web_forms.create_form(session=session, actor=admin.actor,
                                     draft=FormDraft(name="Contacto", allowed_origins="https://tienda.example"))
    sign_in(page, app_server.base_url, sales.email, sales.password)

    def event(state, handler: str, payload: dict) -> dict:
        return {"name": f"{state.get_full_name()}.{handler}", "payload": payload,
                "router_data": {"pathname": "/settings/api", "asPath": "/settings/api"}}

    frames = _send_raw_events(page, app_server, [
        event(ConnectorSettingsState, "set_enabled", {"form_id": form.id, "enabled": False}),
        event(ConnectorSettingsState, "show_snippet", {"form_id": form.id}),
        event(ConnectorSettingsState, "save", {"form": {"name": "Mía", "allowed_origins": "https://x.example"}}),
        event(LeadAdsSettingsState, "save", {"form": {"app_secret": "robado"}}),
    ], toasts=4)
    assert _toasts(frames).count(FORBIDDEN) == 4, "\n".join(f[:300] for f in frames)
    assert "wf_" not in "\n".join(frames)  # the snippet never reached him
    with db_session(app_server.db_url) as session:
        row = session.get(WebForm, form.id)
        assert row.disabled_at is None and row.name == "Contacto"
        assert session.exec(select(LeadAdsConnector)
                            .where(LeadAdsConnector.organization_id == admin.organization_id)).first() is None
