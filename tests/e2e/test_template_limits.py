"""Issue 19, finding 1, end to end: the probe typed a nested-loop body into the template editor and
another user's sign-in page did not load for 30 s. Now the body is refused next to the field while
typing, and another browser still gets the sign-in page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import MessageTemplate
from tests.e2e.conftest import (
    AppServer,
    db_session,
    make_org_with_admin,
    open_sign_in,
    sign_in,
    wait_hydrated,
)

pytestmark = pytest.mark.e2e

NESTED_LOOP = "{% for i in range(100000) %}{% for j in range(3000) %}x{% endfor %}{% endfor %}"


def test_a_nested_loop_body_is_refused_next_to_the_body_and_others_still_get_in(
    app_server: AppServer, page: Page, new_page: Callable[..., Page]
) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url("/templates"))
    expect(page.get_by_role("heading", name="Plantillas de mensajes")).to_be_visible()
    wait_hydrated(page)
    page.get_by_role("button", name="Nueva plantilla").click()
    page.get_by_role("menuitem", name="SMS").click()
    dialog = page.get_by_role("dialog", name="Nueva plantilla")
    dialog.get_by_label("Nombre", exact=True).fill("Bucle")

    body = dialog.get_by_label("Texto", exact=True)
    body.fill(NESTED_LOOP)
    expect(dialog.get_by_text(
        "Las repeticiones ({% for %}) no están permitidas en una plantilla (línea 1).")).to_be_visible()
    expect(body).to_have_attribute("aria-invalid", "true")

    # Meanwhile another user, in another browser, gets the sign-in page as usual.
    other = new_page()
    open_sign_in(other, app_server.base_url)

    body.fill("{{ 'a' * 300000000 }}")
    expect(dialog.get_by_text("Las operaciones («*») no están permitidas")).to_be_visible()
    dialog.get_by_role("button", name="Guardar").click()
    expect(dialog.get_by_text("Las operaciones («*») no están permitidas")).to_be_visible()
    with db_session(app_server.db_url) as session:
        assert session.exec(select(MessageTemplate).where(
            MessageTemplate.organization_id == admin.organization_id)).first() is None

    body.fill("Hola {{ first_name|upper }}")
    expect(dialog.get_by_text("no están permitidas")).to_have_count(0)
    expect(body).to_have_attribute("aria-invalid", "false")
