"""Sign-in failures, throttling and the 404 page.

Failed sign-ins also count per address (20 in 15 minutes from 127.0.0.1 would block every account of
the session): this module makes 7 failures, the only ones of the e2e session.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    AppServer,
    failed_sign_ins,
    fill_sign_in,
    make_org_with_admin,
    open_sign_in,
    path_is,
    unique_email,
    wait_until,
)

pytestmark = pytest.mark.e2e

INVALID = "Correo o contraseña incorrectos."
THROTTLED = re.compile(r"^Demasiados intentos fallidos\. Inténtalo de nuevo en \d+ minutos\.$")


def _alert(page: Page):
    return page.get_by_role("alert").filter(has_text=re.compile("incorrectos|Demasiados intentos"))


def test_wrong_password_and_unknown_email_show_the_same_message(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)

    open_sign_in(page, app_server.base_url)
    fill_sign_in(page, admin.email, admin.password + "-wrong")
    expect(_alert(page)).to_have_text(INVALID)
    expect(page).to_have_url(path_is("/login"))

    open_sign_in(page, app_server.base_url)
    expect(_alert(page)).to_have_count(0)
    unknown = unique_email("nobody")
    fill_sign_in(page, unknown, admin.password)
    expect(_alert(page)).to_have_text(INVALID)
    expect(page).to_have_url(path_is("/login"))
    assert failed_sign_ins(app_server.db_url, admin.email) == 1
    assert failed_sign_ins(app_server.db_url, unknown) == 1


def test_five_failures_lock_the_account_even_for_the_right_password(
    app_server: AppServer, page: Page,
) -> None:
    admin = make_org_with_admin(app_server.db_url)
    open_sign_in(page, app_server.base_url)
    for attempt in range(1, 6):
        fill_sign_in(page, admin.email, f"wrong password {attempt}")
        # Each submission is answered before the next (the banner text does not change between them).
        wait_until(lambda n=attempt: failed_sign_ins(app_server.db_url, admin.email) == n,
                   message=f"failed attempt {attempt} to be recorded")
        expect(_alert(page)).to_have_text(INVALID)

    fill_sign_in(page, admin.email, admin.password)
    expect(_alert(page)).to_have_text(THROTTLED)
    expect(page).to_have_url(path_is("/login"))
    # A throttled attempt is refused before the password is checked: it is not a new failure.
    assert failed_sign_ins(app_server.db_url, admin.email) == 5
    # Still refused on a fresh page: the lock lives on the server.
    open_sign_in(page, app_server.base_url)
    fill_sign_in(page, admin.email, admin.password)
    expect(_alert(page)).to_have_text(THROTTLED)
    page.goto(app_server.url("/"))
    expect(page).to_have_url(path_is("/login"))


def test_unknown_route_shows_the_404_page(app_server: AppServer, page: Page) -> None:
    response = page.goto(app_server.url("/no/such/page"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Página no encontrada")).to_be_visible()
    expect(page.get_by_text("La dirección no existe o ya no está disponible.")).to_be_visible()
    expect(page.get_by_role("link", name="Ir al inicio")).to_have_attribute("href", "/")


def test_sign_in_form_submitted_before_hydration_keeps_the_password_out_of_the_url(
    app_server: AppServer, new_page,
) -> None:
    # The page is prerendered: until its JavaScript runs (slow phone, JS off), the <form> is a plain
    # HTML form. A GET submission would put the password in the address, the history and access logs.
    page = new_page(java_script_enabled=False)
    page.goto(app_server.url("/login"))
    page.get_by_label("Correo electrónico").fill("someone@example.test")
    page.get_by_label("Contraseña", exact=True).fill("not-in-the-url-123")
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()
    assert "not-in-the-url-123" not in page.url
    assert "password=" not in page.url
