"""The panel's CSV export through the real FastAPI app: refused without a session, only the reader's
organization in it, headed in the reader's language, downloaded (attachment, not cached)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from crm_app.models.types import utcnow
from tests.api.test_customer_export import signed_in_org
from tests.services.test_panel_factories import customer, tag

EXPORT = "/api/panel/export/{tile}.csv"


def rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def get(client, token: str, tile: str, **params):
    client.cookies.set("crm_session", token)
    return client.get(EXPORT.format(tile=tile), params=params)


@pytest.fixture
def two_orgs(session):
    """Org A with three new customers (two tagged VIP), org B with five tagged with its own secret tag."""
    admin, token = signed_in_org(session, "Ferretería A")
    other, other_token = signed_in_org(session, "Competencia B")
    yesterday = utcnow() - timedelta(days=1)
    vip = tag(session, admin, "VIP")
    for index in range(3):
        customer(session, admin, yesterday, name=f"Ana {index}", tags=[vip] if index < 2 else [])
    secret = tag(session, other, "SecretoDeB")
    for index in range(5):
        customer(session, other, yesterday, name=f"Beto {index}", tags=[secret])
    return token, other_token


def test_refused_without_a_session(api_client) -> None:
    response = api_client.get(EXPORT.format(tile="customers"))
    assert response.status_code == 401
    api_client.cookies.set("crm_session", "not-a-session")
    assert api_client.get(EXPORT.format(tile="today")).status_code == 401


def test_an_unknown_tile_is_not_found(api_client, two_orgs) -> None:
    token, _ = two_orgs
    assert get(api_client, token, "secrets").status_code == 404


def test_only_the_readers_organization_counts(api_client, two_orgs) -> None:
    token, other_token = two_orgs
    response = get(api_client, token, "customers")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment")
    assert "no-store" in response.headers["cache-control"]
    header, *body = rows(response.content)
    assert header == ["Sección", "Concepto", "Cantidad", "Periodo anterior"]
    assert sum(int(r[2]) for r in body if r[0] == "Clientes nuevos") == 3
    assert ["Etiqueta", "VIP", "2", ""] in body
    assert "SecretoDeB" not in response.text and "Beto" not in response.text
    theirs = rows(get(api_client, other_token, "customers").content)
    assert sum(int(r[2]) for r in theirs[1:] if r[0] == "Clientes nuevos") == 5
    assert "VIP" not in {r[1] for r in theirs}


def test_every_tile_downloads_for_a_range_in_the_address(api_client, two_orgs) -> None:
    token, _ = two_orgs
    today = utcnow().date()
    for tile in ("today", "customers", "contact", "workload", "pipeline"):
        response = get(api_client, token, tile, **{"from": (today - timedelta(days=6)).isoformat(),
                                                   "to": today.isoformat(), "by": "day"})
        assert response.status_code == 200, (tile, response.text)
        assert rows(response.content)[0], tile
    contact = rows(get(api_client, token, "contact").content)
    assert contact[0] == ["Concepto", "Cantidad", "Porcentaje"]
    assert contact[1][:2] == ["Clientes activos", "3"]


def test_the_header_is_in_the_readers_language(api_client, session) -> None:
    _, token = signed_in_org(session, "Hardware Ltd", language="en")
    response = get(api_client, token, "contact")
    assert response.status_code == 200
    assert rows(response.content)[0] == ["Item", "Count", "Share"]
    assert "dashboard-contactability.csv" in response.headers["content-disposition"]
