"""The import's downloads through the real FastAPI app: the template (per client type, in the user's
language, IDs and phones as text) and a dry run's report, only for who may import in that organization."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook

from crm_app.jobs import runner
from crm_app.models import User
from crm_app.services import auth, customer_import
from crm_app.services.transfer_access import set_sales_transfer
from tests.db import run_like_app
from tests.factories import ADMIN_PASSWORD, make_org, make_user, unique_email
from tests.services.test_customer_import import choose, upload, write_csv

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def client(api_client, session) -> TestClient:
    return api_client


def signed_in(session, email: str, password: str) -> str:
    return run_like_app(session, auth.sign_in, email=email, password=password, ip="127.0.0.1").token


def test_the_template_of_each_client_type(client, session):
    email = unique_email("admin")
    make_org(session, admin_email=email)
    client.cookies.set("crm_session", signed_in(session, email, ADMIN_PASSWORD))
    answer = client.get("/api/customers/import/template?client_type=company")
    assert answer.status_code == 200 and answer.headers["content-type"] == XLSX
    assert "plantilla-clientes-empresa.xlsx" in answer.headers["content-disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(answer.content))
    headers = book.get_sheet_by_index(0).to_python()[0]
    assert headers[:4] == ["Tipo de cliente", "Razón social", "Nombre comercial", "Persona de contacto"]
    assert {"Teléfono 1", "WhatsApp 1", "Correo 1", "Acepta correos 1", "Etiquetas"} <= set(headers)
    guide = book.get_sheet_by_index(1).to_python()
    assert guide[0] == ["Columna", "Obligatoria", "Formato", "Valores permitidos", "Ejemplo"]
    legal = next(row for row in guide if row[0] == "Razón social")
    assert legal[1] == "Sí"
    ruc = next(row for row in guide if row[0] == "Número de identificación")
    assert ruc[2].startswith("Texto") and ruc[4].isdigit() and len(ruc[4]) == 13  # an Ecuadorian RUC
    assert client.get("/api/customers/import/template?client_type=alien").status_code == 400


def test_who_may_download(client, session):
    email = unique_email("admin")
    _, admin = make_org(session, admin_email=email)
    _, sales, password = make_user(session, admin)
    user = session.get(User, sales.user_id)
    user.must_change_password = False  # as after his first sign-in
    session.commit()
    assert client.get("/api/customers/import/template").status_code == 401
    client.cookies.set("crm_session", signed_in(session, sales.email, password))
    assert client.get("/api/customers/import/template").status_code == 403
    run_like_app(session, set_sales_transfer, actor=admin, allowed=True)
    assert client.get("/api/customers/import/template").status_code == 200


def test_the_report_of_a_dry_run_only_for_its_organization(client, session, db_url, tmp_path):
    email = unique_email("admin")
    _, admin = make_org(session, admin_email=email)
    rows = [["Ana", "Pérez", "", "0991234567", "", "", "", ""], ["", "SinNombre", "", "12", "", "", "", ""]]
    imported = upload(session, admin, write_csv(tmp_path / "r.csv", rows))
    client.cookies.set("crm_session", signed_in(session, email, ADMIN_PASSWORD))
    assert client.get(f"/api/customers/import/{imported.id}/report").status_code == 404  # not checked yet
    choose(session, admin, imported)
    run_like_app(session, customer_import.start_check, actor=admin, import_id=imported.id)
    while runner.run_once(database_url=db_url):
        pass
    answer = client.get(f"/api/customers/import/{imported.id}/report")
    assert answer.status_code == 200 and answer.headers["cache-control"] == "private, no-store"
    report = CalamineWorkbook.from_filelike(io.BytesIO(answer.content)).get_sheet_by_index(0).to_python()
    assert report[0][:3] == ["Errores", "Fila original", "Nombres"]
    assert len(report) == 2 and report[1][1] == 3
    assert "Nombres" in report[1][0] and "Teléfono 1" in report[1][0]
    other_email = unique_email("otro")
    make_org(session, "Otra", admin_email=other_email)
    client.cookies.set("crm_session", signed_in(session, other_email, ADMIN_PASSWORD))
    assert client.get(f"/api/customers/import/{imported.id}/report").status_code == 404
