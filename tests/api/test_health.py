"""GET /api/health: what a load balancer and an operator see, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from crm_app.api.auth import db_session
from crm_app.api.health import health_settings
from crm_app.db import make_engine
from crm_app.models.messaging import OutboxMessage
from crm_app.settings import load_settings
from tests.factories import make_org

CLOSED_PORT_REDIS = "redis://:s3cret-pass@127.0.0.1:1/2"


def use_settings(api_client, environ: dict[str, str]) -> None:
    api_client.app.dependency_overrides[health_settings] = lambda: load_settings(environ)


def test_a_healthy_node_answers_ok_with_every_check_and_no_caching(api_client):
    use_settings(api_client, {})
    response = api_client.get("/api/health")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["redis"] == {"status": "not used"}
    queue = body["checks"]["queue"]
    assert queue["status"] == "ok"
    assert queue["outbox_oldest_due_seconds"] == 0
    assert queue["job_oldest_queued_seconds"] == 0


def test_a_reachable_redis_is_checked(api_client, redis_url):
    use_settings(api_client, {"CRM_REDIS_URL": redis_url})
    response = api_client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == {"status": "ok"}


def test_a_down_redis_makes_the_node_degraded_without_telling_where_it_was(api_client):
    use_settings(api_client, {"CRM_REDIS_URL": CLOSED_PORT_REDIS})
    response = api_client.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failed"] == ["redis"]
    assert body["checks"]["redis"] == {"status": "failed", "reason": "unreachable"}
    assert body["checks"]["database"]["status"] == "ok"
    for secret in ("127.0.0.1", "s3cret", "redis://", ":1"):
        assert secret not in response.text


def test_a_message_waiting_past_the_limit_means_the_workers_are_down(api_client, session):
    use_settings(api_client, {})
    org, _admin = make_org(session, name="Secret Org Name")
    session.add(OutboxMessage(organization_id=org.id, channel="email", recipient="ana@example.com",
                              body="private body", next_attempt_at=datetime.now(UTC) - timedelta(minutes=10)))
    session.commit()
    response = api_client.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["queue"]
    queue = body["checks"]["queue"]
    assert queue["status"] == "failed"
    assert queue["outbox_oldest_due_seconds"] >= 600
    for private in ("Secret Org Name", "ana@example.com", "private body"):
        assert private not in response.text


@pytest.mark.parametrize("minutes_ago", [1, -60])
def test_a_fresh_or_later_message_is_not_a_problem(api_client, session, minutes_ago):
    use_settings(api_client, {})
    org, _admin = make_org(session)
    session.add(OutboxMessage(organization_id=org.id, channel="sms", recipient="+593991234567", body="x",
                              next_attempt_at=datetime.now(UTC) - timedelta(minutes=minutes_ago)))
    session.commit()
    response = api_client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["checks"]["queue"]["outbox_oldest_due_seconds"] < 300


@pytest.mark.parametrize(("lease_ended_minutes_ago", "status"), [(10, 503), (-1, 200)])
def test_a_message_whose_worker_died_waits_from_the_end_of_its_lease(
    api_client, session, lease_ended_minutes_ago, status
):
    """Sent by a worker that died, and no worker left to take it back: the queue is as stuck as with a
    queued message; a lease still running is a message in hand."""
    use_settings(api_client, {})
    org, _admin = make_org(session)
    now = datetime.now(UTC)
    session.add(OutboxMessage(organization_id=org.id, channel="sms", recipient="+593991234567", body="x",
                              status="sending", claimed_by="gone:1:1", claimed_at=now - timedelta(minutes=11),
                              lease_until=now - timedelta(minutes=lease_ended_minutes_ago),
                              next_attempt_at=now - timedelta(minutes=11)))
    session.commit()
    response = api_client.get("/api/health")
    assert response.status_code == status
    waited = response.json()["checks"]["queue"]["outbox_oldest_due_seconds"]
    assert waited >= 600 if status == 503 else waited == 0


def test_a_database_behind_the_code_s_migrations_is_degraded(api_client, monkeypatch):
    use_settings(api_client, {})
    monkeypatch.setattr("crm_app.api.health.migration_heads", lambda: frozenset({"9999_not_yet"}))
    response = api_client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "status": "failed", "reason": "migrations not at the code's head"}
    assert "9999" not in response.text


def test_a_down_database_is_degraded_without_its_address(api_client):
    down = make_engine("postgresql+psycopg://clientela:db-pass-123@127.0.0.1:1/crm")

    def down_db():
        with Session(down) as db:
            yield db

    use_settings(api_client, {})
    api_client.app.dependency_overrides[db_session] = down_db
    try:
        response = api_client.get("/api/health")
    finally:
        down.dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database", "queue"]
    assert body["checks"]["database"] == {"status": "failed", "reason": "unreachable"}
    assert body["checks"]["queue"] == {"status": "failed", "reason": "database unreachable"}
    for secret in ("127.0.0.1", "db-pass", "clientela", "postgresql"):
        assert secret not in response.text
