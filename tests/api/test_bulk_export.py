"""The export of a selection (``ids=1,2,3``, the rows ticked on the list) through the real route, on both
databases: those customers of the organization only, in that order; more than 100 ids, or a part that is
no id, refused with 400 naming ``ids``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crm_app.domain.customer_list_params import MAX_IDS, read_ids
from tests.api.test_customer_export import add, csv_rows, signed_in_org

EXPORT = "/api/customers/export"


@pytest.fixture
def client(api_client: TestClient) -> TestClient:
    return api_client


def test_read_ids():
    assert read_ids("3, 1,3") == (3, 1)
    assert read_ids("1,x") is None and read_ids("") is None and read_ids("-1") is None
    assert read_ids(",".join(str(i) for i in range(1, MAX_IDS + 1))) is not None
    assert read_ids(",".join(str(i) for i in range(1, MAX_IDS + 2))) is None


def test_the_ticked_customers_of_the_organization_only(client, session):
    admin, token = signed_in_org(session, "Andina")
    ana, beto, _carla = (add(session, admin, name, "Vera").id for name in ("Ana", "Beto", "Carla"))
    other_admin, _ = signed_in_org(session, "Otra")
    eva = add(session, other_admin, "Eva", "Ajena").id
    client.cookies.set("crm_session", token)
    response = client.get(EXPORT, params={"format": "csv", "ids": f"{beto},{eva},{ana}", "q": "zzz"})
    assert response.status_code == 200, response.text
    rows = csv_rows(response.content)
    names = [row[rows[0].index("Nombres")] for row in rows[1:]]
    assert names == ["Beto", "Ana"]  # in the ticked order; another organization's id is left out
    for bad in ("1,x", ",".join(str(i) for i in range(1, MAX_IDS + 2))):
        response = client.get(EXPORT, params={"format": "csv", "ids": bad})
        assert response.status_code == 400 and "ids" in response.text
