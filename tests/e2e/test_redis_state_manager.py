"""The app behind CRM_STATE_MANAGER=redis: a second production build with its state in Redis.

It has its own SQLite database, port, Reflex web directory and Redis database (14, or
CRM_TEST_E2E_REDIS_URL). Only the keys this server created are deleted at the end. Skipped when Redis
is unreachable, except with CI=true, where it fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.db import redis_unavailable, unavailable
from tests.e2e.conftest import AppServer, make_org_with_admin, make_user, running_server, sign_in, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.redis]

REDIS_URL = os.environ.get("CRM_TEST_E2E_REDIS_URL") or "redis://127.0.0.1:6379/14"


@pytest.fixture(scope="module")
def redis_client():
    reason = redis_unavailable(REDIS_URL)
    if reason:
        unavailable(reason)
    import redis

    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    yield client
    client.close()


@pytest.fixture(scope="module")
def redis_server(redis_client, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    keys_before = set(redis_client.scan_iter(count=500))
    workdir = tmp_path_factory.mktemp("e2e-redis")
    try:
        with running_server(workdir, name="redis-server",
                            extra_env={"CRM_STATE_MANAGER": "redis", "CRM_REDIS_URL": REDIS_URL}) as server:
            yield server
    finally:
        created = set(redis_client.scan_iter(count=500)) - keys_before
        if created:
            redis_client.delete(*created)


def test_signed_in_navigation_with_state_in_redis(redis_server: AppServer, redis_client, page: Page) -> None:
    admin = make_org_with_admin(redis_server.db_url)
    sales = make_user(redis_server.db_url, admin, "sales", change_password=True)

    sign_in(page, redis_server.base_url, admin.email, admin.password)
    expect(page.get_by_role("heading", name=f"Hola, {admin.name}")).to_be_visible()
    page.get_by_role("navigation", name="Menú").get_by_role("link", name="Usuarios").click()
    expect(page.get_by_role("heading", name="Usuarios", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name=sales.name)).to_contain_text(sales.email)

    # The tab's state lives in Redis, under keys named after its Reflex token.
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token
    wait_until(lambda: any(token in key for key in redis_client.scan_iter(count=500)),
               message=f"Redis keys for token {token}")

    # A full reload (new connection) finds the state again: still signed in, the page still works.
    page.reload()
    expect(page.get_by_role("heading", name="Usuarios", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name=sales.name)).to_contain_text(sales.email)
