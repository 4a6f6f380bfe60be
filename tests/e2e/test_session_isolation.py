"""One browser tab, several users (shared counters, kiosks), and a session out of scripts' reach (issue 19,
security findings 2 and 3).

* Sign-out, sign-in and an ended session reset every state of the tab: the next user's websocket never
  carries the last user's rows, and a refused (403) or missing (404) page shows nothing it held before.
* The session token lives only in an HttpOnly cookie set over HTTP: it is never in ``document.cookie``,
  in any websocket frame, or in the state; cookies cleared in an open tab end its session at the next
  event (the page's ``crm_marker`` no longer matches).
* A visitor who never signed in is not told that his session ended; an unknown ``crm_lang`` cookie
  does not break the profile.

Names and texts of the first organization are ASCII with a random suffix, so a frame that carries them
(JSON-escaped or not) is found by a plain substring search.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, WebSocket, expect
from sqlmodel import select

from crm_app.domain.customers import CustomerInput
from crm_app.models import Comment
from crm_app.services import comments
from crm_app.services.customers import create_customer
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    fill_sign_in,
    make_org_with_admin,
    make_user,
    path_is,
    sign_in,
    unique_email,
    wait_hydrated,
)

pytestmark = pytest.mark.e2e

ENDED = "Tu sesión terminó. Inicia sesión de nuevo."


def record_frames(page: Page) -> list[str]:
    """Every frame received by the websockets the page opens from now on."""
    frames: list[str] = []

    def watch(ws: WebSocket) -> None:
        ws.on("framereceived", lambda payload: frames.append(
            payload if isinstance(payload, str) else payload.decode("utf-8", "replace")))

    page.on("websocket", watch)
    return frames


def leaks(frames: list[str], secrets_: list[str]) -> list[str]:
    return [s for s in secrets_ if any(s in frame for frame in frames)]


def make_customer_with_comment(db_url: str, owner: Person, tag: str) -> tuple[int, str, str]:
    first, body = f"Zeta{tag}", f"Secreto {tag} no se comparte"
    with db_session(db_url) as session:
        data = CustomerInput(client_type="person", first_name=first, last_name="Vera")
        customer = create_customer(session=session, actor=owner.actor, data=data)
        comments.add_comment(session=session, actor=owner.actor, customer_id=customer.id, body=body)
    return customer.id, f"{first} Vera", body


def comment_count(db_url: str, customer_id: int) -> int:
    with db_session(db_url) as session:
        return len(session.exec(select(Comment.id).where(Comment.customer_id == customer_id)).all())


def open_profile(page: Page, server: AppServer, customer_id: int, name: str, body: str) -> None:
    page.goto(server.url(f"/customers/{customer_id}"))
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_role("list", name="Actividad").get_by_text(body)).to_be_visible()
    wait_hydrated(page)


def sign_out_from_the_user_menu(page: Page) -> None:
    page.get_by_role("button", name="Menú de usuario").click()
    page.get_by_role("menuitem", name="Cerrar sesión").click()
    expect(page).to_have_url(path_is("/login"))
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    expect(page.get_by_text("Sesión cerrada.")).to_be_visible()
    wait_hydrated(page)


def org_one(server: AppServer) -> tuple[Person, Person, int, str, str]:
    tag = secrets.token_hex(4)
    admin = make_org_with_admin(server.db_url, unique_email("ana"), org_name=f"Andina {tag}",
                                name=f"Ana Admin {tag}")
    colleague = make_user(server.db_url, admin, "sales", name=f"Pablo Ventas {tag}", change_password=True)
    customer_id, name, body = make_customer_with_comment(server.db_url, admin, tag)
    return admin, colleague, customer_id, name, body


def test_the_next_user_of_a_tab_receives_nothing_of_the_last_one(app_server: AppServer, page: Page) -> None:
    ana, pablo, customer_id, customer_name, comment = org_one(app_server)
    luis = make_org_with_admin(app_server.db_url, unique_email("luis"), name="Luis Otro")
    org_one_data = [ana.email, pablo.email, ana.name, pablo.name, customer_name, comment]

    # Ana (organization 1, admin) sees her users and a customer, then signs out from the user menu.
    sign_in(page, app_server.base_url, ana.email, ana.password)
    page.goto(app_server.url("/settings/users"))
    expect(page.get_by_text(pablo.email, exact=True)).to_be_visible()
    open_profile(page, app_server, customer_id, customer_name, comment)
    frames = record_frames(page)  # every socket the tab opens from here on
    sign_out_from_the_user_menu(page)

    # Reloading the sign-in page sends nothing of hers either.
    page.reload()
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    wait_hydrated(page)

    # Luis (organization 2) signs in in the same tab and opens the same pages.
    fill_sign_in(page, luis.email, luis.password)
    expect(page.get_by_role("heading", name=f"Hola, {luis.name}")).to_be_visible()
    page.goto(app_server.url("/settings/users"))
    expect(page.get_by_text(luis.email, exact=True)).to_be_visible()
    page.goto(app_server.url(f"/customers/{customer_id}"))
    expect(page.get_by_text("Cliente no encontrado")).to_be_visible()

    assert frames, "no websocket frame was recorded"
    assert leaks(frames, org_one_data) == []


def test_a_sales_user_after_an_admin_gets_no_admin_data_on_refused_pages(
    app_server: AppServer, page: Page,
) -> None:
    ana, pablo, _, _, _ = org_one(app_server)
    other_admin = make_user(app_server.db_url, ana, "admin", name="Otra Admin", change_password=True)

    sign_in(page, app_server.base_url, ana.email, ana.password)
    page.goto(app_server.url("/settings/users"))
    expect(page.get_by_text(other_admin.email, exact=True)).to_be_visible()
    page.goto(app_server.url("/settings"))
    expect(page.get_by_role("heading", name="Configuración", level=1)).to_be_visible()
    frames = record_frames(page)
    sign_out_from_the_user_menu(page)

    fill_sign_in(page, pablo.email, pablo.password)
    expect(page.get_by_role("heading", name=f"Hola, {pablo.name}")).to_be_visible()
    for path in ("/settings/users", "/settings"):
        page.goto(app_server.url(path))
        expect(page.get_by_role("heading", name="Acceso denegado")).to_be_visible()
    assert leaks(frames, [ana.email, other_admin.email, other_admin.name]) == []


def test_the_token_stays_out_of_scripts_and_clearing_cookies_ends_the_open_tab(
    app_server: AppServer, context: BrowserContext, page: Page,
) -> None:
    ana, _, customer_id, customer_name, comment = org_one(app_server)
    frames = record_frames(page)
    sign_in(page, app_server.base_url, ana.email, ana.password)
    open_profile(page, app_server, customer_id, customer_name, comment)

    cookies = {c["name"]: c for c in context.cookies()}
    session_cookie = cookies["crm_session"]
    assert session_cookie["httpOnly"] is True and session_cookie["sameSite"] == "Strict"
    token = session_cookie["value"]
    assert len(token) >= 40
    assert "crm_session" not in page.evaluate("() => document.cookie")
    assert "crm_marker=" in page.evaluate("() => document.cookie")
    assert not any(token in frame for frame in frames)

    # Cookies cleared while the page stays open: the next event is refused and leads to sign-in.
    before = comment_count(app_server.db_url, customer_id)
    context.clear_cookies()
    box = page.get_by_role("textbox", name="Comentario")
    box.fill("Escrito sin sesion")
    page.get_by_role("button", name="Publicar").click()
    expect(page).to_have_url(path_is("/login"))
    expect(page.get_by_text(ENDED)).to_be_visible()
    assert comment_count(app_server.db_url, customer_id) == before
    page.goto(app_server.url(f"/customers/{customer_id}"))
    expect(page).to_have_url(path_is("/login"))


def test_a_first_time_visitor_is_not_told_his_session_ended(
    app_server: AppServer, new_page: Callable[..., Page],
) -> None:
    make_org_with_admin(app_server.db_url)  # the installation is set up: no setup page
    visitor = new_page()
    visitor.goto(app_server.url("/customers"))
    expect(visitor).to_have_url(path_is("/login"))
    expect(visitor.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    wait_hydrated(visitor)
    expect(visitor.get_by_text(ENDED)).to_have_count(0)
    visitor.goto(app_server.url("/setup"))
    expect(visitor).to_have_url(path_is("/login"))
    expect(visitor.get_by_text(ENDED)).to_have_count(0)


def test_an_unknown_language_cookie_leaves_the_profile_working(
    app_server: AppServer, context: BrowserContext, page: Page,
) -> None:
    ana, _, customer_id, customer_name, comment = org_one(app_server)
    sign_in(page, app_server.base_url, ana.email, ana.password)
    context.add_cookies([{"name": "crm_lang", "value": "xx", "url": app_server.base_url}])
    open_profile(page, app_server, customer_id, customer_name, comment)
    expect(page.get_by_role("textbox", name="Comentario")).to_be_visible()
    # The cookie now holds the user's own language.
    assert {c["name"]: c["value"] for c in context.cookies()}.get("crm_lang") in {"es", "en"}
