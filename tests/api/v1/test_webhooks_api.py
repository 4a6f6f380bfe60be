"""/api/v1/webhooks (scope "webhooks"): an integrator registers, lists, reads and deletes endpoints and
reads their delivery log through the same service as /settings/api; SSRF refusals are 422 problems with
the field's path; another organization's endpoint is 404; a key without the scope is 403."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from crm_app import api as api_module
from crm_app.api.auth import db_session
from crm_app.services import webhooks

PUBLIC_URL = "https://93.184.216.34/hooks/clientela"  # a public address typed as such: no DNS needed


@pytest.fixture
def api(engine, session: Session) -> Iterator[TestClient]:
    """The whole app, as conftest's ``api``, with the test database reaching the mounted /api/v1 app too
    (a mounted app keeps its own dependency overrides; see /work/notes/requests.md)."""
    app = api_module.build()

    def test_db() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as db:
            try:
                yield db
                db.commit()
            except BaseException:
                db.rollback()
                raise

    for target in (app, *(r.app for r in app.routes if getattr(r, "path", "") == "/api/v1")):
        target.dependency_overrides[db_session] = test_db
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as client:
        yield client


def register(api, keyed, url=PUBLIC_URL, events=("customer.created",)):
    return api.post("/api/v1/webhooks", headers=keyed.headers,
                    json={"url": url, "events": list(events), "description": "ERP"})


def test_register_list_get_and_delete(api, org_key):
    keyed = org_key(("webhooks",))
    created = register(api, keyed)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["status"] == "active"
    assert body["events"] == ["customer.created"] and body["url"] == PUBLIC_URL
    listed = api.get("/api/v1/webhooks", headers=keyed.headers)
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()["items"]] == [body["id"]]
    assert "secret" not in listed.json()["items"][0]  # shown once, at creation only
    one = api.get(f"/api/v1/webhooks/{body['id']}", headers=keyed.headers)
    assert one.status_code == 200 and "secret" not in one.json()
    assert api.delete(f"/api/v1/webhooks/{body['id']}", headers=keyed.headers).status_code == 204
    assert api.get(f"/api/v1/webhooks/{body['id']}", headers=keyed.headers).status_code == 404
    assert api.get("/api/v1/webhooks", headers=keyed.headers).json()["items"] == []


@pytest.mark.parametrize(("url", "code"), [
    ("http://93.184.216.34/hook", "webhook_url_https_only"),
    ("https://127.0.0.1/hook", "webhook_url_private"),
    ("https://169.254.169.254/latest/meta-data/", "webhook_url_private"),
    ("https://[::ffff:10.0.0.1]/hook", "webhook_url_private"),
    ("https://[fd00::1]/hook", "webhook_url_private"),
    ("https://100.64.0.1/hook", "webhook_url_private"),
    ("ftp://93.184.216.34/hook", "webhook_url_invalid"),
])
def test_ssrf_targets_are_refused_with_the_field_path(api, org_key, url, code):
    keyed = org_key(("webhooks",))
    refused = register(api, keyed, url=url)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    [error] = refused.json()["errors"]
    assert (error["path"], error["code"]) == ("url", code)
    assert api.get("/api/v1/webhooks", headers=keyed.headers).json()["items"] == []


def test_unknown_events_and_no_events_are_refused(api, org_key):
    keyed = org_key(("webhooks",), language="en")
    refused = register(api, keyed, events=())
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["path"] == "events"
    assert register(api, keyed, events=("customer.exploded",)).status_code == 422


def test_the_scope_and_the_organization_are_enforced(api, org_key):
    mine = org_key(("webhooks",), name="Mine")
    reader = org_key(("customers:read",), of=mine, name="Reader")
    other = org_key(("webhooks",), name="Other")
    endpoint_id = register(api, mine).json()["id"]
    assert register(api, reader).status_code == 403
    assert api.get("/api/v1/webhooks", headers=reader.headers).status_code == 403
    for call in (api.get, api.delete):
        assert call(f"/api/v1/webhooks/{endpoint_id}", headers=other.headers).status_code == 404
    assert api.get(f"/api/v1/webhooks/{endpoint_id}/deliveries", headers=other.headers).status_code == 404
    assert api.get("/api/v1/webhooks", headers=other.headers).json()["items"] == []
    assert api.get("/api/v1/webhooks").status_code == 401


def test_the_delivery_log_is_paged_by_cursor(api, org_key, session):
    keyed = org_key(("webhooks",))
    endpoint_id = register(api, keyed).json()["id"]
    for _ in range(3):
        webhooks.send_test(session, keyed.admin, endpoint_id)
    session.commit()
    first = api.get(f"/api/v1/webhooks/{endpoint_id}/deliveries?limit=2", headers=keyed.headers)
    assert first.status_code == 200, first.text
    page = first.json()
    assert [d["event_type"] for d in page["items"]] == ["ping", "ping"] and page["next_cursor"]
    assert page["items"][0]["status"] == "queued" and page["items"][0]["event_id"].startswith("evt_")
    rest = api.get(f"/api/v1/webhooks/{endpoint_id}/deliveries",
                   params={"limit": 2, "cursor": page["next_cursor"]}, headers=keyed.headers).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert rest["items"][0]["id"] < page["items"][1]["id"]
    bad = api.get(f"/api/v1/webhooks/{endpoint_id}/deliveries?cursor=%%%", headers=keyed.headers)
    assert bad.status_code == 422
