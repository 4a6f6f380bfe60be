"""Redis, holding the tabs' state (CRM_STATE_MANAGER=redis), restarts empty under a signed-in tab.

A private redis-server on its own port, without persistence (the shared one on 6379 is never touched),
and a server of its own on SQLite. While it is down an action says "try again"; once it is back, empty,
the same tab carries on: Reflex loads the lost state again on its page, and the session (in the database,
behind the HttpOnly cookie) still signs it in. Skipped without redis-server, except in CI.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.db import unavailable
from tests.e2e.conftest import (
    AppServer,
    free_port,
    make_org_with_admin,
    make_user,
    path_is,
    running_server,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.redis]

TRY_AGAIN = "Se interrumpió la conexión con el servidor. Inténtalo de nuevo en unos segundos."

class PrivateRedis:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir

    def start(self) -> None:
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--daemonize", "yes", "--dir", str(self.workdir),
                        "--pidfile", str(self.workdir / "redis.pid"),
                        "--logfile", str(self.workdir / "redis.log")], check=True)
        self._wait(up=True)

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], check=False,
                       capture_output=True)
        self._wait(up=False)

    def _wait(self, *, up: bool) -> None:
        deadline = time.monotonic() + 10
        while (subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                              text=True).stdout.strip() == "PONG") != up:
            assert time.monotonic() < deadline, f"redis on {self.port} did not {'start' if up else 'stop'}"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        unavailable("redis-server is not installed")
    redis = PrivateRedis(tmp_path_factory.mktemp("private-redis"))
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture(scope="module")
def restart_server(private_redis: PrivateRedis,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    workdir = tmp_path_factory.mktemp("e2e-redis-restart")
    env = {"CRM_STATE_MANAGER": "redis", "CRM_REDIS_URL": f"redis://127.0.0.1:{private_redis.port}/0"}
    with running_server(workdir, name="redis-restart-server", extra_env=env) as server:
        yield server


def test_a_tab_carries_on_signed_in_after_redis_restarts_empty(
    restart_server: AppServer, private_redis: PrivateRedis, page: Page
) -> None:
    admin = make_org_with_admin(restart_server.db_url)
    sales = make_user(restart_server.db_url, admin, "sales", change_password=True)
    sign_in(page, restart_server.base_url, admin.email, admin.password)
    menu = page.get_by_role("navigation", name="Menú")
    menu.get_by_role("link", name="Usuarios").click()
    expect(page.get_by_role("row", name=sales.name)).to_contain_text(sales.email)

    private_redis.stop()
    menu.get_by_role("link", name="Inicio").click()
    expect(page.get_by_text(TRY_AGAIN)).to_be_visible()
    expect(page.get_by_text("Algo salió mal")).to_have_count(0)

    private_redis.start()  # empty: every tab's state is gone
    menu.get_by_role("link", name="Inicio").click()
    expect(page.get_by_role("heading", name=f"Hola, {admin.name}")).to_be_visible()
    menu.get_by_role("link", name="Usuarios").click()
    expect(page.get_by_role("row", name=sales.name)).to_contain_text(sales.email)
    expect(page).to_have_url(path_is("/settings/users"))
