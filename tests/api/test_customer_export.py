"""The customer export through the real FastAPI app: the list's selection, every page of it, as .xlsx and
CSV; text cells for IDs and phones; the formula guard; who may export; the activity log."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook
from sqlmodel import select

from crm_app.domain.customer_list_params import read_filters
from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.form_edits import CustomFieldInput
from crm_app.domain.import_headers import match_headers
from crm_app.domain.tax_ids import sample_tax_id
from crm_app.models import ActivityLog, Customer, Organization, User
from crm_app.services import auth, customers, form_config
from crm_app.services.customer_export import start_export
from crm_app.services.import_template import header_names_for
from crm_app.services.transfer_access import set_sales_transfer
from tests.db import run_like_app
from tests.factories import ADMIN_PASSWORD, make_org, make_user, unique_email

EXPORT = "/api/customers/export"


@pytest.fixture
def client(api_client) -> TestClient:
    return api_client


def signed_in_org(session, name: str, language: str = "es"):
    email = unique_email("admin")
    _, admin = make_org(session, name, admin_email=email, language=language)
    admin = dataclasses.replace(admin, language=language)
    token = run_like_app(session, auth.sign_in, email=email, password=ADMIN_PASSWORD, ip="127.0.0.1").token
    return admin, token


def sales_token(session, admin) -> str:
    user, _, password = make_user(session, admin, "sales")
    row = session.get(User, user.id)
    row.must_change_password = False
    session.add(row)
    session.commit()
    return run_like_app(session, auth.sign_in, email=user.email, password=password, ip="127.0.0.1").token


def add(session, actor, first: str, last: str = "", **fields):
    data = CustomerInput(client_type="person", first_name=first, last_name=last, **fields)
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def xlsx_rows(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the accents right
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def export(client, token, file_format: str, **params) -> tuple[list[str], list[dict]]:
    """(header, rows as {header: cell}) of an export; asserts it went through."""
    client.cookies.set("crm_session", token)
    response = client.get(EXPORT, params={"format": file_format, **params})
    assert response.status_code == 200, response.text
    rows = xlsx_rows(response.content) if file_format == "xlsx" else csv_rows(response.content)
    header = [str(h) for h in rows[0]]
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def listed(session, actor, **params) -> list[int]:
    """The ids the list shows for the address ``params``, every page of it."""
    ids, cursor = [], ""
    while True:
        query = read_filters(params).query(after=cursor, limit=37)
        page = customers.list_customers(session=session, actor=actor, query=query)
        ids += [r.id for r in page.rows]
        if not page.next_cursor:
            return ids
        cursor = page.next_cursor


def names_of(session, actor, ids) -> list[str]:
    return [customers.get_customer(session=session, actor=actor, customer_id=i).first_name for i in ids]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_filtered_selection_and_nothing_else(client, session, file_format):
    admin, token = signed_in_org(session, "Andina")
    add(session, admin, "Ana", "Vera", tags=("vip",))
    gone = add(session, admin, "Ana", "Ruiz", tags=("vip",))
    add(session, admin, "Ana", "Soto")
    add(session, admin, "Bruno", "Vera", tags=("vip",))
    add(session, admin, "Anabel", "Paz", tags=("vip", "norte"))
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=gone.id)

    for params, expected in (
        ({"q": "ana", "tags": "vip"}, [("Ana", "Vera"), ("Anabel", "Paz")]),
        ({"q": "ana", "tags": "vip", "trash": "1"}, [("Ana", "Ruiz")]),
        ({"tags": "vip,norte", "sort": "-name"}, [("Anabel", "Paz")]),
        ({"sort": "-name"}, [("Bruno", "Vera"), ("Anabel", "Paz"), ("Ana", "Vera"), ("Ana", "Soto")]),
    ):
        _, rows = export(client, token, file_format, **params)
        got = [(r["Nombres"], r["Apellidos"]) for r in rows]
        assert sorted(got) == sorted(expected), params
        assert [r["Nombres"] for r in rows] == names_of(session, admin, listed(session, admin, **params))


def test_every_field_with_ids_and_phones_as_text(client, session):
    admin, token = signed_in_org(session, "Andina")
    field = run_like_app(session, form_config.create_custom_field, actor=admin, client_type="person",
                         data=CustomFieldInput(kind="choice", label_es="Sucursal",
                                                         options=((None, "Norte", ""), (None, "Sur", ""))))
    north = next(o.id for o in field.options if o.label_es == "Norte")
    cedula = next(c for c in (sample_tax_id("EC", "person", random.Random(i)) for i in range(500))
                  if c.startswith("0"))
    add(session, admin, "José", "Núñez", tax_id=cedula, loyalty_id="000123", postal_code="010101",
        credit_limit=Decimal("1500.50"), discount_percent=Decimal("5"), latitude=Decimal("-0.1807"),
        longitude=Decimal("-78.4678"), tags=("vip", "Norte"), is_supplier=True,
        phones=(PhoneInput(number="0991234567", kind="mobile", whatsapp=True),
                PhoneInput(number="022345678", kind="home"), PhoneInput(number="+51 987 654 321")),
        emails=(EmailInput(address="jose@example.com", accepts_email=True),),
        custom={field.id: [north]})

    header, rows = export(client, token, "xlsx")
    (row,) = rows
    assert header[:3] == ["Tipo de cliente", "Nombres", "Apellidos"]
    for name in ("Teléfono 1", "Tipo de teléfono 1", "WhatsApp 1", "Viber 1", "SMS 1", "Teléfono 3",
                 "Correo 1", "Acepta correos 1", "Etiquetas", "Sucursal", "Cuentas", "Creado el"):
        assert name in header
    assert "Teléfono 4" not in header and "Correo 2" not in header  # as many as the most needs
    assert row["Teléfono 1"] == "0991234567"  # a text cell: the zero stays
    assert row["Teléfono 2"] == "022345678"
    assert row["Teléfono 3"] == "+51987654321"
    assert row["Número de identificación"] == cedula and row["Número de identificación"].startswith("0")
    assert row["Código de fidelización"] == "000123" and row["Código postal"] == "010101"
    assert row["Límite de crédito"] == 1500.5 and row["Latitud"] == pytest.approx(-0.1807)
    assert (row["Tipo de teléfono 1"], row["WhatsApp 1"], row["Viber 1"]) == ("Móvil", "Sí", "No")
    assert row["Tipo de cliente"] == "Persona natural"
    assert (row["Es proveedor"], row["Cliente conflictivo"]) == ("Sí", "No")
    assert row["Sucursal"] == "Norte" and row["Etiquetas"] == "Norte, vip"
    assert row["Correo 1"] == "jose@example.com" and row["Acepta correos 1"] == "Sí"
    assert row["Origen"] == "Formulario" and isinstance(row["Creado el"], datetime)

    _, (as_csv,) = export(client, token, "csv")
    assert as_csv["Teléfono 1"] == "0991234567" and as_csv["Número de identificación"] == cedula
    assert as_csv["Límite de crédito"] == "1500.50"

    # The import reads the headers back as the same columns.
    org = session.get(Organization, admin.organization_id)
    matched = match_headers(header, header_names_for(session, org))
    keys = {header[i]: key for i, key in matched.items()}
    assert keys["Teléfono 2"] == "phones.2.number" and keys["Tipo de teléfono 1"] == "phones.1.kind"
    assert keys["Correo 1"] == "emails.1.address" and keys["Acepta correos 1"] == "emails.1.accepts_email"
    assert keys["Número de identificación"] == "tax_id" and keys["Sucursal"] == f"custom.{field.id}"
    assert "Cuentas" not in keys


def test_headers_in_the_users_language(client, session):
    admin, token = signed_in_org(session, "Andes", language="en")
    add(session, admin, "Ann", "Lee", is_conflictive=True, phones=(PhoneInput(number="0991234567"),))
    header, (row,) = export(client, token, "csv")
    assert {"First names", "Phone 1", "Phone type 1", "E-mail 1", "Accepts e-mails 1"} <= set(header)
    assert (row["Conflictive customer"], row["Is a supplier"], row["Phone 1"]) == ("Yes", "No", "0991234567")


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_formula_is_exported_as_text(client, session, file_format):
    admin, token = signed_in_org(session, "Andina")
    add(session, admin, '=HYPERLINK("http://evil.example","clic")', "-2+3", notes="@SUM(A1)")
    _, (row,) = export(client, token, file_format)
    assert row["Nombres"] == '\'=HYPERLINK("http://evil.example","clic")'
    assert (row["Apellidos"], row["Notas"]) == ("'-2+3", "'@SUM(A1)")


def test_a_sales_user_exports_only_once_an_admin_allows_it(client, session):
    admin, _ = signed_in_org(session, "Andina")
    add(session, admin, "Ana", "Vera")
    client.cookies.set("crm_session", sales_token(session, admin))
    assert client.get(EXPORT, params={"format": "csv"}).status_code == 403
    run_like_app(session, set_sales_transfer, actor=admin, allowed=True)
    response = client.get(EXPORT, params={"format": "csv"})
    assert response.status_code == 200 and "Ana" in response.content.decode("utf-8-sig")
    run_like_app(session, set_sales_transfer, actor=admin, allowed=False)
    assert client.get(EXPORT, params={"format": "xlsx"}).status_code == 403


def test_another_organizations_customers_never_appear(client, session):
    admin_a, _ = signed_in_org(session, "Andina")
    theirs = add(session, admin_a, "Secreta", "Andina", tags=("vip",))
    admin_b, token_b = signed_in_org(session, "Bahia")
    add(session, admin_b, "Propia", "Bahia", tags=("vip",))
    for params in ({}, {"tags": "vip"}, {"q": "secreta"}, {"trash": "1"}):
        _, rows = export(client, token_b, "csv", **params)
        assert "Secreta" not in {r["Nombres"] for r in rows}
    _, rows = export(client, token_b, "xlsx", account=str(theirs.id))
    assert rows == []


def test_the_purchase_sort_and_filters_reach_the_export(client, session):
    admin, token = signed_in_org(session, "Andina")
    spent = {"Ana": "250.00", "Bruno": "35.00", "Carla": "150.50", "Dora": "0"}
    for first, amount in spent.items():
        found = add(session, admin, first, "Vera")
        row = session.get(Customer, found.id)
        row.amount_spent = Decimal(amount)
        row.last_purchase_at = datetime(2026, 3, 1, 15, tzinfo=UTC) if amount != "0" else None
        session.add(row)
    session.commit()
    for params, expected in (({"sort": "-spent"}, ["Ana", "Carla", "Bruno", "Dora"]),
                             ({"sort": "-spent", "min_spent": "150.5"}, ["Ana", "Carla"]),
                             ({"bought_since": "2026-03-01"}, ["Ana", "Bruno", "Carla"]),
                             ({"lapsed_since": "2026-03-01"}, [])):
        _, rows = export(client, token, "csv", **params)
        assert [r["Nombres"] for r in rows] == expected, params
    for bad in ({"min_spent": "1.500,50"}, {"bought_since": "2026-02-30"}, {"sort": "spent"}):
        assert client.get(EXPORT, params={"format": "csv", **bad}).status_code == 400, bad


def test_signed_out_is_401_and_bad_parameters_are_400(client, session):
    _, token = signed_in_org(session, "Andina")
    assert client.get(EXPORT, params={"format": "csv"}).status_code == 401
    client.cookies.set("crm_session", token)
    for params, named in (({"format": "pdf"}, "format"), ({"type": "alien"}, "type"),
                          ({"sort": "price", "channel": "x"}, "sort"), ({"option": "1:2,1:3"}, "option"),
                          ({"channel": "99999999999999"}, "channel")):
        response = client.get(EXPORT, params=params)
        assert response.status_code == 400, params
        assert named in response.json()["detail"]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_export_is_in_the_activity_log(client, session, file_format):
    admin, token = signed_in_org(session, "Andina")
    add(session, admin, "Ana", "Vera", tags=("vip",))
    add(session, admin, "Ana María", "Paz", tags=("vip",))
    add(session, admin, "Bruno", "Ruiz")
    client.cookies.set("crm_session", token)
    response = client.get(EXPORT, params={"format": file_format, "q": "ana", "tags": "vip", "after": "x"})
    assert response.status_code == 200
    session.expire_all()
    log = session.exec(select(ActivityLog).where(ActivityLog.organization_id == admin.organization_id,
                                                 ActivityLog.kind == "customers.export")).one()
    assert log.actor_id == admin.user_id and log.created_at is not None
    assert json.loads(log.detail) == {"format": file_format, "rows": 2, "filter": {"q": "ana", "tags": "vip"},
                                      "complete": True}


def test_a_download_stopped_halfway_is_logged_as_such(session):
    admin, _ = signed_in_org(session, "Andina")
    for i in range(3):
        add(session, admin, f"Cliente {i}", "Vera")
    export = start_export(session=session, actor=admin, filters=read_filters({"q": "vera"}),
                          file_format="csv")
    session.commit()
    next(export.rows)
    export.rows.close()  # the browser went away
    detail = session.exec(select(ActivityLog.detail).where(ActivityLog.kind == "customers.export")).one()
    assert json.loads(detail) == {"format": "csv", "rows": 1, "filter": {"q": "vera"}, "complete": False}


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_headers_of_the_download(client, session, file_format):
    _, token = signed_in_org(session, "Andina")
    client.cookies.set("crm_session", token)
    before = set(Path(tempfile.gettempdir()).glob("clientela-export-*"))
    response = client.get(EXPORT, params={"format": file_format})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="clientes-20')
    assert disposition.endswith(f".{file_format}")
    assert set(Path(tempfile.gettempdir()).glob("clientela-export-*")) <= before  # the file is gone


def test_more_than_a_page_comes_out_whole_and_in_the_lists_order(client, session):
    admin, token = signed_in_org(session, "Andina")
    rng = random.Random(5)
    for i in range(250):
        add(session, admin, f"Cliente {rng.randrange(1000):03d}", f"N{i:03d}",
            tags=("vip",) if i % 2 else (), phones=(PhoneInput(number=f"099{i:07d}"),))
    for params in ({}, {"sort": "-created"}, {"tags": "vip", "sort": "-name"}):
        _, rows = export(client, token, "csv", **params)
        expected = listed(session, admin, **params)
        assert len(rows) == len(expected) == (125 if "tags" in params else 250)
        surnames = [customers.get_customer(session=session, actor=admin, customer_id=i).last_name
                    for i in expected]
        assert [r["Apellidos"] for r in rows] == surnames
    _, rows = export(client, token, "xlsx")
    assert len(rows) == 250 and len({r["Teléfono 1"] for r in rows}) == 250
