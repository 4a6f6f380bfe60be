"""PostgreSQL goes away under a signed-in tab and comes back: "try again", then it works, no reload.

A server of its own on a new PostgreSQL database reached through a TCP proxy (tests/tcp_proxy.py) that
the test cuts and restores; the shared server and its other clients never notice. Skipped without
PostgreSQL, except with CI=true.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import make_url

from crm_app.db import get_engine
from tests.db import create_postgres_database, drop_postgres_database, postgres_base_url, postgres_unavailable
from tests.db import unavailable as service_unavailable
from tests.e2e.conftest import AppServer, make_org_with_admin, make_user, running_server, sign_in
from tests.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

TRY_AGAIN = "No se pudo conectar con la base de datos. Inténtalo de nuevo en unos segundos."


@pytest.fixture(scope="module")
def proxy() -> Iterator[TcpProxy]:
    base = make_url(postgres_base_url())
    with TcpProxy((base.host or "127.0.0.1", base.port or 5432)) as running:
        yield running


@pytest.fixture(scope="module")
def outage_server(proxy: TcpProxy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    reason = postgres_unavailable(postgres_base_url())
    if reason:
        service_unavailable(reason)
    database = create_postgres_database(postgres_base_url())
    proxied = make_url(database).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    workdir: Path = tmp_path_factory.mktemp("e2e-outage")
    try:
        with running_server(workdir, name="outage-server", db_url=proxied) as server:
            yield server
    finally:
        get_engine(proxied).dispose()
        drop_postgres_database(database)


def test_database_down_shows_try_again_and_the_same_action_works_once_it_is_back(
    outage_server: AppServer, proxy: TcpProxy, page: Page
) -> None:
    admin = make_org_with_admin(outage_server.db_url)
    sales = make_user(outage_server.db_url, admin, "sales", change_password=True)
    sign_in(page, outage_server.base_url, admin.email, admin.password)
    expect(page.get_by_role("heading", name=f"Hola, {admin.name}")).to_be_visible()
    menu = page.get_by_role("navigation", name="Menú")

    proxy.cut()
    menu.get_by_role("link", name="Usuarios").click()
    expect(page.get_by_text(TRY_AGAIN)).to_be_visible()
    expect(page.get_by_text("Algo salió mal")).to_have_count(0)
    expect(page.get_by_role("row", name=sales.name)).to_have_count(0)

    proxy.restore()
    # The app reconnects by itself (crm_app.db's breaker probes every 0.5 s): the same navigation, in
    # the same tab, within 10 s of the database coming back.
    deadline = time.monotonic() + 10
    while True:
        menu.get_by_role("link", name="Inicio").click()
        expect(page.get_by_role("heading", name=f"Hola, {admin.name}")).to_be_visible()
        menu.get_by_role("link", name="Usuarios").click()
        try:
            expect(page.get_by_role("row", name=sales.name)).to_contain_text(sales.email, timeout=3_000)
            break
        except AssertionError:
            assert time.monotonic() < deadline, "the users page did not load within 10 s of the restore"
    expect(page.get_by_role("heading", name="Usuarios", exact=True)).to_be_visible()
