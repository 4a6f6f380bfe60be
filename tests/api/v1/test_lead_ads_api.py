"""Facebook Lead Ads through /api/v1/connectors/facebook/<key>: the hub.challenge handshake, the
X-Hub-Signature-256 check, field_data fetched from a local fake Graph API and mapped to a lead with the
connector's channel and owner ("via Facebook"), one lead per leadgen id even when Meta retries; the
admin's settings (secrets never shown back, the mapping checked)."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from sqlalchemy import select
from starlette.routing import Mount

from crm_app.api.v1.connectors import graph_client
from crm_app.domain.errors import Forbidden, ValidationFailed
from crm_app.models import FeedEvent, Lead
from crm_app.services import lead_ads
from crm_app.services.lead_ads import ConnectorDraft
from tests.db import run_like_app
from tests.factories import make_org, make_user

SECRET = "app-secret-123"
MAPPING = (("full_name", "name"), ("phone_number", "phone"), ("email", "email"), ("budget", "notes"))


class FakeGraph:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def lead_fields(self, leadgen_id: str, access_token: str):
        self.calls.append((leadgen_id, access_token))
        return [{"name": "full_name", "values": ["Ana Vera"]},
                {"name": "email", "values": ["ana@example.com"]},
                {"name": "budget", "values": ["5000"]}, {"name": "ignored", "values": ["x"]}]


@pytest.fixture
def graph(api):
    fake = FakeGraph()
    for route in api.app.routes:
        if isinstance(route, Mount) and route.path == "/api/v1":
            route.app.dependency_overrides[graph_client] = lambda: fake
    return fake


def setup(session):
    org, admin = make_org(session, "Ads")
    _, seller, _ = make_user(session, admin, "sales")
    draft = ConnectorDraft(mapping_rows=MAPPING, app_secret=SECRET, page_token="page-token-9876",
                           owner_id=seller.user_id)
    return org, admin, seller, run_like_app(session, lead_ads.save_connector, actor=admin, draft=draft)


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def callback(*ids: str) -> bytes:
    changes = [{"field": "leadgen", "value": {"leadgen_id": i, "form_id": "1", "page_id": "2"}} for i in ids]
    return json.dumps({"object": "page", "entry": [{"id": "2", "changes": changes}]}).encode()


def test_handshake(api, session):
    _, _, _, conn = setup(session)
    path = f"/api/v1/connectors/facebook/{conn.public_key}"
    ok = api.get(path, params={"hub.mode": "subscribe", "hub.verify_token": conn.verify_token,
                               "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.text == "1158201444"
    assert ok.headers["content-type"].startswith("text/plain")
    wrong = api.get(path, params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"})
    assert wrong.status_code == 403
    unknown = api.get("/api/v1/connectors/facebook/la_unknown", params={"hub.mode": "subscribe"})
    assert unknown.status_code == 404


def test_signed_leadgen_becomes_one_mapped_lead(api, session, graph):
    org, _, seller, conn = setup(session)
    path = f"/api/v1/connectors/facebook/{conn.public_key}"
    body = callback("4455667788")
    assert api.post(path, content=body, headers=signed(body, "wrong")).status_code == 403
    assert api.post(path, content=body, headers={"Content-Type": "application/json"}).status_code == 403
    assert graph.calls == []
    answer = api.post(path, content=body, headers=signed(body))
    assert answer.status_code == 200 and answer.json() == {"received": 1}
    assert graph.calls == [("4455667788", "page-token-9876")]
    again = api.post(path, content=body, headers=signed(body))  # Meta retries
    assert again.json() == {"received": 0}
    session.expire_all()
    (lead,) = session.execute(select(Lead).where(Lead.organization_id == org.id)).scalars().all()
    assert (lead.name, lead.email, lead.owner_id) == ("Ana Vera", "ana@example.com", seller.user_id)
    assert "budget: 5000" in lead.notes
    events = session.execute(select(FeedEvent).where(FeedEvent.organization_id == org.id)).scalars().all()
    assert any(json.loads(e.data).get("via") == {"kind": "lead_ads", "name": "Facebook"} for e in events)


def test_settings_are_admin_only_and_secrets_are_not_shown(session):
    _, admin, seller, conn = setup(session)
    assert conn.has_app_secret and conn.page_token_hint == "…9876"
    assert SECRET not in repr(conn) and "page-token-9876" not in repr(conn)
    with pytest.raises(Forbidden):
        lead_ads.get_connector(session=session, actor=seller)
    kept = run_like_app(session, lead_ads.save_connector, actor=admin,
                        draft=ConnectorDraft(mapping_rows=MAPPING))  # blank secrets keep the saved ones
    assert kept.has_app_secret and kept.public_key == conn.public_key
    with pytest.raises(ValidationFailed) as refused:
        lead_ads.save_connector(session=session, actor=admin,
                                draft=ConnectorDraft(mapping_rows=(("full_name", "salary"),)))
    assert refused.value.errors["field_mapping"].code == "leadads_mapping_field_invalid"
