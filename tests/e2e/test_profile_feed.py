"""The customer profile and its feed end to end (issue #4): a discount change shows 5 → 10 with its
author, comments are added (Ctrl+Enter), edited (marked) and deleted, a task due tomorrow is listed in
"My tasks" and ticked done, the feed filters and loads more, and the profile reads well on a phone.

Every test makes its own Ecuadorian organization (America/Guayaquil) through the services.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.models import Task
from crm_app.models.types import utcnow
from crm_app.services import comments, tasks
from crm_app.services.customers import create_customer
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    make_org_with_admin,
    path_is,
    sign_in,
    wait_hydrated,
    wait_until,
)

pytestmark = pytest.mark.e2e

GUAYAQUIL = ZoneInfo("America/Guayaquil")


def make_customer(db_url: str, owner: Person, **extra) -> int:
    data = CustomerInput(client_type="person", first_name="Lucía", last_name="Mera", **extra)
    with db_session(db_url) as session:
        return create_customer(session=session, actor=owner.actor, data=data).id


def open_profile(page: Page, app_server: AppServer, customer_id: int, name: str = "Lucía Mera") -> None:
    page.goto(app_server.url(f"/customers/{customer_id}"))
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    wait_hydrated(page)
    expect(feed_rows(page).first).to_be_visible()


def feed_rows(page: Page) -> Locator:
    return page.get_by_role("list", name="Actividad").get_by_role("listitem")


def signed_in(app_server: AppServer, page: Page) -> tuple[Person, int]:
    admin = make_org_with_admin(app_server.db_url, name="Valeria Ortiz")
    customer_id = make_customer(app_server.db_url, admin, discount_percent=Decimal("5"))
    sign_in(page, app_server.base_url, admin.email, admin.password)
    return admin, customer_id


def test_a_discount_change_shows_before_and_after_with_its_author(app_server: AppServer, page: Page) -> None:
    _, customer_id = signed_in(app_server, page)
    open_profile(page, app_server, customer_id)
    expect(page.get_by_role("main").get_by_text("5%", exact=True)).to_be_visible()
    expect(feed_rows(page)).to_have_count(1)
    expect(feed_rows(page).first).to_contain_text("Valeria Ortiz creó el cliente (origen: Formulario)")

    page.get_by_role("button", name="Editar", exact=True).click()
    dialog = page.get_by_role("dialog", name="Editar cliente")
    dialog.get_by_label("Descuento personal (%)", exact=True).fill("10")
    dialog.get_by_role("button", name="Guardar").click()
    expect(dialog).to_be_hidden()

    # The save re-runs the page load: the header and the feed show the change at once, newest first.
    expect(page.get_by_role("main").get_by_text("10%", exact=True)).to_be_visible()
    expect(feed_rows(page)).to_have_count(2)
    newest = feed_rows(page).first
    expect(newest).to_contain_text("Valeria Ortiz modificó el cliente")
    change = newest.locator(".crm-change")
    expect(change).to_have_text("Descuento personal (%): 5 → 10")
    expect(change).to_have_class(re.compile(r"crm-change-highlight"))
    # Relative time, the exact local time on hover.
    time = newest.locator("time")
    expect(time).to_have_text(re.compile(r"^hace \d+ segundos?$|^hace 1 minuto$"))
    expect(time).to_have_attribute("title", re.compile(r"^\d{1,2} \w+ \d{4}, \d{1,2}:\d{2}$"))


def test_comment_added_with_ctrl_enter_edited_and_deleted(app_server: AppServer, page: Page) -> None:
    _, customer_id = signed_in(app_server, page)
    open_profile(page, app_server, customer_id)

    box = page.get_by_role("textbox", name="Comentario")
    box.fill("Prefiere que lo llamen por la tarde")
    box.press("Control+Enter")
    row = feed_rows(page).filter(has_text="Prefiere que lo llamen por la tarde")
    expect(row).to_contain_text("Valeria Ortiz comentó")
    expect(box).to_have_value("")
    expect(row).not_to_contain_text("(editado)")

    # An empty comment is refused next to the box; nothing is added.
    page.get_by_role("button", name="Publicar").click()
    expect(page.get_by_role("alert").filter(has_text="obligatorio")).to_be_visible()
    expect(feed_rows(page)).to_have_count(2)

    row.get_by_role("button", name="Editar comentario").click()
    editor = row.get_by_role("textbox", name="Editar comentario")
    expect(editor).to_have_value("Prefiere que lo llamen por la tarde")
    editor.fill("Prefiere que lo llamen por la mañana")
    row.get_by_role("button", name="Guardar").click()
    edited = feed_rows(page).filter(has_text="Prefiere que lo llamen por la mañana")
    expect(edited).to_contain_text("(editado)")
    expect(feed_rows(page)).to_have_count(2)

    edited.get_by_role("button", name="Eliminar comentario").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirmar").click()
    expect(feed_rows(page).filter(has_text="Prefiere que lo llamen")).to_have_count(0)
    expect(feed_rows(page)).to_have_count(1)


def test_task_due_tomorrow_is_in_my_tasks_and_ticked_done(app_server: AppServer, page: Page) -> None:
    admin, customer_id = signed_in(app_server, page)
    with db_session(app_server.db_url) as session:  # one overdue task, to see it stand out
        tasks.create_task(session=session, actor=admin.actor, customer_id=customer_id,
                          data=tasks.TaskInput("Cobrar factura", due_at=utcnow() - timedelta(days=1)))
    open_profile(page, app_server, customer_id)
    overdue = feed_rows(page).filter(has_text="Cobrar factura")
    expect(overdue.get_by_text("Vencida", exact=True)).to_be_visible()

    page.get_by_role("tab", name="Tarea").click()
    page.get_by_label("Título de la tarea").fill("Enviar cotización")
    tomorrow = (datetime.now(GUAYAQUIL) + timedelta(days=1)).date()
    page.get_by_label("Fecha límite").fill(tomorrow.isoformat())
    page.get_by_label("Hora", exact=True).fill("10:00")
    expect(page.get_by_label("Responsable")).to_have_value(str(admin.id))
    page.get_by_role("button", name="Crear tarea").click()

    row = feed_rows(page).filter(has_text="Enviar cotización")
    expect(row).to_contain_text("Valeria Ortiz creó una tarea")
    expect(row).to_contain_text("Vence dentro de")
    expect(row.get_by_text("Vencida", exact=True)).to_have_count(0)
    expect(row.locator("time").last).to_have_attribute("title", re.compile(rf"^{tomorrow.day} .*, 10:00$"))
    checkbox = row.get_by_role("checkbox", name="Enviar cotización")
    expect(checkbox).not_to_be_checked()

    # "My tasks" (from the menu) lists both open tasks, overdue first, with links to the customer.
    page.get_by_role("link", name="Mis tareas").click()
    expect(page.get_by_role("heading", name="Mis tareas", level=1)).to_be_visible()
    listed = page.get_by_role("list", name="Mis tareas").get_by_role("listitem")
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text("Cobrar factura")
    expect(listed.nth(1)).to_contain_text("Enviar cotización")
    listed.nth(1).get_by_role("link", name="Lucía Mera").click()
    expect(page).to_have_url(path_is(f"/customers/{customer_id}"))

    checkbox = feed_rows(page).filter(has_text="Enviar cotización").get_by_role("checkbox")
    checkbox.click()
    expect(checkbox).to_be_checked()

    wait_until(lambda: task_done(app_server, customer_id, "Enviar cotización"),
               message="the task marked done")
    page.get_by_role("link", name="Mis tareas").click()
    listed = page.get_by_role("list", name="Mis tareas").get_by_role("listitem")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("Cobrar factura")
    # Ticked from "My tasks" too.
    listed.first.get_by_role("checkbox", name="Cobrar factura").click()
    expect(listed.first.get_by_role("checkbox", name="Cobrar factura")).to_be_checked()
    wait_until(lambda: task_done(app_server, customer_id, "Cobrar factura"),
               message="the overdue task marked done")


def task_done(app_server: AppServer, customer_id: int, title: str) -> bool:
    """Other tests share the server's database (and may name a task alike): this customer's task only."""
    with db_session(app_server.db_url) as session:
        task = session.exec(select(Task).where(Task.customer_id == customer_id, Task.title == title)).one()
        return task.done_at is not None


def test_feed_filters_by_kind_and_loads_more(app_server: AppServer, page: Page) -> None:
    admin, customer_id = signed_in(app_server, page)
    with db_session(app_server.db_url) as session:
        for n in range(30):
            comments.add_comment(session=session, actor=admin.actor, customer_id=customer_id,
                                 body=f"Nota {n}")
    open_profile(page, app_server, customer_id)
    expect(feed_rows(page)).to_have_count(25)
    expect(feed_rows(page).first).to_contain_text("Nota 29")
    page.get_by_role("button", name="Cargar más").click()
    expect(feed_rows(page)).to_have_count(31)
    expect(feed_rows(page).last).to_contain_text("creó el cliente")
    expect(page.get_by_role("button", name="Cargar más")).to_have_count(0)

    page.get_by_label("Mostrar").select_option("changes")
    expect(feed_rows(page)).to_have_count(1)
    expect(feed_rows(page).first).to_contain_text("creó el cliente")
    page.get_by_label("Mostrar").select_option("")
    expect(feed_rows(page)).to_have_count(25)


LONG_EMAIL = "maria.fernanda.de.los.angeles.rodriguez.villavicencio@cooperativa-de-ahorro.example.com"


def _tab(page: Page, name: str) -> Locator:
    return page.get_by_role("tablist", name="Datos del cliente").get_by_role("tab", name=name, exact=True)


def _box(locator: Locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_profile_on_a_phone_has_tabs_and_an_action_bar(app_server: AppServer, phone_page: Page) -> None:
    """Issue 19: the sections are tabs (keyboard too, kept in the URL) and Call / WhatsApp / Comment /
    Task sit in a bar at the bottom, each at least 44 × 44 px, never covering the page."""
    page = phone_page
    admin = make_org_with_admin(app_server.db_url, name="Valeria Ortiz")
    customer_id = make_customer(
        app_server.db_url, admin,
        # The primary phone is a landline (no WhatsApp); the mobile has WhatsApp.
        phones=(PhoneInput("02-234-5678", primary=True), PhoneInput("0991234567", whatsapp=True)),
        emails=(EmailInput(LONG_EMAIL, primary=True),),
    )
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/customers/{customer_id}"))
    expect(page.get_by_role("heading", name="Lucía Mera", level=1)).to_be_visible()
    wait_hydrated(page)

    tabs = page.get_by_role("tablist", name="Datos del cliente").get_by_role("tab")
    expect(tabs).to_have_count(4)
    for i, name in enumerate(("Resumen", "Actividad", "Mensajes", "Archivos")):
        expect(tabs.nth(i)).to_have_accessible_name(name)
    expect(_tab(page, "Resumen")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("heading", name="Más datos")).to_be_visible()
    expect(page.get_by_role("list", name="Actividad")).to_have_count(0)  # one section at a time
    # The phone type nobody chose is the number's own; the long e-mail wraps instead of widening the page.
    contact = page.get_by_role("group", name="Contacto")
    expect(contact).to_contain_text(re.compile(r"\+593 2-234-5678\s*Casa"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Keyboard: the arrow keys move between the tabs (Radix), and the tab is kept in the URL.
    _tab(page, "Resumen").focus()
    page.keyboard.press("ArrowRight")
    expect(_tab(page, "Actividad")).to_have_attribute("aria-selected", "true")
    expect(feed_rows(page).first).to_contain_text("Valeria Ortiz creó el cliente")
    expect(page).to_have_url(re.compile(r"\?tab=activity$"))
    _tab(page, "Archivos").tap()
    expect(page.get_by_role("region", name="Archivos")).to_be_visible()
    expect(page.get_by_role("heading", name="Más datos")).to_have_count(0)
    page.reload()
    expect(_tab(page, "Archivos")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("region", name="Archivos")).to_be_visible()
    wait_hydrated(page)

    # The action bar: Call dials the primary phone, WhatsApp opens the phone that has it.
    bar = page.get_by_role("navigation", name="Acciones rápidas")
    call = bar.get_by_role("link", name="Llamar +593 2-234-5678")
    expect(call).to_have_attribute("href", "tel:+59322345678")
    whatsapp = bar.get_by_role("link", name="Abrir WhatsApp +593 99 123 4567")
    expect(whatsapp).to_have_attribute("href", "https://wa.me/593991234567")
    comment = bar.get_by_role("button", name="Comentar")
    task = bar.get_by_role("button", name="Nueva tarea")
    for action in (call, whatsapp, comment, task):
        box = _box(action)
        assert box["width"] >= 44 and box["height"] >= 44, box
    # Scrolled to the end, the last card ends above the bar.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    panel = page.get_by_role("tabpanel")
    expect(panel).to_have_count(1)
    assert _box(panel)["y"] + _box(panel)["height"] <= _box(bar)["y"] + 1

    # Task opens the activity tab with the task form, its title focused.
    task.tap()
    expect(_tab(page, "Actividad")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("Título de la tarea")).to_be_focused()
    # Comment opens the comment box, focused: typing and posting adds it to the feed.
    comment.tap()
    box = page.get_by_role("textbox", name="Comentario")
    expect(box).to_be_focused()
    page.keyboard.type("Desde el teléfono")
    page.get_by_role("button", name="Publicar").tap()
    expect(feed_rows(page).first).to_contain_text("Desde el teléfono")


def test_a_customer_without_whatsapp_has_no_whatsapp_action(app_server: AppServer, phone_page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    customer_id = make_customer(app_server.db_url, admin, phones=(PhoneInput("0991234567"),))
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    phone_page.goto(app_server.url(f"/customers/{customer_id}?tab=messages"))
    expect(_tab(phone_page, "Mensajes")).to_have_attribute("aria-selected", "true")
    bar = phone_page.get_by_role("navigation", name="Acciones rápidas")
    expect(bar.get_by_role("link", name="Llamar +593 99 123 4567")).to_be_visible()
    expect(bar.get_by_role("link", name=re.compile("WhatsApp"))).to_have_count(0)
    # Desktop keeps its two columns and has no bar.
    phone_page.set_viewport_size({"width": 1280, "height": 900})
    expect(phone_page.get_by_role("list", name="Actividad")).to_be_visible()
    expect(phone_page.get_by_role("heading", name="Más datos")).to_be_visible()
    expect(phone_page.get_by_role("navigation", name="Acciones rápidas")).to_have_count(0)
    expect(phone_page.get_by_role("tablist", name="Datos del cliente")).to_have_count(0)
