"""/api/v1/customers/{id}/feed and /comments on SQLite and PostgreSQL: the history newest first, paged
and filtered like the profile's; a comment written through the API shows in it "via" the key."""

from __future__ import annotations

from tests.api.v1.api_world import ALL_SCOPES, bearer, make_customer


def test_a_comment_written_through_the_api_is_the_newest_entry_and_names_the_key(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    customer_id = make_customer(session, org.admin)
    written = api.post(
        f"/api/v1/customers/{customer_id}/comments", headers=bearer(key), json={"body": "  Llamar el lunes  "}
    )
    assert written.status_code == 201, written.text
    assert written.json()["customer_id"] == customer_id

    feed = api.get(f"/api/v1/customers/{customer_id}/feed", headers=bearer(key)).json()
    newest = feed["items"][0]
    assert newest["kind"] == "comment" and newest["ref_id"] == written.json()["id"]
    assert newest["ref"]["body"] == "Llamar el lunes"
    assert newest["data"]["via"] == {"kind": "api_key", "name": "Web"}
    assert [e["kind"] for e in feed["items"]] == ["comment", "customer_created"]


def test_an_empty_comment_is_refused_in_the_callers_language(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    customer_id = make_customer(session, org.admin)
    refused = api.post(
        f"/api/v1/customers/{customer_id}/comments", headers=bearer(key, "en"), json={"body": " "}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["path"] == "body"
    assert refused.json()["errors"][0]["detail"] == "This field is required."


def test_the_feed_pages_newest_first_and_filters_by_category(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    customer_id = make_customer(session, org.admin)
    for n in range(5):
        api.post(f"/api/v1/customers/{customer_id}/comments", headers=bearer(key), json={"body": f"nota {n}"})
    url = f"/api/v1/customers/{customer_id}/feed"

    seen, cursor = [], None
    while True:
        page = api.get(
            url, params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=bearer(key)
        )
        seen += [e["ref"]["body"] if e["kind"] == "comment" else e["kind"] for e in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == ["nota 4", "nota 3", "nota 2", "nota 1", "nota 0", "customer_created"]

    changes = api.get(url, params={"category": "changes"}, headers=bearer(key)).json()["items"]
    assert [e["kind"] for e in changes] == ["customer_created"]
    assert api.get(url, params={"category": "gossip"}, headers=bearer(key)).status_code == 422


def test_an_unknown_customer_is_not_found(api, org_key):
    key = org_key(ALL_SCOPES).key
    assert api.get("/api/v1/customers/999999/feed", headers=bearer(key)).status_code == 404
    assert (
        api.post("/api/v1/customers/999999/comments", headers=bearer(key), json={"body": "x"}).status_code
        == 404
    )


def test_an_accounts_feed_holds_its_own_events_and_its_members_naming_whose_they_are(api, org_key, session):
    org = org_key(ALL_SCOPES)
    ana = make_customer(session, org.admin)
    account = api.post("/api/v1/accounts", headers=bearer(org.key), json={"name": "Vera S.A."}).json()
    api.post(f"/api/v1/accounts/{account['id']}/members", headers=bearer(org.key), json={"customer_id": ana})
    api.post(f"/api/v1/customers/{ana}/comments", headers=bearer(org.key), json={"body": "Pide factura"})

    answer = api.get(f"/api/v1/accounts/{account['id']}/feed", headers=bearer(org.key), params={"limit": 2})
    assert answer.status_code == 200, answer.text
    newest = answer.json()["items"]
    assert [(e["kind"], e["customer_name"]) for e in newest] == [
        ("comment", "Ana Vera"),
        ("member_added", "Ana Vera"),
    ]
    older = api.get(
        f"/api/v1/accounts/{account['id']}/feed",
        headers=bearer(org.key),
        params={"cursor": answer.json()["next_cursor"]},
    ).json()["items"]
    assert [e["kind"] for e in older] == ["account_created", "customer_created"]
