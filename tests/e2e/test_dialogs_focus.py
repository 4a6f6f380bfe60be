"""Dialogs and focus (issue 19): a dialog never comes back after a reload nor follows the user to
another page; closing one (save, cancel, Esc) gives focus back to the control that opened it; a
refused save puts focus on the first field in error; and the customer flow works from the keyboard
alone (create, edit, comment), with the confirmation toasts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import AppServer, Person, make_org_with_admin, path_is, sign_in, wait_hydrated
from tests.e2e.test_customers import PROFILE_URL, make_customer

pytestmark = pytest.mark.e2e


def signed_in_admin(app_server: AppServer, page: Page) -> Person:
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    return admin


def open_page(page: Page, app_server: AppServer, path: str, heading: str) -> None:
    page.goto(app_server.url(path))
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    wait_hydrated(page)


def reload(page: Page, heading: str) -> None:
    """F5, then wait until the page is hydrated and its on_load has answered (the heading is data)."""
    page.reload()
    wait_hydrated(page)
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def is_focused(target: Locator) -> bool:
    return target.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    expect(target).to_be_visible()
    for _ in range(limit):
        if is_focused(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never got the focus after {limit} Tab presses")


def no_dialog(page: Page) -> None:
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("alertdialog")).to_have_count(0)


# --- keyboard only -------------------------------------------------------------------------------------


def test_keyboard_only_create_edit_and_comment(app_server: AppServer, page: Page) -> None:
    signed_in_admin(app_server, page)
    open_page(page, app_server, "/customers", "Clientes")

    # Create: the dialog opens with the focus on its first field.
    new_customer = page.get_by_role("button", name="Nuevo cliente")
    tab_to(page, new_customer)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Nuevo cliente")
    first_name = dialog.get_by_label("Nombres", exact=True)
    expect(first_name).to_be_focused()
    page.keyboard.type("Lucía")
    page.keyboard.press("Enter")  # submits without a last name: refused

    last_name = dialog.get_by_label("Apellidos", exact=True)
    expect(last_name).to_have_attribute("aria-invalid", "true")
    expect(last_name).to_be_focused()
    error = dialog.locator("#customer-last_name-error")
    expect(error).to_be_visible()
    expect(last_name).to_have_attribute("aria-describedby", "customer-last_name-error")
    expect(first_name).not_to_have_attribute("aria-describedby", re.compile(".+"))

    page.keyboard.type("Teclado")
    page.keyboard.press("Enter")
    expect(page).to_have_url(PROFILE_URL)
    expect(page.get_by_role("heading", name="Lucía Teclado", level=1)).to_be_visible()
    expect(page.get_by_text("Cliente Lucía Teclado creado.")).to_be_visible()
    no_dialog(page)

    # Edit: Esc closes the dialog and the focus is back on "Editar".
    edit = page.get_by_role("main").get_by_role("button", name="Editar", exact=True)
    tab_to(page, edit)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Editar cliente")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(edit).to_be_focused()

    # Edit again and save: back on "Editar" after the save.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    last_name = dialog.get_by_label("Apellidos", exact=True)
    tab_to(page, last_name)
    page.keyboard.press("Control+A")
    page.keyboard.type("Teclas")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", name="Lucía Teclas", level=1)).to_be_visible()
    expect(edit).to_be_focused()

    # Comment: type, Tab to "Publicar", Enter; the same short confirmation as the other actions.
    comment = page.get_by_label("Comentario", exact=True)
    tab_to(page, comment)
    page.keyboard.type("Llamar el lunes")
    post = page.get_by_role("button", name="Publicar", exact=True)
    tab_to(page, post)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Comentario publicado.")).to_be_visible()
    expect(page.get_by_role("main").get_by_text("Llamar el lunes")).to_be_visible()


# --- reload and navigation -----------------------------------------------------------------------------


def test_customer_dialog_does_not_come_back_after_f5_nor_follow_to_another_page(
    app_server: AppServer, page: Page,
) -> None:
    admin = signed_in_admin(app_server, page)
    customer_id = make_customer(app_server.db_url, admin, "Rosa", "Vera")
    open_page(page, app_server, "/customers", "Clientes")

    page.get_by_role("button", name="Nuevo cliente").click()
    expect(page.get_by_role("dialog", name="Nuevo cliente")).to_be_visible()
    reload(page, "Clientes")
    expect(page.get_by_role("link", name="Rosa Vera", exact=True).first).to_be_visible()
    no_dialog(page)

    # Open it again, then leave with the browser's Back (a navigation inside the app, no reload).
    page.get_by_role("link", name="Rosa Vera", exact=True).first.click()
    expect(page).to_have_url(path_is(f"/customers/{customer_id}"))
    page.get_by_role("link", name="Volver a clientes").click()
    expect(page).to_have_url(path_is("/customers"))
    page.get_by_role("button", name="Nuevo cliente").click()
    expect(page.get_by_role("dialog", name="Nuevo cliente")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="Rosa Vera", level=1)).to_be_visible()
    no_dialog(page)
    # ...and it is not waiting on the list either.
    page.go_forward()
    expect(page.get_by_role("heading", name="Clientes", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Rosa Vera", exact=True).first).to_be_visible()
    no_dialog(page)

    # The profile's own dialogs: the delete confirmation does not survive F5 either.
    page.get_by_role("link", name="Rosa Vera", exact=True).first.click()
    page.get_by_role("main").get_by_role("button", name="Eliminar", exact=True).click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    reload(page, "Rosa Vera")
    no_dialog(page)


def test_invite_and_template_dialogs_do_not_come_back_after_f5_nor_follow(
    app_server: AppServer, page: Page,
) -> None:
    signed_in_admin(app_server, page)
    open_page(page, app_server, "/invitations", "Invitaciones")
    page.get_by_role("button", name="Invitar cliente").click()
    expect(page.get_by_role("dialog", name="Invitar cliente")).to_be_visible()
    reload(page, "Invitaciones")
    no_dialog(page)

    page.get_by_role("button", name="Invitar cliente").click()
    expect(page.get_by_role("dialog", name="Invitar cliente")).to_be_visible()
    page.keyboard.press("Escape")
    open_page(page, app_server, "/templates", "Plantillas de mensajes")
    page.get_by_role("button", name="Nueva plantilla").click()
    page.get_by_role("menuitem", name="Correo").click()
    expect(page.get_by_role("dialog", name="Nueva plantilla")).to_be_visible()
    reload(page, "Plantillas de mensajes")
    no_dialog(page)

    # Open the editor, go Back to /invitations: neither dialog is open there, nor on the way back.
    page.get_by_role("button", name="Nueva plantilla").click()
    page.get_by_role("menuitem", name="Correo").click()
    expect(page.get_by_role("dialog", name="Nueva plantilla")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="Invitaciones", level=1)).to_be_visible()
    no_dialog(page)
    page.go_forward()
    expect(page.get_by_role("heading", name="Plantillas de mensajes", level=1)).to_be_visible()
    no_dialog(page)


# --- focus after closing -------------------------------------------------------------------------------


def test_focus_returns_to_the_opener_after_esc_cancel_and_save(app_server: AppServer, page: Page) -> None:
    admin = signed_in_admin(app_server, page)
    make_customer(app_server.db_url, admin, "Hugo", "Paz")
    open_page(page, app_server, "/customers", "Clientes")

    # A row's delete confirmation: Cancel, then Esc.
    delete = page.get_by_role("button", name="Eliminar Hugo Paz").first
    delete.click()
    confirm = page.get_by_role("alertdialog")
    confirm.get_by_role("button", name="Cancelar").click()
    expect(confirm).to_be_hidden()
    expect(delete).to_be_focused()
    delete.press("Enter")
    expect(confirm).to_be_visible()
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(delete).to_be_focused()

    # The invite dialog: Cancel.
    invite = page.get_by_role("button", name="Invitar cliente")
    invite.click()
    dialog = page.get_by_role("dialog", name="Invitar cliente")
    dialog.get_by_role("button", name="Cancelar").click()
    expect(dialog).to_be_hidden()
    expect(invite).to_be_focused()

    # A row's edit dialog: a refused save focuses the field in error; Save returns to the row's button.
    edit = page.get_by_role("button", name="Editar Hugo Paz").first
    edit.click()
    dialog = page.get_by_role("dialog", name="Editar cliente")
    last_name = dialog.get_by_label("Apellidos", exact=True)
    last_name.fill("")
    dialog.get_by_role("button", name="Guardar").focus()
    dialog.get_by_role("button", name="Guardar").press("Enter")
    expect(last_name).to_be_focused()
    last_name.fill("Paredes")
    dialog.get_by_role("button", name="Guardar").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("link", name="Hugo Paredes", exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="Editar Hugo Paredes").first).to_be_focused()

    # The template editor, opened from a menu: Esc gives the focus back to the menu's button.
    open_page(page, app_server, "/templates", "Plantillas de mensajes")
    new_template = page.get_by_role("button", name="Nueva plantilla")
    new_template.click()
    page.get_by_role("menuitem", name="Correo").click()
    editor = page.get_by_role("dialog", name="Nueva plantilla")
    expect(editor).to_be_visible()
    # A refused save (no name) focuses the name.
    editor.get_by_role("button", name="Guardar").click()
    expect(editor.get_by_label("Nombre", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(editor).to_be_hidden()
    expect(new_template).to_be_focused()


def test_creating_a_task_gives_a_confirmation(app_server: AppServer, page: Page) -> None:
    admin = signed_in_admin(app_server, page)
    customer_id = make_customer(app_server.db_url, admin, "Ana", "Tareas")
    open_page(page, app_server, f"/customers/{customer_id}", "Ana Tareas")
    page.get_by_role("tab", name="Tarea").click()
    page.get_by_label("Título de la tarea", exact=True).fill("Enviar la cotización")
    page.get_by_role("button", name="Crear tarea").click()
    expect(page.get_by_text("Tarea creada.")).to_be_visible()
