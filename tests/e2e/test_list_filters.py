"""The lists behind the panel's figures, in Chromium against the production build: a customer list opened
with the panel's filters says in chips what it holds and shows just those customers; removing a chip
widens the list. An admin's view of a colleague's overdue tasks says whose they are."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from crm_app.models import Customer
from crm_app.services import tasks
from tests.e2e.conftest import AppServer, db_session, make_org_with_admin, make_user, sign_in, wait_hydrated
from tests.e2e.test_customers import list_rows, make_customer, open_list

pytestmark = pytest.mark.e2e

NOV_1_LATE = datetime(2026, 11, 2, 4, 30, tzinfo=UTC)  # 23:30 on November 1 in Guayaquil


def _arrived(db_url: str, customer_id: int, source: str, created_at: datetime) -> None:
    with db_session(db_url) as session:
        session.execute(update(Customer).where(Customer.id == customer_id)
                        .values(source=source, created_at=created_at))


def test_a_list_opened_from_the_panel_says_what_it_holds(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)  # Ecuador: America/Guayaquil
    arrivals = (("Ana", "import", NOV_1_LATE), ("Beto", "import", NOV_1_LATE + timedelta(days=9)),
                ("Carla", "import", datetime(2026, 10, 15, 15, tzinfo=UTC)), ("Dora", "form", NOV_1_LATE))
    for first, source, created in arrivals:
        _arrived(app_server.db_url, make_customer(app_server.db_url, admin, first, "Vera"), source, created)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_list(page, app_server, "?source=import&created_from=2026-11-01&created_to=2026-11-30")

    expect(page.get_by_text("Origen: Importación")).to_be_visible()
    created = "Creados del 1 nov 2026 al 30 nov 2026"
    expect(page.get_by_text(created)).to_be_visible()
    expect(list_rows(page)).to_have_count(2)
    expect(list_rows(page).nth(0)).to_contain_text("Ana Vera")
    expect(list_rows(page).nth(1)).to_contain_text("Beto Vera")

    page.get_by_role("button", name=f"Quitar el filtro: {created}").click()
    expect(page).to_have_url(re.compile(r"/customers\?source=import$"))
    expect(page.get_by_text(created)).to_have_count(0)
    expect(list_rows(page)).to_have_count(3)  # Carla, imported in October, too
    expect(list_rows(page).nth(2)).to_contain_text("Carla Vera")


def test_an_admin_sees_a_colleagues_overdue_tasks_under_his_name(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    sales = make_user(app_server.db_url, admin, "sales", name="Sofía Luna", change_password=True)
    customer = make_customer(app_server.db_url, admin, "Ana", "Vera")
    with db_session(app_server.db_url) as session:
        for title, hours in (("Llamar a Ana", -5), ("Enviar cotización", 30)):
            tasks.create_task(session=session, actor=admin.actor, customer_id=customer, data=tasks.TaskInput(
                title, due_at=datetime.now(UTC) + timedelta(hours=hours), assignee_id=sales.actor.user_id))
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/tasks?assignee={sales.actor.user_id}&status=overdue"))
    wait_hydrated(page)
    expect(page.get_by_role("heading", name="Tareas de Sofía Luna · Vencidas")).to_be_visible()
    expect(page.get_by_text("Llamar a Ana")).to_be_visible()
    expect(page.get_by_text("Enviar cotización")).to_have_count(0)
