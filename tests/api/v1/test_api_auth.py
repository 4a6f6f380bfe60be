"""Bearer API keys on /api/v1: who gets in, with which scope, how often, and in which language."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from sqlmodel import Session

from crm_app.api.auth import db_session
from crm_app.api.v1.app import build_v1
from crm_app.api.v1.deps import Caller, require
from crm_app.models import User
from crm_app.models.integrations import ApiKey
from crm_app.models.types import utcnow
from crm_app.services import api_auth

probe = APIRouter()


@probe.get("/probe/read")
def read_probe(caller: Annotated[Caller, Depends(require("customers:read"))]) -> dict:
    return {"key": caller.key_name, "org": caller.organization_id, "language": caller.language,
            "role": caller.actor.role}


@probe.get("/probe/webhooks")
def webhooks_probe(caller: Annotated[Caller, Depends(require("webhooks"))]) -> dict:
    return {"ok": True}


@pytest.fixture
def v1(engine, session: Session) -> Iterator[TestClient]:
    app = build_v1()
    app.include_router(probe)

    def test_db() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as db:
            yield db
            db.commit()

    app.dependency_overrides[db_session] = test_db
    with TestClient(app, base_url="http://localhost") as client:
        yield client


def _is_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["code"] == code and body["detail"]
    return body


def test_a_valid_key_acts_as_its_creator_in_the_callers_language(v1, org_key):
    keyed = org_key(("customers:read",), name="Tienda web")
    answer = v1.get("/probe/read", headers=keyed.with_headers(Accept_Language="en-US,en;q=0.9,es;q=0.5"))
    assert answer.status_code == 200
    assert answer.json() == {"key": "Tienda web", "org": keyed.org.id, "language": "en", "role": "admin"}
    # Without Accept-Language the organization's language.
    assert v1.get("/probe/read", headers=keyed.headers).json()["language"] == "es"


def test_a_write_key_may_read(v1, org_key):
    keyed = org_key(("customers:write",))
    assert v1.get("/probe/read", headers=keyed.headers).status_code == 200


@pytest.mark.parametrize("authorization", [None, "Bearer nope", "Bearer clk_" + "x" * 43, "Basic abc"])
def test_missing_or_unknown_keys_get_401_with_a_bearer_challenge(v1, org_key, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    answer = v1.get("/probe/read", headers={**headers, "Accept-Language": "es"})
    body = _is_problem(answer, 401, "api_unauthorized")
    assert answer.headers["www-authenticate"] == "Bearer"
    assert "clave API" in body["detail"]


def test_revoked_and_expired_keys_are_refused(v1, org_key):
    revoked = org_key(("customers:read",), revoked=True)
    expired = org_key(("customers:read",), expires_at=utcnow() - timedelta(minutes=1))
    for keyed in (revoked, expired):
        _is_problem(v1.get("/probe/read", headers=keyed.headers), 401, "api_unauthorized")


def test_a_key_stops_working_when_its_creator_is_deactivated(v1, org_key, session):
    keyed = org_key(("customers:read",))
    user = session.get(User, keyed.admin.user_id)
    user.is_active = False
    session.add(user)
    session.commit()
    body = _is_problem(v1.get("/probe/read", headers=keyed.with_headers(Accept_Language="en")), 401,
                       "api_key_owner_inactive")
    assert "no longer active" in body["detail"]


def test_a_key_without_the_scope_gets_403_in_english_or_spanish(v1, org_key):
    keyed = org_key(("customers:read",))
    english = _is_problem(v1.get("/probe/webhooks", headers=keyed.with_headers(Accept_Language="en")),
                          403, "api_scope_missing")
    assert english["detail"] == "This API key lacks the “webhooks” scope."
    spanish = _is_problem(v1.get("/probe/webhooks", headers=keyed.with_headers(Accept_Language="es-EC")),
                          403, "api_scope_missing")
    assert spanish["detail"] == "Esta clave API no tiene el permiso «webhooks»."


def test_over_the_per_minute_limit_a_key_gets_429_with_retry_after(v1, org_key, session):
    keyed = org_key(("customers:read",), rate_limit=3)
    other = org_key(("customers:read",), rate_limit=3, of=keyed, name="Otra")
    assert [v1.get("/probe/read", headers=keyed.headers).status_code for _ in range(3)] == [200] * 3
    refused = v1.get("/probe/read", headers=keyed.with_headers(Accept_Language="en"))
    _is_problem(refused, 429, "api_rate_limited")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # Each key has its own window.
    assert v1.get("/probe/read", headers=other.headers).status_code == 200
    # Once the window is over the key works again (moved back instead of waiting a minute).
    row = session.get(ApiKey, keyed.key_id)
    session.refresh(row)
    assert row.window_count == 4 and row.last_used_at is not None
    row.window_started_at = utcnow() - timedelta(seconds=61)
    session.add(row)
    session.commit()
    assert v1.get("/probe/read", headers=keyed.headers).status_code == 200


def test_the_last_use_is_recorded(v1, org_key, session):
    keyed = org_key(("customers:read",))
    before = utcnow()
    v1.get("/probe/read", headers=keyed.headers)
    row = session.get(ApiKey, keyed.key_id)
    session.refresh(row)
    assert row.last_used_at is not None and row.last_used_at >= before - timedelta(seconds=1)


def test_the_window_is_counted_exactly_under_concurrent_requests(engine, org_key):
    """Requests of one key on several app nodes (threads with their own sessions here): exactly
    ``rate_limit`` of them get in, because each is counted by one atomic UPDATE."""
    keyed = org_key(("customers:read",), rate_limit=10)

    def one_request(_: int) -> bool:
        with Session(engine) as db:
            return api_auth.authenticate(db, keyed.key).retry_after == 0

    with ThreadPoolExecutor(max_workers=8) as pool:
        admitted = list(pool.map(one_request, range(25)))
    assert admitted.count(True) == 10
