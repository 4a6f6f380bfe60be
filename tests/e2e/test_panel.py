"""The CRM panel (the home page) in Chromium against the production build, at desktop and phone sizes:
the tiles load with their charts and a table view of the same numbers, a figure links through to the
list behind it, the range in the address is applied (and kept on reload), the picker writes a new
address the back button returns from, and a wrong range is answered next to its field."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from crm_app.models.types import utcnow
from tests.e2e.conftest import AppServer, Person, db_session, make_org_with_admin, sign_in, wait_hydrated
from tests.e2e.test_accessibility import _assert_clean, _small_targets
from tests.services.test_panel_factories import customer, lead, task

pytestmark = pytest.mark.e2e


def _world(server: AppServer) -> Person:
    """An organization with four customers new in the last four days, an older one whose birthday is today,
    two open tasks (one overdue) and two leads."""
    admin = make_org_with_admin(server.db_url, name="Marta Panel")
    now = utcnow()
    with db_session(server.db_url) as session:
        for index in range(4):
            customer(session, admin.actor, now - timedelta(days=index + 1), name=f"Cliente {index}",
                     client_type="company" if index == 0 else "person")
        task(session, admin.actor, "Llamar a Cliente 0", now - timedelta(days=2))
        task(session, admin.actor, "Enviar catálogo", now + timedelta(days=3))
        today = (now - timedelta(hours=5)).date()  # Guayaquil's day
        customer(session, admin.actor, now - timedelta(days=90), name="Rosa Cumpleaños",
                 birthday=date(2000, today.month, today.day))  # a leap year: any day exists
        lead(session, admin.actor, "new", now - timedelta(days=1), owner=admin.id)
        lead(session, admin.actor, "won", now - timedelta(days=2), owner=admin.id)
    return admin


def _open_panel(page: Page, server: AppServer, admin: Person, query: str = "") -> None:
    sign_in(page, server.base_url, admin.email, admin.password)
    if query:
        page.goto(server.url("/" + query))
    wait_hydrated(page)
    expect(page.get_by_role("heading", name=f"Hola, {admin.name}", level=1)).to_be_visible()


def _table_view(page: Page, caption: str):
    """Open the "Ver tabla" disclosure of the chart named ``caption``; its table."""
    details = page.locator("details").filter(has=page.locator("caption", has_text=caption))
    details.locator("summary").click()
    table = page.get_by_role("table", name=caption)
    expect(table).to_be_visible()
    return table


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_panel_shows_charts_with_their_tables_and_links_to_the_lists(app_server: AppServer, page: Page,
                                                                        phone_page: Page, size: str):
    tab = page if size == "desktop" else phone_page
    admin = _world(app_server)
    _open_panel(tab, app_server, admin)

    expect(tab.get_by_role("heading", name="Clientes nuevos", level=2)).to_be_visible()
    chart = tab.get_by_role("img", name="Clientes nuevos por periodo")
    expect(chart).to_be_visible()
    expect(chart.locator(".recharts-line")).to_have_count(2)  # this period and the previous one
    table = _table_view(tab, "Clientes nuevos por periodo")
    counts = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert sum(int(c) for c in counts) == 4
    expect(tab.get_by_role("img", name="Por tipo de cliente")).to_be_visible()
    expect(tab.get_by_role("img", name="Clientes activos por forma de contacto")).to_be_visible()
    expect(tab.get_by_role("heading", name="Embudo de leads", level=2)).to_be_visible()
    expect(tab.get_by_role("heading", name="Tareas vencidas", level=3)).to_be_visible()
    expect(tab.get_by_role("link", name="Llamar a Cliente 0")).to_be_visible()
    greet = tab.get_by_role("link", name="Enviar felicitación a Rosa Cumpleaños")
    expect(greet).to_have_attribute("href", re.compile(r"^/customers/\d+\?tab=messages$"))
    expect(tab.get_by_role("link", name=re.compile("^Exportar CSV: Clientes nuevos"))).to_have_attribute(
        "href", re.compile(r"^/api/panel/export/customers\.csv\?from=\d{4}-\d\d-\d\d&to="))
    _assert_clean(tab, f"the panel with its figures and a table open at {size}")  # axe-core
    if size == "phone":  # nothing wider than the phone: the workload table scrolls in its own box
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        assert not _small_targets(tab), _small_targets(tab)

    # The workload's open tasks of the admin: two, and the link lands on that list.
    row = tab.get_by_role("row", name=re.compile("Marta Panel"))
    row.get_by_role("link", name="2", exact=True).first.click()
    expect(tab).to_have_url(re.compile(rf"/tasks\?assignee={admin.id}&status=open$"))
    tab.go_back()
    expect(tab.get_by_role("heading", name="Carga de trabajo del equipo", level=2)).to_be_visible()

    # The customers' total lands on the list of the customers created in the range, newest first.
    tab.get_by_role("link", name="Ver la lista: 4 Clientes nuevos").click()
    expect(tab).to_have_url(
        re.compile(r"/customers\?created_from=\d{4}-\d\d-\d\d&created_to=\d{4}-\d\d-\d\d&sort=-created$"))
    expect(tab.get_by_text("Cliente 3").first).to_be_visible()


def test_the_range_is_read_from_the_address_and_written_back_by_the_picker(app_server: AppServer,
                                                                          phone_page: Page):
    admin = _world(app_server)
    tab = phone_page
    _open_panel(tab, app_server, admin, "?from=2026-11-01&to=2026-11-30&by=week")
    expect(tab.get_by_text("Del 1 nov 2026 al 30 nov 2026")).to_be_visible()
    expect(tab.get_by_label("Desde")).to_have_value("2026-11-01")
    expect(tab.get_by_label("Agrupar por")).to_have_value("week")
    tab.reload()
    wait_hydrated(tab)
    expect(tab.get_by_text("Del 1 nov 2026 al 30 nov 2026")).to_be_visible()
    expect(tab.get_by_label("Hasta")).to_have_value("2026-11-30")

    tab.get_by_label("Desde").fill("2026-11-20")
    tab.get_by_label("Hasta").fill("2026-11-10")
    tab.get_by_role("button", name="Aplicar").click()
    expect(tab.get_by_text("La fecha «desde» debe ser anterior o igual a «hasta».")).to_be_visible()
    expect(tab).to_have_url(re.compile(r"from=2026-11-01&to=2026-11-30&by=week$"))

    tab.get_by_label("Hasta").fill("2026-11-25")
    tab.get_by_label("Agrupar por").select_option("day")
    tab.get_by_role("button", name="Aplicar").click()
    expect(tab).to_have_url(re.compile(r"/\?from=2026-11-20&to=2026-11-25&by=day$"))
    expect(tab.get_by_text("Del 20 nov 2026 al 25 nov 2026")).to_be_visible()
    tab.go_back()
    expect(tab.get_by_text("Del 1 nov 2026 al 30 nov 2026")).to_be_visible()

    tab.get_by_role("link", name="7 días").click()
    expect(tab).to_have_url(re.compile(r"/\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&by=day$"))
