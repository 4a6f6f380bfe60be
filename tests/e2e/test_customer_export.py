"""The customer export end to end (issue 12), in Chromium against the production build: filter the list,
export it as .xlsx from the page's menu, and read the file back with calamine: the same customers, in
the list's order, phones as text. A sales user gets the menu once an admin allows it in /settings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from tests.e2e.conftest import AppServer, make_org_with_admin, make_user, sign_in, wait_hydrated
from tests.e2e.test_customers import SEARCH, list_rows, make_customer, open_list

pytestmark = pytest.mark.e2e


def export_xlsx(page: Page) -> list[list]:
    page.get_by_role("button", name="Exportar").click()
    with page.expect_download() as download:
        page.get_by_role("menuitem", name="Excel (.xlsx)").click()
    assert download.value.failure() is None
    assert re.fullmatch(r"clientes-\d{4}-\d{2}-\d{2}\.xlsx", download.value.suggested_filename)
    return CalamineWorkbook.from_path(download.value.path()).get_sheet_by_index(0).to_python()


def test_export_the_filtered_list_and_read_it_back(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    make_customer(app_server.db_url, admin, "Ana", "Vera", phones=("0991234567",), tags=("VIP",))
    make_customer(app_server.db_url, admin, "Anabel", "Cruz", phones=("0987654321",), tags=("VIP",))
    make_customer(app_server.db_url, admin, "Ana", "Soto", tags=("Mayorista",))
    make_customer(app_server.db_url, admin, "Bruno", "Vera", tags=("VIP",))
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_list(page, app_server)

    page.get_by_label(SEARCH).fill("ana")
    expect(page).to_have_url(re.compile(r"\?q=ana$"))
    page.get_by_label("Filtrar por etiqueta", exact=True).select_option("VIP")
    expect(page).to_have_url(re.compile(r"\?q=ana&tags=VIP$"))
    expect(list_rows(page)).to_have_count(2)
    shown = [list_rows(page).nth(i).get_by_role("link").first.inner_text().strip() for i in range(2)]

    rows = export_xlsx(page)
    header, body = rows[0], rows[1:]
    first, last, phone = header.index("Nombres"), header.index("Apellidos"), header.index("Teléfono 1")
    assert [f"{r[first]} {r[last]}" for r in body] == shown == ["Ana Vera", "Anabel Cruz"]
    assert [r[phone] for r in body] == ["0991234567", "0987654321"]  # text cells: the zeros stay


def test_a_sales_user_exports_once_an_admin_allows_it(app_server: AppServer, page: Page, new_page):
    admin = make_org_with_admin(app_server.db_url)
    make_customer(app_server.db_url, admin, "Ana", "Vera")
    sales = make_user(app_server.db_url, admin, "sales", change_password=True)
    sign_in(page, app_server.base_url, sales.email, sales.password)
    open_list(page, app_server)
    expect(list_rows(page)).to_have_count(1)
    expect(page.get_by_role("button", name="Exportar")).to_have_count(0)

    admin_page = new_page()
    sign_in(admin_page, app_server.base_url, admin.email, admin.password)
    admin_page.goto(app_server.url("/settings"))
    wait_hydrated(admin_page)
    switch = admin_page.get_by_label("Los vendedores pueden importar y exportar clientes")
    expect(switch).not_to_be_checked()
    switch.click()
    expect(switch).to_be_checked()

    open_list(page, app_server)
    rows = export_xlsx(page)
    assert [r[1:3] for r in rows[1:]] == [["Ana", "Vera"]]
