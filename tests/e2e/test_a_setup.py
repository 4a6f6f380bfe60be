"""First-run setup through the UI. This module's name sorts first in tests/e2e on purpose.

Setup exists only while the database has no user at all. The ``app_server`` database is empty when the
session starts and this test runs first, so it meets it empty. Should it run after other e2e tests (an
explicit file order, ``-k``), it empties the database itself (tests.db.wipe): every other e2e test makes
its own organization and needs nothing from earlier tests, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.db import get_engine
from crm_app.models import Organization, User
from tests.db import wipe
from tests.e2e.conftest import PASSWORD, AppServer, db_session, path_is, sign_in, wait_hydrated

pytestmark = pytest.mark.e2e


def _ensure_empty_database(db_url: str) -> None:
    with db_session(db_url) as session:
        has_users = session.exec(select(User.id)).first() is not None
    if has_users:
        wipe(get_engine(db_url))


def test_setup_signs_in_then_setup_is_gone_for_good(
    app_server: AppServer, page: Page, new_page: Callable[..., Page],
) -> None:
    _ensure_empty_database(app_server.db_url)

    # Any page of an empty installation leads to the setup form.
    page.goto(app_server.url("/"))
    expect(page).to_have_url(path_is("/setup"))
    expect(page.get_by_role("heading", name="Configura tu organización")).to_be_visible()
    wait_hydrated(page)

    page.get_by_label("Nombre de la organización").fill("Ferretería Andina")
    page.get_by_label("País").select_option("CO")
    # Picking a country brings its currency and time zone.
    expect(page.get_by_label("Moneda")).to_have_value("COP")
    expect(page.get_by_label("Zona horaria")).to_have_value("America/Bogota")
    page.get_by_label("Tu nombre").fill("Ana Admin")
    page.get_by_label("Correo electrónico").fill("Ana.Admin@Example.test")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repite la contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Crear organización").click()

    # Signed in on home right away.
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_role("heading", name="Hola, Ana Admin")).to_be_visible()
    expect(page.get_by_text("Bienvenido a Clientela, la base de clientes de Ferretería Andina.")
           ).to_be_visible()
    with db_session(app_server.db_url) as session:
        org = session.exec(select(Organization)).one()
        admin = session.exec(select(User)).one()
        assert (org.name, org.country, org.currency, org.timezone) == (
            "Ferretería Andina", "CO", "COP", "America/Bogota")
        assert (admin.email, admin.role, admin.must_change_password) == (
            "ana.admin@example.test", "admin", False)

    # Sign out through the user menu.
    page.get_by_role("button", name="Menú de usuario").click()
    page.get_by_role("menuitem", name="Cerrar sesión").click()
    expect(page).to_have_url(path_is("/login"))
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    # Signed out means signed out: a signed-in page sends back to sign-in.
    page.goto(app_server.url("/account"))
    expect(page).to_have_url(path_is("/login"))

    # Sign in again with the e-mail as typed at setup (any case).
    sign_in(page, app_server.base_url, "ana.admin@example.test", PASSWORD)
    expect(page.get_by_role("heading", name="Hola, Ana Admin")).to_be_visible()

    # Setup is gone for good: /setup sends to sign-in (which sends a signed-in user on home).
    page.goto(app_server.url("/setup"))
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_role("heading", name="Hola, Ana Admin")).to_be_visible()
    # A visitor with no session (a fresh browser) is sent to sign-in too.
    visitor = new_page()
    visitor.goto(app_server.url("/setup"))
    expect(visitor).to_have_url(path_is("/login"))
    expect(visitor.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
