"""Idempotency-Key on POSTs: a retried submission never creates two customers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlmodel import select

from crm_app.models import Customer
from crm_app.models.integrations import ApiIdempotency
from crm_app.models.types import utcnow
from crm_app.services.api_auth import purge_idempotency

BODY = {"first_name": "Luis", "last_name": "Mora", "phones": [{"number": "0987654321"}]}


def _customers(session, org_id):
    return session.exec(select(Customer).where(Customer.organization_id == org_id)).all()


def test_a_retry_with_the_same_key_replays_the_first_answer(api, org_key, session):
    keyed = org_key()
    headers = keyed.with_headers(Idempotency_Key="form-42")
    first = api.post("/api/v1/customers", json=BODY, headers=headers)
    again = api.post("/api/v1/customers", json=BODY, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert len(_customers(session, keyed.org.id)) == 1


def test_the_same_key_with_another_body_is_refused(api, org_key, session):
    keyed = org_key()
    headers = keyed.with_headers(Idempotency_Key="form-43", Accept_Language="en")
    assert api.post("/api/v1/customers", json=BODY, headers=headers).status_code == 201
    other = api.post("/api/v1/customers", json={**BODY, "first_name": "Otro"}, headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "api_idempotency_mismatch"
    assert "another request" in other.json()["detail"]
    assert len(_customers(session, keyed.org.id)) == 1


def test_keys_are_per_api_key_and_without_a_key_each_post_creates(api, org_key, session):
    keyed = org_key()
    other_key = org_key(of=keyed, name="Otra")
    phone_free = {"first_name": "Luis", "last_name": "Mora"}
    api.post("/api/v1/customers", json=phone_free, headers=keyed.with_headers(Idempotency_Key="same"))
    api.post("/api/v1/customers", json=phone_free, headers=other_key.with_headers(Idempotency_Key="same"))
    api.post("/api/v1/customers", json=phone_free, headers=keyed.headers)
    assert len(_customers(session, keyed.org.id)) == 3


def test_a_refused_request_is_not_remembered(api, org_key, session):
    keyed = org_key()
    headers = keyed.with_headers(Idempotency_Key="try-again")
    refused = api.post("/api/v1/customers", json={"first_name": "Sin apellido"}, headers=headers)
    assert refused.status_code == 422
    fixed_body = {"first_name": "Sin apellido", "last_name": "Ya no"}
    fixed = api.post("/api/v1/customers", json=fixed_body, headers=headers)
    assert fixed.status_code == 201


def test_batches_replay_too(api, org_key, session):
    keyed = org_key()
    headers = keyed.with_headers(Idempotency_Key="batch-1")
    items = {"items": [{"first_name": "A", "last_name": "Uno"}, {"first_name": "B", "last_name": "Dos"}]}
    first = api.post("/api/v1/customers/batch", json=items, headers=headers)
    again = api.post("/api/v1/customers/batch", json=items, headers=headers)
    assert first.status_code == again.status_code == 200 and again.json() == first.json()
    assert len(_customers(session, keyed.org.id)) == 2


def test_replies_older_than_a_day_are_forgotten(api, org_key, session):
    keyed = org_key()
    headers = keyed.with_headers(Idempotency_Key="old")
    api.post("/api/v1/customers", json={"first_name": "A", "last_name": "Uno"}, headers=headers)
    row = session.exec(select(ApiIdempotency)).one()
    row.created_at = utcnow() - timedelta(hours=25)
    session.add(row)
    session.commit()
    # After 24 hours the key is free again: the same POST creates a second customer.
    again = api.post("/api/v1/customers", json={"first_name": "A", "last_name": "Uno"}, headers=headers)
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert len(_customers(session, keyed.org.id)) == 2
    stale = session.exec(select(ApiIdempotency)).one()
    stale.created_at = utcnow() - timedelta(hours=25)
    session.add(stale)
    session.commit()
    assert purge_idempotency(session) == 1


def test_simultaneous_retries_create_one_customer(api, org_key, session):
    """A form posted twice at once (double click, a proxy's retry): one customer, and every answer is
    either that customer or "still running, retry"."""
    keyed = org_key()
    headers = keyed.with_headers(Idempotency_Key="double-click")

    def post(_: int):
        return api.post("/api/v1/customers", json=BODY, headers=headers)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(post, range(4)))
    assert {a.status_code for a in answers} <= {201, 409}
    created = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(created) == 1
    assert len(_customers(session, keyed.org.id)) == 1
