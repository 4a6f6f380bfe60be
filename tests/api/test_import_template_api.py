"""``GET /api/customers/import/template`` through the real FastAPI app, on SQLite and PostgreSQL: the .xlsx
of each client type in the user's language, and only for who may import in his organization."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook

from crm_app.models import User
from crm_app.services import auth
from crm_app.services.transfer_access import set_sales_transfer
from tests.db import run_like_app
from tests.factories import ADMIN_PASSWORD, make_org, make_user, unique_email

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
URL = "/api/customers/import/template"


def sign_in(client: TestClient, session, email: str, password: str) -> None:
    token = run_like_app(session, auth.sign_in, email=email, password=password, ip="127.0.0.1").token
    client.cookies.set("crm_session", token)


def headers_of(content: bytes) -> list[str]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()[0]


ORGANIZATIONS = ["Tipo de cliente", "Razón social", "Nombre comercial"]


@pytest.mark.parametrize(("client_type", "first_headers", "file_name"), [
    ("person", ["Tipo de cliente", "Nombres", "Apellidos"], "plantilla-clientes-persona.xlsx"),
    ("company", ORGANIZATIONS, "plantilla-clientes-empresa.xlsx"),
    ("government", ORGANIZATIONS, "plantilla-clientes-gobierno.xlsx"),
])
def test_an_admin_downloads_each_client_types_template(api_client, session, client_type, first_headers,
                                                       file_name):
    email = unique_email("admin")
    make_org(session, admin_email=email)
    sign_in(api_client, session, email, ADMIN_PASSWORD)
    answer = api_client.get(f"{URL}?client_type={client_type}")
    assert answer.status_code == 200 and answer.headers["content-type"] == XLSX
    assert f'attachment; filename="{file_name}"' in answer.headers["content-disposition"]
    assert answer.headers["cache-control"] == "private, no-store"
    assert headers_of(answer.content)[:3] == first_headers


def test_in_the_users_language(api_client, session):
    email = unique_email("admin")
    _, admin = make_org(session, admin_email=email)
    _, english, password = make_user(session, admin, role="admin", language="en")
    session.get(User, english.user_id).must_change_password = False  # as after his first sign-in
    session.commit()
    sign_in(api_client, session, english.email, password)
    answer = api_client.get(URL)  # a person's, when not said
    assert answer.status_code == 200
    assert 'filename="customers-template-person.xlsx"' in answer.headers["content-disposition"]
    assert headers_of(answer.content)[:3] == ["Client type", "First names", "Last names"]


def test_who_may_download_it(api_client, session):
    email = unique_email("admin")
    _, admin = make_org(session, admin_email=email)
    _, sales, password = make_user(session, admin)
    session.get(User, sales.user_id).must_change_password = False
    session.commit()
    assert api_client.get(URL).status_code == 401  # signed out
    sign_in(api_client, session, sales.email, password)
    assert api_client.get(URL).status_code == 403  # a sales user, while admins keep imports to themselves
    assert api_client.get(f"{URL}?client_type=alien").status_code == 400
    run_like_app(session, set_sales_transfer, actor=admin, allowed=True)
    answer = api_client.get(URL)
    assert answer.status_code == 200 and answer.content.startswith(b"PK")


def test_a_client_type_that_does_not_exist_is_a_bad_request(api_client, session):
    email = unique_email("admin")
    make_org(session, admin_email=email)
    sign_in(api_client, session, email, ADMIN_PASSWORD)
    for bad in ("alien", "", "PERSON", "person;drop"):
        assert api_client.get(URL, params={"client_type": bad}).status_code == 400
