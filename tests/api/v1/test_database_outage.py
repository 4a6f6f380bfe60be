"""PostgreSQL goes away and comes back, seen through a TCP proxy we cut (tests/tcp_proxy.py).

While it is cut the REST API answers 503 problem+json with Retry-After in the caller's language, the
services raise an error crm_app.db.database_unavailable recognizes, and a write caught half-way leaves
nothing behind; once restored, requests succeed again with no restart. Only our proxy is cut: the shared
server and everyone else's connections to it are untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, func, select
from starlette.routing import Mount

from crm_app import api as api_module
from crm_app.api.auth import db_session
from crm_app.db import database_unavailable, make_engine, session_scope
from crm_app.domain.customers import CustomerInput
from crm_app.models import Customer
from crm_app.services import customers as customers_service
from tests.api.v1.conftest import KeyedOrg
from tests.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)]

RECOVERY_SECONDS = 10.0


@pytest.fixture
def proxy(db_url: str) -> Iterator[TcpProxy]:
    url = make_url(db_url)
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as running:
        yield running


@pytest.fixture
def proxied_engine(db_url: str, proxy: TcpProxy) -> Iterator[Engine]:
    """The app's own engine settings (pool_pre_ping, connect_timeout, the breaker), through the proxy."""
    engine = make_engine(make_url(db_url).set(host="127.0.0.1", port=proxy.port).render_as_string(False))
    yield engine
    engine.dispose()


@pytest.fixture
def proxied_api(proxied_engine: Engine, session: Session) -> Iterator[TestClient]:
    """The whole HTTP app, every request's transaction on the proxied database (as db_session does)."""
    app = api_module.build()

    def proxied_db() -> Iterator[Session]:
        with session_scope(proxied_engine) as db:
            yield db

    for mounted in [app, *(r.app for r in app.routes if isinstance(r, Mount) and r.path == "/api/v1")]:
        mounted.dependency_overrides[db_session] = proxied_db
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as client:
        yield client


def _until_ok(call: Callable[[], int]) -> float:
    """Seconds until ``call`` answers 200, failing after RECOVERY_SECONDS."""
    began = time.monotonic()
    while (status := call()) != 200:
        assert time.monotonic() - began < RECOVERY_SECONDS, f"still {status} after {RECOVERY_SECONDS:.0f} s"
        time.sleep(0.2)
    return time.monotonic() - began


def test_api_answers_503_with_retry_after_while_cut_and_recovers(
    proxied_api: TestClient, proxy: TcpProxy, org_key: Callable[..., KeyedOrg]
) -> None:
    keyed = org_key(("customers:read",))
    assert proxied_api.get("/api/v1/customers", headers=keyed.headers).status_code == 200

    proxy.cut()
    answer = proxied_api.get("/api/v1/customers", headers=keyed.headers)
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["retry-after"] == "5"
    assert answer.json()["code"] == "api_database_unavailable"
    assert "inténtelo de nuevo en unos segundos" in answer.json()["detail"]
    english = proxied_api.get("/api/v1/customers", headers=keyed.with_headers(Accept_Language="en"))
    assert english.status_code == 503
    assert english.json()["detail"] == "The database is unavailable; please try again in a few seconds."

    proxy.restore()
    _until_ok(lambda: proxied_api.get("/api/v1/customers", headers=keyed.headers).status_code)


def test_a_host_that_never_answers_is_a_503_too(
    proxied_api: TestClient, proxy: TcpProxy, org_key: Callable[..., KeyedOrg]
) -> None:
    """Connections accepted and never answered (packets dropped): connect_timeout ends the wait."""
    keyed = org_key(("customers:read",))
    assert proxied_api.get("/api/v1/customers", headers=keyed.headers).status_code == 200
    proxy.cut(hang=True)
    for _ in range(2):  # the first waits for connect_timeout; the next is refused by the breaker
        answer = proxied_api.get("/api/v1/customers", headers=keyed.headers)
        assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
    proxy.restore()
    _until_ok(lambda: proxied_api.get("/api/v1/customers", headers=keyed.headers).status_code)


def test_the_service_raises_database_unavailable_and_a_cut_write_leaves_nothing(
    proxied_engine: Engine, proxy: TcpProxy, session: Session, org_key: Callable[..., KeyedOrg]
) -> None:
    admin = org_key().admin
    data = CustomerInput(client_type="person", first_name="Ana", last_name="Cortada")

    with pytest.raises(Exception) as raised, session_scope(proxied_engine) as db:
        customers_service.create_customer(session=db, actor=admin, data=data)
        db.flush()  # the INSERTs reached the server, uncommitted
        proxy.cut()
    assert database_unavailable(raised.value), repr(raised.value)
    assert session.exec(select(func.count()).select_from(Customer)).one() == 0

    with pytest.raises(Exception) as raised, session_scope(proxied_engine) as db:
        customers_service.create_customer(session=db, actor=admin, data=data)
    assert database_unavailable(raised.value), repr(raised.value)

    proxy.restore()

    def create() -> int:
        try:
            with session_scope(proxied_engine) as db:
                customers_service.create_customer(session=db, actor=admin, data=data)
        except Exception as error:
            assert database_unavailable(error), repr(error)
            return 503
        return 200

    _until_ok(create)
    assert session.exec(select(func.count()).select_from(Customer)).one() == 1
