"""Admin configuration end to end (issue 6): the form editor drives the customer form, tags merge,
sales staff are kept out (page and forged websocket events), and the editor works on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func
from sqlmodel import select

from crm_app.domain import local_time
from crm_app.models import ActivityLog, Customer, CustomField, FormFieldSetting, Tag
from crm_app.services.customers import get_customer
from tests.e2e.conftest import AppServer, db_session, make_org_with_admin, make_user, sign_in, wait_hydrated
from tests.e2e.test_customers import make_customer, open_list, open_new_customer_dialog
from tests.e2e.test_forged_events import FORBIDDEN, _send_raw_events, _toasts

pytestmark = pytest.mark.e2e

EDITOR_STATE = ("reflex___state____state.crm_app___states___session____session_state"
                ".crm_app___states___form_editor____form_editor_state")
REQUIRED = "Este campo es obligatorio."


def open_editor(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url("/settings/form"))
    expect(page.get_by_role("heading", name="Formulario de clientes", level=1)).to_be_visible()
    wait_hydrated(page)


def add_branch_field(page: Page, *, required: bool = False) -> None:
    page.get_by_role("button", name="Nuevo campo").click()
    dialog = page.get_by_role("dialog", name="Nuevo campo")
    dialog.get_by_label("Tipo de campo").select_option("choice")
    dialog.get_by_label("Etiqueta en español").fill("Sucursal")
    dialog.get_by_label("Etiqueta en inglés").fill("Branch")
    if required:  # controlled by the server: checked once it answers
        box = dialog.get_by_label("Obligatorio", exact=True)
        box.click()
        expect(box).to_be_checked()
    dialog.get_by_label("Opción en español 1", exact=True).fill("Norte")
    dialog.get_by_label("Opción en español 2", exact=True).fill("Sur")
    dialog.get_by_role("button", name="Guardar").click()
    expect(dialog).to_be_hidden()


def test_required_birthday_and_branch_field_shape_the_person_form_only(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_editor(page, app_server)
    preview = page.get_by_role("group", name="Vista previa")

    # Controlled by the server: the box turns checked once the change is saved.
    required = page.get_by_label("Obligatorio Fecha de nacimiento", exact=True)
    required.click()
    expect(required).to_be_checked()
    expect(page.get_by_text("Formulario guardado.")).to_be_visible()
    add_branch_field(page)
    # The live preview follows: Branch appears, the birthday is marked required.
    expect(preview.get_by_label("Sucursal")).to_be_visible()
    expect(preview.get_by_label("Fecha de nacimiento")).to_have_attribute("aria-required", "true")
    expect(preview.get_by_label("Apellidos")).to_have_attribute("aria-required", "true")

    open_list(page, app_server)
    dialog = open_new_customer_dialog(page)
    branch = dialog.get_by_label("Sucursal")
    expect(branch).to_be_visible()
    expect(branch.locator("option")).to_have_text(["— Elegir —", "Norte", "Sur"])
    dialog.get_by_label("Nombres", exact=True).fill("Rosa")
    dialog.get_by_label("Apellidos", exact=True).fill("Vela")
    branch.select_option(label="Norte")
    dialog.get_by_role("button", name="Guardar").click()
    # Refused by the service (the browser does not block it): the message sits under the field.
    expect(dialog.locator("#customer-birthday-error")).to_have_text(REQUIRED)
    with db_session(app_server.db_url) as session:
        count = session.exec(select(func.count()).select_from(Customer)
                             .where(Customer.organization_id == admin.organization_id)).one()
    assert count == 0

    dialog.get_by_label("Fecha de nacimiento").fill("1990-04-12")
    dialog.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name="Rosa Vela", level=1)).to_be_visible()
    # The profile shows the choice, in the user's language.
    expect(page.get_by_text("Sucursal")).to_be_visible()
    expect(page.get_by_text("Norte", exact=True)).to_be_visible()

    # The company form is unaffected: no Branch, no birthday required.
    open_list(page, app_server)
    dialog = open_new_customer_dialog(page)
    company = dialog.get_by_label("Empresa (jurídico)")
    company.click()  # the server answers with the company form
    expect(company).to_be_checked()
    expect(dialog.get_by_label("Razón social", exact=True)).to_be_visible()
    expect(dialog.get_by_label("Sucursal")).to_have_count(0)
    dialog.get_by_label("Razón social", exact=True).fill("Ferretería Andes S.A.")
    dialog.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name="Ferretería Andes S.A.", level=1)).to_be_visible()

    # The list filters on the choice field, labelled with the field's own name (issue 19).
    open_list(page, app_server, "?option=")
    expect(page.get_by_label("Campo de opción")).to_have_count(0)
    page.get_by_role("button", name="Más filtros", exact=True).click()
    filters = page.get_by_role("dialog", name="Más filtros")
    branch_filter = filters.get_by_label("Sucursal", exact=True)
    expect(branch_filter.locator("option")).to_have_text(["Indistinto", "Norte", "Sur"])
    branch_filter.select_option(label="Norte")
    expect(page).to_have_url(re.compile(r"option=\d+%3A\d+|option=\d+:\d+"))
    filters.get_by_role("button", name="Ver clientes").click()
    expect(page.get_by_role("link", name="Rosa Vela", exact=True).first).to_be_visible()
    expect(page.get_by_role("link", name="Ferretería Andes S.A.", exact=True)).to_have_count(0)


def test_admin_merges_tags_into_one(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    # "vip" and "VIP" are one tag already (tags are matched case- and accent-insensitively), so the
    # near-duplicates people really create are merged: "vip" and "v.i.p.".
    ana = make_customer(app_server.db_url, admin, "Ana", "Paz", tags=("vip",))
    luis = make_customer(app_server.db_url, admin, "Luis", "Mora", tags=("v.i.p.",))
    both = make_customer(app_server.db_url, admin, "Eva", "Sol", tags=("vip", "v.i.p."))
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url("/settings"))
    expect(page.get_by_role("heading", name="Configuración", level=1)).to_be_visible()
    wait_hydrated(page)

    for name in ("vip", "v.i.p."):
        box = page.get_by_label(f"Seleccionar etiqueta {name}", exact=True)
        box.click()
        expect(box).to_be_checked()
    page.get_by_label("Unir las etiquetas seleccionadas en").fill("VIP")
    page.get_by_role("button", name="Unir", exact=True).click()
    expect(page.get_by_text("Etiquetas unidas en «VIP» (3 clientes).")).to_be_visible()
    with db_session(app_server.db_url) as session:
        names = session.exec(select(Tag.name).where(Tag.organization_id == admin.organization_id)).all()
        tags = [get_customer(session=session, actor=admin.actor, customer_id=i).tags
                for i in (ana, luis, both)]
    assert names == ["VIP"] and tags == [("VIP",), ("VIP",), ("VIP",)]
    # The change is in the admin activity log under a label in the user's language (not the raw event
    # name), one readable line per value: before → after; the admin's sign-in is there too.
    log = page.get_by_role("list", name="Registro de actividad")
    expect(log.get_by_text("Etiquetas unidas", exact=True)).to_be_visible()
    expect(log.get_by_text("Inicio de sesión", exact=True).first).to_be_visible()
    expect(log.get_by_text("settings.tags_merged")).to_have_count(0)
    expect(page.get_by_text("VIP: — → 3", exact=True)).to_be_visible()
    # Its time in the organization's zone (Ecuador), in the reader's format, as on the profile.
    with db_session(app_server.db_url) as session:
        merged_at = session.exec(select(ActivityLog.created_at).where(
            ActivityLog.organization_id == admin.organization_id,
            ActivityLog.kind == "settings.tags_merged")).one()
    merged = log.get_by_role("listitem").filter(has_text="Etiquetas unidas")
    expect(merged).to_contain_text(local_time.exact(merged_at, "America/Guayaquil", "es"))
    expect(log).not_to_contain_text("UTC")


def test_sales_user_cannot_open_the_editor_nor_call_its_handlers(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    sales = make_user(app_server.db_url, admin, "sales", change_password=True)
    with db_session(app_server.db_url) as session:
        field = CustomField(organization_id=admin.organization_id, client_type="person", kind="text",
                            label_es="Color favorito")
        session.add(field)
        session.flush()
        field_id = field.id
    sign_in(page, app_server.base_url, sales.email, sales.password)
    expect(page.get_by_role("link", name="Formulario de clientes")).to_have_count(0)
    expect(page.get_by_role("link", name="Configuración")).to_have_count(0)
    page.goto(app_server.url("/settings/form"))
    expect(page.get_by_role("heading", name="Acceso denegado")).to_be_visible()
    expect(page.get_by_text("Campos del sistema")).to_have_count(0)

    def event(handler: str, payload: dict) -> dict:
        return {"name": f"{EDITOR_STATE}.{handler}", "payload": payload,
                "router_data": {"pathname": "/settings/form", "asPath": "/settings/form"}}

    frames = _send_raw_events(page, app_server, [
        event("toggle", {"key": "birthday", "what": "required"}),
        event("set_field_active", {"field_id": field_id, "active": False}),
        event("confirm_purge", {}),
    ], toasts=3)
    assert _toasts(frames).count(FORBIDDEN) == 3, "\n".join(f[:300] for f in frames)
    with db_session(app_server.db_url) as session:
        assert session.exec(select(func.count()).select_from(FormFieldSetting)
                            .where(FormFieldSetting.organization_id == admin.organization_id)).one() == 0
        assert session.get(CustomField, field_id).is_active


def test_editor_on_a_phone(app_server: AppServer, phone_page: Page):
    admin = make_org_with_admin(app_server.db_url)
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    open_editor(phone_page, app_server)
    # The first field cannot move up nor the last one down.
    expect(phone_page.get_by_role("button", name="Subir Nombres", exact=True)).to_be_disabled()
    expect(phone_page.get_by_role("button", name="Bajar Nombres", exact=True)).to_be_enabled()
    expect(phone_page.get_by_role("button", name="Bajar Notas", exact=True)).to_be_disabled()
    shown = phone_page.get_by_label("Visible Código de fidelización", exact=True)
    shown.click()
    expect(shown).not_to_be_checked()
    expect(phone_page.get_by_text("Formulario guardado.")).to_be_visible()
    add_branch_field(phone_page)
    preview = phone_page.get_by_role("group", name="Vista previa")
    expect(preview.get_by_label("Sucursal")).to_be_visible()
    expect(preview.get_by_label("Código de fidelización")).to_have_count(0)
    overflow = phone_page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the editor is {overflow}px wider than the phone"


def test_settings_lists_show_the_built_in_phone_types_and_what_adding_one_does(app_server: AppServer,
                                                                                  page: Page):
    """Issue 19: the phone types list looked empty while the form offers Móvil/Trabajo/Casa/Otro."""
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url("/settings"))
    expect(page.get_by_role("heading", name="Configuración", level=1)).to_be_visible()
    wait_hydrated(page)

    phone_types = page.get_by_role("region", name="Tipos de teléfono")
    for name in ("Móvil", "Trabajo", "Casa", "Otro"):
        expect(phone_types.get_by_text(name, exact=True)).to_be_visible()
    expect(phone_types.get_by_text("Incluido", exact=True)).to_have_count(4)
    expect(phone_types.get_by_label("Renombrar Móvil")).to_have_count(0)  # built in: read-only
    expect(phone_types).to_contain_text("Los tipos que agregues se sugieren como etiqueta al elegir «Otro»")
    order_types = page.get_by_role("region", name="Tipos de pedido")
    expect(order_types).to_contain_text("No hay tipos incluidos")
    expect(order_types).to_contain_text("Todavía no hay ninguno.")

    # Adding one lists it, and the customer form suggests it as a phone's label.
    phone_types.get_by_label("Nuevo tipo de teléfono").fill("Recepción")
    phone_types.get_by_role("button", name="Agregar", exact=True).click()
    expect(phone_types.get_by_label("Renombrar Recepción")).to_be_visible()
    open_list(page, app_server)
    dialog = open_new_customer_dialog(page)
    label = dialog.get_by_label("Etiqueta del teléfono 1", exact=True)
    expect(label).to_have_attribute("list", "crm-phone-labels")
    expect(dialog.locator("#crm-phone-labels option")).to_have_attribute("value", "Recepción")
