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

from crm_app.domain.customers import CustomerInput
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
    expect(page.get_by_role("main").get_by_text("5 %", exact=True)).to_be_visible()
    expect(feed_rows(page)).to_have_count(1)
    expect(feed_rows(page).first).to_contain_text("Valeria Ortiz creó el cliente (origen: Formulario)")

    page.get_by_role("button", name="Editar", exact=True).click()
    dialog = page.get_by_role("dialog", name="Editar cliente")
    dialog.get_by_label("Descuento personal (%)", exact=True).fill("10")
    dialog.get_by_role("button", name="Guardar").click()
    expect(dialog).to_be_hidden()

    # The save re-runs the page load: the header and the feed show the change at once, newest first.
    expect(page.get_by_role("main").get_by_text("10 %", exact=True)).to_be_visible()
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

    wait_until(lambda: task_done(app_server, "Enviar cotización"), message="the task marked done")
    page.get_by_role("link", name="Mis tareas").click()
    listed = page.get_by_role("list", name="Mis tareas").get_by_role("listitem")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("Cobrar factura")
    # Ticked from "My tasks" too.
    listed.first.get_by_role("checkbox", name="Cobrar factura").click()
    expect(listed.first.get_by_role("checkbox", name="Cobrar factura")).to_be_checked()
    wait_until(lambda: task_done(app_server, "Cobrar factura"), message="the overdue task marked done")


def task_done(app_server: AppServer, title: str) -> bool:
    with db_session(app_server.db_url) as session:
        return session.exec(select(Task).where(Task.title == title)).one().done_at is not None


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


def test_profile_on_a_phone_shows_the_feed_after_the_data(app_server: AppServer, phone_page: Page) -> None:
    _, customer_id = signed_in(app_server, phone_page)
    open_profile(phone_page, app_server, customer_id)
    details = phone_page.get_by_role("heading", name="Más datos").bounding_box()
    feed = phone_page.get_by_role("heading", name="Actividad").bounding_box()
    header = phone_page.get_by_role("heading", name="Lucía Mera", level=1).bounding_box()
    assert header["y"] < details["y"] < feed["y"]
    # One column: nothing wider than the screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    box = phone_page.get_by_role("textbox", name="Comentario")
    box.fill("Desde el teléfono")
    phone_page.get_by_role("button", name="Publicar").click()
    expect(feed_rows(phone_page).first).to_contain_text("Desde el teléfono")
