"""The customer import end to end (issue 12), in Chromium against the production build: download the
template, upload a file with errors and see the report, fix it and upload it again, write it with the
progress bar (reloading the page in the middle), and revert it."""

from __future__ import annotations

import io
import re

import pytest
import xlsxwriter
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from tests.e2e.conftest import AppServer, make_org_with_admin, sign_in, wait_hydrated
from tests.e2e.test_customers import customer_count

pytestmark = pytest.mark.e2e
HEADER = ["Nombres", "Apellidos", "Teléfono 1", "Correo 1", "Etiquetas"]


def xlsx(rows: list[list[str]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([HEADER, *rows]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def upload(page: Page, app_server: AppServer, name: str, content: bytes) -> None:
    page.goto(app_server.url("/customers/import"))
    expect(page.get_by_role("heading", name="Importar clientes", level=1)).to_be_visible()
    wait_hydrated(page)
    page.locator("#customer-import input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "buffer": content})
    expect(page).to_have_url(re.compile(r"/customers/import/\d+$"), timeout=20_000)
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    wait_hydrated(page)


def test_template_upload_check_fix_write_reload_and_revert(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)

    # The template: the form's columns, phones as text, and a sheet that explains them.
    page.goto(app_server.url("/customers/import"))
    wait_hydrated(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Persona natural").click()
    book = CalamineWorkbook.from_path(download.value.path())
    headers = book.get_sheet_by_index(0).to_python()[0]
    assert headers[:3] == ["Tipo de cliente", "Nombres", "Apellidos"] and "Teléfono 1" in headers
    assert book.sheet_names[1] == "Instrucciones"

    # A file with a bad phone: the dry run says which row and column, and nothing is written.
    rows = [["Ana", "Pérez", "0991234567", "ana@example.com", "vip"],
            ["Luis", "Mora", "123", "luis@example.com", ""]]
    upload(page, app_server, "clientes.xlsx", xlsx(rows))
    phone_column = page.get_by_role("combobox", name="Campo para la columna Teléfono 1")
    expect(phone_column).to_have_value("phones.1.number")
    page.get_by_role("button", name="Revisar el archivo").click()
    problems = page.get_by_role("table", name="Problemas encontrados")
    expect(problems).to_contain_text("Número de teléfono no válido", timeout=20_000)
    expect(problems.get_by_role("row").nth(1)).to_contain_text("3")  # Luis is row 3 of the sheet
    expect(page.get_by_role("button", name="Importar", exact=True)).to_be_disabled()
    with page.expect_download() as report:
        page.get_by_role("link", name="Descargar el informe (.xlsx)").click()
    report_rows = CalamineWorkbook.from_path(report.value.path()).get_sheet_by_index(0).to_python()
    assert len(report_rows) == 2 and "Teléfono 1" in str(report_rows[1][0]) and report_rows[1][2] == "Luis"
    assert customer_count(app_server.db_url, admin.actor.organization_id) == 0

    # The fixed file, bigger: written with the progress bar, the page reloaded in the middle.
    many = [[f"Cliente{i}", "Lote", f"09{80000000 + i}", f"c{i}@example.com", "feria"] for i in range(4000)]
    upload(page, app_server, "clientes-corregido.xlsx", xlsx(many))
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.get_by_text("Se crearán")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Importar", exact=True).click()
    expect(page.get_by_role("progressbar", name="Progreso de la importación")).to_be_visible(timeout=20_000)
    page.reload()
    wait_hydrated(page)
    expect(page.get_by_text("4000 creados · 0 actualizados")).to_be_visible(timeout=120_000)
    assert customer_count(app_server.db_url, admin.actor.organization_id, include_deleted=False) == 4000

    # Revert: the customers it created go to the trash.
    page.get_by_role("button", name="Revertir la importación").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirmar").click()
    expect(page.get_by_text("Revertido").first).to_be_visible(timeout=120_000)
    assert customer_count(app_server.db_url, admin.actor.organization_id, include_deleted=False) == 0
