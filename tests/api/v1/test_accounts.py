"""/api/v1/accounts on SQLite and PostgreSQL: an integrator creates, finds, pages, changes (with If-Match)
and deletes accounts, and manages their members, with the app's validation and feed events."""

from __future__ import annotations

import json

from sqlalchemy import select

from crm_app.models import FeedEvent
from tests.api.v1.api_world import ALL_SCOPES, bearer, make_customer


def test_an_account_created_through_the_api_is_read_listed_and_in_its_feed_via_the_key(api, org_key, session):
    key = org_key(ALL_SCOPES).key
    created = api.post(
        "/api/v1/accounts",
        headers=bearer(key),
        json={"name": "Ferretería Vera", "city": "Quito", "tags": ["mayorista"]},
    )
    assert created.status_code == 201, created.text
    account = created.json()
    assert created.headers["Location"] == f"/api/v1/accounts/{account['id']}"
    assert created.headers["ETag"] == f'"{account["version"]}"'
    assert (account["name"], account["city"], account["tags"]) == ("Ferretería Vera", "Quito", ["mayorista"])

    assert api.get(f"/api/v1/accounts/{account['id']}", headers=bearer(key)).json() == account
    found = api.get("/api/v1/accounts", params={"search": "ferreteria"}, headers=bearer(key)).json()
    assert [a["name"] for a in found["items"]] == ["Ferretería Vera"] and found["next_cursor"] is None

    event = session.execute(select(FeedEvent).where(FeedEvent.account_id == account["id"])).scalar_one()
    assert event.kind == "account_created"
    assert json.loads(event.data)["via"] == {"kind": "api_key", "name": "Web"}


def test_the_list_is_paged_by_an_opaque_cursor_and_a_forged_cursor_is_a_422(api, org_key):
    key = org_key(ALL_SCOPES).key
    for name in ("Alfa", "Beta", "Gamma"):
        assert api.post("/api/v1/accounts", headers=bearer(key), json={"name": name}).status_code == 201
    names, cursor = [], None
    while True:
        page = api.get(
            "/api/v1/accounts",
            params={"limit": 2, **({"cursor": cursor} if cursor else {})},
            headers=bearer(key),
        ).json()
        names += [a["name"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert names == ["Alfa", "Beta", "Gamma"]
    forged = api.get("/api/v1/accounts", params={"cursor": "bm90LW91cnM"}, headers=bearer(key))
    assert forged.status_code == 422
    assert forged.headers["content-type"].startswith("application/problem+json")


def test_bad_fields_are_refused_each_with_its_path_and_message_in_the_callers_language(api, org_key):
    key = org_key(ALL_SCOPES).key
    refused = api.post(
        "/api/v1/accounts",
        headers=bearer(key, "en"),
        json={"name": " ", "email": "not an e-mail", "tax_id": "123"},
    )
    assert refused.status_code == 422
    errors = {e["path"]: e for e in refused.json()["errors"]}
    assert set(errors) == {"name", "email", "tax_id"}
    assert errors["name"]["detail"] == "This field is required."
    assert api.get("/api/v1/accounts", headers=bearer(key)).json()["items"] == []


def test_a_change_needs_the_version_read_and_keeps_the_fields_not_sent(api, org_key):
    key = org_key(ALL_SCOPES).key
    account = api.post(
        "/api/v1/accounts",
        headers=bearer(key),
        json={"name": "Vera", "city": "Quito", "industry": "Ferretería"},
    ).json()
    url = f"/api/v1/accounts/{account['id']}"

    missing = api.patch(url, headers=bearer(key), json={"city": "Cuenca"})
    assert missing.status_code == 428

    changed = api.patch(
        url, headers={**bearer(key), "If-Match": f'"{account["version"]}"'}, json={"city": "Cuenca"}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["city"], changed.json()["industry"]) == ("Cuenca", "Ferretería")
    assert changed.headers["ETag"] == f'"{account["version"] + 1}"'

    stale = api.patch(
        url, headers={**bearer(key), "If-Match": f'"{account["version"]}"'}, json={"city": "Loja"}
    )
    assert stale.status_code == 412
    assert api.get(url, headers=bearer(key)).json()["city"] == "Cuenca"


def test_a_deleted_account_is_gone_but_its_members_stay(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    customer_id = make_customer(session, org.admin)
    account = api.post("/api/v1/accounts", headers=bearer(key), json={"name": "Vera"}).json()
    api.post(
        f"/api/v1/accounts/{account['id']}/members", headers=bearer(key), json={"customer_id": customer_id}
    )

    assert api.delete(f"/api/v1/accounts/{account['id']}", headers=bearer(key)).status_code == 204
    assert api.get(f"/api/v1/accounts/{account['id']}", headers=bearer(key)).status_code == 404
    assert api.get(f"/api/v1/customers/{customer_id}/feed", headers=bearer(key)).status_code == 200


def test_members_are_added_with_a_role_changed_and_taken_out(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    ana = make_customer(session, org.admin, "Ana", "Vera")
    luis = make_customer(session, org.admin, "Luis", "Mora")
    account = api.post("/api/v1/accounts", headers=bearer(key), json={"name": "Vera"}).json()
    members = f"/api/v1/accounts/{account['id']}/members"

    added = api.post(members, headers=bearer(key), json={"customer_id": ana, "role": "billing"})
    assert added.status_code == 201 and added.json()["role"] == "billing"
    assert api.post(members, headers=bearer(key), json={"customer_id": luis}).status_code == 201
    again = api.post(members, headers=bearer(key), json={"customer_id": ana})
    assert again.status_code == 409
    assert (
        api.post(members, headers=bearer(key), json={"customer_id": ana, "role": "boss"}).status_code == 422
    )

    listed = api.get(members, headers=bearer(key)).json()["items"]
    assert [(m["name"], m["role"]) for m in listed] == [("Ana Vera", "billing"), ("Luis Mora", "member")]

    assert api.put(f"{members}/{luis}", headers=bearer(key), json={"role": "main_contact"}).status_code == 200
    assert api.delete(f"{members}/{ana}", headers=bearer(key)).status_code == 204
    assert api.delete(f"{members}/{ana}", headers=bearer(key)).status_code == 404
    listed = api.get(members, headers=bearer(key)).json()["items"]
    assert [(m["name"], m["role"]) for m in listed] == [("Luis Mora", "main_contact")]

    kinds = (
        session.execute(
            select(FeedEvent.kind).where(FeedEvent.account_id == account["id"]).order_by(FeedEvent.id)
        )
        .scalars()
        .all()
    )
    assert kinds == [
        "account_created",
        "member_added",
        "member_added",
        "member_role_changed",
        "member_removed",
    ]


def test_another_organizations_customer_cannot_join(api, org_key, session):
    other = org_key(name="Otra")
    stranger = make_customer(session, other.admin)
    key = org_key(ALL_SCOPES).key
    account = api.post("/api/v1/accounts", headers=bearer(key), json={"name": "Vera"}).json()
    refused = api.post(
        f"/api/v1/accounts/{account['id']}/members", headers=bearer(key), json={"customer_id": stranger}
    )
    assert refused.status_code == 404
