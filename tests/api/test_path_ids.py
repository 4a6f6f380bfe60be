"""Every id in an API route's path is a positive integer that fits the id columns (PostgreSQL INTEGER):
anything else is 422, never a 500 (the issue's /api/files/9223372036854775808)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from crm_app import api
from crm_app.domain.ids import MAX_ROW_ID, is_row_id
from tests.api.test_files_api import client, signed_in_org  # noqa: F401  (client is a fixture)

# (method, path, parameter schemas) of every route with an id in its path, from the app's OpenAPI view.
ID_ROUTES = [
    (method.upper(), path,
     {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "path"})
    for path, operations in api.build().openapi()["paths"].items() if re.search(r"\{\w*id\}", path)
    for method, operation in operations.items()
]


@pytest.fixture
def signed_in(client, session) -> TestClient:  # noqa: F811 pytest passes the imported fixture
    _, token = signed_in_org(session, "A")
    client.cookies.set("crm_session", token)
    return client


def _path(path: str, value: object) -> str:
    return re.sub(r"\{\w+\}", str(value), path)


def _name(route) -> str:
    return f"{route[0]} {route[1]}"


def test_there_are_routes_with_ids():
    assert {"/api/files/{file_id}", "/api/files/{file_id}/thumbnail"} <= {path for _, path, _ in ID_ROUTES}


@pytest.mark.parametrize("route", ID_ROUTES, ids=_name)
def test_every_id_in_a_path_is_declared_a_bounded_positive_integer(route):
    """A new route with a plain ``int`` id fails here: use crm_app.api.params.RowId."""
    for name, schema in route[2].items():
        if name.endswith("id"):
            assert (schema.get("type"), schema.get("minimum"), schema.get("maximum")) == (
                "integer", 1, MAX_ROW_ID), name


@pytest.mark.parametrize("route", ID_ROUTES, ids=_name)
@pytest.mark.parametrize("value", [2**63, MAX_ROW_ID + 1, 10**30, 0, -1, "1.5", "abc"])
def test_an_id_out_of_range_is_422(signed_in, route, value):
    method, path, _ = route
    assert signed_in.request(method, _path(path, value)).status_code == 422


@pytest.mark.parametrize("route", ID_ROUTES, ids=_name)
def test_the_largest_id_is_a_plain_not_found(signed_in, route):
    method, path, _ = route
    assert signed_in.request(method, _path(path, MAX_ROW_ID)).status_code == 404


def test_is_row_id():
    assert is_row_id(1) and is_row_id(MAX_ROW_ID)
    assert not any(is_row_id(v) for v in (0, -1, MAX_ROW_ID + 1, True, "1", 1.0, None))
