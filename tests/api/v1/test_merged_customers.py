"""/api/v1/customers and a merged customer: his address sends a read to the survivor (308 with
Location and merged_into), refuses writes clearly (409), and the trash does not list him."""

from __future__ import annotations

from tests.api.v1.api_world import make_customer
from tests.merge_factories import do_merge


def _merged(session, keyed) -> tuple[int, int]:
    survivor = make_customer(session, keyed.admin, "Ana", "Vera")
    merged = make_customer(session, keyed.admin, "Ana", "Vera Mora")
    do_merge(session, keyed.admin, [survivor, merged])
    return survivor, merged


def test_a_merged_customers_read_is_sent_to_the_survivor(api, org_key, session):
    keyed = org_key()
    survivor, merged = _merged(session, keyed)
    answer = api.get(f"/api/v1/customers/{merged}", headers=keyed.headers, follow_redirects=False)
    assert answer.status_code == 308
    assert answer.headers["location"] == f"/api/v1/customers/{survivor}"
    assert answer.json()["merged_into"] == survivor and answer.json()["code"] == "api_customer_merged"
    followed = api.get(f"/api/v1/customers/{merged}", headers=keyed.headers)
    assert followed.status_code == 200 and followed.json()["id"] == survivor


def test_writes_to_a_merged_customer_are_refused_and_the_trash_leaves_him_out(api, org_key, session):
    keyed = org_key()
    survivor, merged = _merged(session, keyed)
    headers = keyed.with_headers(If_Match='"2"')
    for answer in (
        api.patch(f"/api/v1/customers/{merged}", json={"notes": "x"}, headers=headers),
        api.put(f"/api/v1/customers/{merged}", json={"first_name": "A", "last_name": "B"}, headers=headers),
        api.delete(f"/api/v1/customers/{merged}", headers=keyed.headers),
        api.post(f"/api/v1/customers/{merged}/restore", headers=keyed.headers),
    ):
        assert answer.status_code == 409, answer.text
        assert answer.json()["merged_into"] == survivor
    trash = api.get("/api/v1/customers?trash=1", headers=keyed.headers).json()
    assert trash["items"] == []


def test_another_organizations_merged_customer_is_not_found(api, org_key, session):
    keyed, other = org_key(), org_key(name="Otra")
    _, merged = _merged(session, keyed)
    answer = api.get(f"/api/v1/customers/{merged}", headers=other.headers, follow_redirects=False)
    assert answer.status_code == 404
