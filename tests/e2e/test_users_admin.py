"""The Users page: an admin creates and disables users; a sales user is kept out of it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    PASSWORD,
    AppServer,
    make_org_with_admin,
    make_user,
    path_is,
    sign_in,
    unique_email,
    user_row,
    wait_hydrated,
    wait_until,
)

pytestmark = pytest.mark.e2e


def test_admin_creates_a_sales_user_who_must_change_the_temporary_password(
    app_server: AppServer, page: Page, new_page,
) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url("/settings/users"))
    expect(page.get_by_role("heading", name="Usuarios", exact=True)).to_be_visible()

    page.get_by_role("button", name="Nuevo usuario").click()
    dialog = page.get_by_role("dialog", name="Nuevo usuario")
    expect(dialog).to_be_visible()
    email = unique_email("sofia")
    dialog.get_by_label("Nombre").fill("Sofía Ventas")
    dialog.get_by_label("Correo electrónico").fill(email)
    dialog.get_by_label("Rol").select_option("sales")
    dialog.get_by_role("button", name="Crear").click()
    expect(dialog).to_be_hidden()

    # The temporary password is shown once, in its own dialog.
    secret = page.get_by_role("dialog", name="Contraseña temporal")
    expect(secret).to_be_visible()
    expect(secret).to_contain_text(email)
    temporary = (secret.get_by_label("Contraseña temporal").text_content() or "").strip()
    assert len(temporary) >= 12, temporary
    secret.get_by_role("button", name="Cerrar").click()
    expect(secret).to_be_hidden()
    expect(page.get_by_role("row", name="Sofía Ventas")).to_contain_text("Ventas")
    created = user_row(app_server.db_url, email)
    assert (created.role, created.must_change_password, created.organization_id) == (
        "sales", True, admin.organization_id)

    # The new user signs in with it and is sent to change it before anything else.
    sales = new_page()
    sign_in(sales, app_server.base_url, email, temporary, landing="/account")
    expect(sales.get_by_role("alert").filter(has_text="Debes cambiar tu contraseña temporal")).to_be_visible()
    sales.goto(app_server.url("/"))
    expect(sales).to_have_url(path_is("/account"))
    wait_hydrated(sales)

    sales.get_by_label("Contraseña actual").fill(temporary)
    sales.get_by_label("Nueva contraseña").fill(PASSWORD)
    sales.get_by_label("Repite la contraseña").fill(PASSWORD)
    sales.get_by_role("button", name="Cambiar contraseña").click()
    expect(sales).to_have_url(path_is("/"))
    expect(sales.get_by_role("heading", name="Hola, Sofía Ventas")).to_be_visible()
    assert user_row(app_server.db_url, email).must_change_password is False


def test_sales_user_gets_403_on_the_users_page_and_no_users_entry(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sales = make_user(app_server.db_url, admin, "sales", change_password=True)
    sign_in(page, app_server.base_url, sales.email, sales.password)

    nav = page.get_by_role("navigation", name="Menú")
    expect(nav.get_by_role("link", name="Inicio")).to_be_visible()
    expect(nav.get_by_role("link", name="Usuarios")).to_have_count(0)
    expect(page.get_by_role("link", name="Gestionar usuarios")).to_have_count(0)

    page.goto(app_server.url("/settings/users"))
    expect(page.get_by_role("heading", name="Acceso denegado")).to_be_visible()
    expect(page.get_by_text("Tu rol no permite abrir esta página.")).to_be_visible()
    expect(page.get_by_role("heading", name="Usuarios", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Nuevo usuario")).to_have_count(0)
    expect(page.get_by_text(admin.email)).to_have_count(0)
    expect(page.get_by_role("navigation", name="Menú").get_by_role("link", name="Usuarios")).to_have_count(0)


def test_disabled_user_is_signed_out_on_his_next_event(app_server: AppServer, page: Page, new_page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sales = make_user(app_server.db_url, admin, "sales", change_password=True)

    # B: the sales user, signed in and idle on home.
    b = new_page(viewport={"width": 1280, "height": 800})
    sign_in(b, app_server.base_url, sales.email, sales.password)
    expect(b.get_by_role("heading", name=f"Hola, {sales.name}")).to_be_visible()

    # A: the admin disables him.
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url("/settings/users"))
    page.get_by_role("button", name=f"Deshabilitar {sales.email}").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(f"¿Deshabilitar a {sales.email}?")
    confirm.get_by_role("button", name="Confirmar").click()
    expect(confirm).to_be_hidden()
    expect(page.get_by_role("button", name=f"Habilitar {sales.email}")).to_be_visible()
    wait_until(lambda: user_row(app_server.db_url, sales.email).is_active is False, message="user disabled")

    # B's next event (following a link runs the page guard) ends his session.
    b.get_by_role("navigation", name="Menú").get_by_role("link", name="Clientes").click()
    expect(b).to_have_url(path_is("/login"))
    # The guard alone notices it (page loads only run once access is granted): one toast.
    expect(b.get_by_text("Tu sesión terminó. Inicia sesión de nuevo.")).to_have_count(1)
    expect(b.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    b.goto(app_server.url("/"))
    expect(b).to_have_url(path_is("/login"))


def test_users_on_a_phone_are_cards_whose_controls_work(app_server: AppServer, phone_page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sales = make_user(app_server.db_url, admin, change_password=True)
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    phone_page.goto(app_server.url("/settings/users"))
    expect(phone_page.get_by_role("heading", name="Usuarios", exact=True)).to_be_visible()
    wait_hydrated(phone_page)

    # One card per user and no table (not even a hidden one); nothing makes the page scroll sideways.
    expect(phone_page.get_by_text(sales.email, exact=True)).to_be_visible()
    expect(phone_page.get_by_role("table")).to_have_count(0)
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone_page.get_by_label(f"Cambiar rol {sales.email}").select_option("admin")
    wait_until(lambda: user_row(app_server.db_url, sales.email).role == "admin", message="role saved")
