"""The client picker end to end (issue 13), driven on the account page's "add member": a name typed
without accents finds the customer; a conflictive one asks first, naming the flag; "+ Nuevo cliente"
creates one inline and he comes back picked (on this page: added as a member, with the role chosen
beside the picker); a refused quick save keeps the dialog open with its error and the page as it was.
On a phone every target is at least 44 px high.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from crm_app.domain.accounts import AccountInput
from crm_app.domain.customers import CustomerInput, PhoneInput
from crm_app.services.accounts import create_account
from crm_app.services.customers import create_customer
from tests.e2e.conftest import AppServer, Person, db_session, make_org_with_admin, sign_in, wait_hydrated

pytestmark = pytest.mark.e2e

SEARCH = "Buscar clientes para agregar"


def _customer(db_url: str, owner: Person, first: str, last: str, **extra) -> int:
    data = CustomerInput(client_type="person", first_name=first, last_name=last, **extra)
    with db_session(db_url) as session:
        return create_customer(session=session, actor=owner.actor, data=data).id


def _members_page(app_server: AppServer, page: Page) -> Person:
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        account = create_account(session=session, actor=admin.actor, data=AccountInput(name="Cuenta Picker"))
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/accounts/{account.id}"))
    expect(page.get_by_role("heading", name="Cuenta Picker", level=1)).to_be_visible()
    wait_hydrated(page)
    page.get_by_role("button", name="Miembros", exact=True).click()
    expect(page.get_by_text("Esta cuenta aún no tiene miembros.")).to_be_visible()
    return admin


def test_search_confirm_and_create_through_the_picker(app_server: AppServer, page: Page) -> None:
    admin = _members_page(app_server, page)
    _customer(app_server.db_url, admin, "Lucía", "Muñoz", phones=(PhoneInput("0991234567"),))
    _customer(app_server.db_url, admin, "Raúl", "Rudo", is_conflictive=True)
    search = page.get_by_label(SEARCH)

    # A name typed without accents finds the customer; his phone tells namesakes apart.
    search.fill("lucia munoz")
    result = page.get_by_role("button", name="Lucía Muñoz", exact=True)
    expect(result).to_contain_text("99 123 4567")
    result.click()
    expect(page.get_by_role("link", name="Lucía Muñoz", exact=True)).to_be_visible()
    expect(search).to_have_value("")  # ready for the next one

    # A conflictive customer asks first, naming the flag; "Cancelar" picks nobody.
    search.fill("rudo")
    rudo = page.get_by_role("button", name="Raúl Rudo", exact=True)
    expect(rudo.get_by_text("Conflictivo")).to_be_visible()
    rudo.click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Raúl Rudo está marcado como conflictivo. ¿Elegirlo igualmente?")
    confirm.get_by_role("button", name="Cancelar").click()
    expect(confirm).to_have_count(0)
    expect(rudo).to_be_focused()  # focus back on what opened it
    expect(page.get_by_role("link", name="Raúl Rudo", exact=True)).to_have_count(0)
    rudo.click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirmar").click()
    expect(page.get_by_role("link", name="Raúl Rudo", exact=True)).to_be_visible()

    # "+ Nuevo cliente": a refused save keeps the dialog and its error, and the page as it was typed.
    page.get_by_label("Rol al agregar").select_option("billing")
    search.fill("pia")
    expect(page.get_by_text("Ningún cliente coincide.")).to_be_visible()
    page.get_by_role("button", name="Nuevo cliente").click()
    quick = page.get_by_role("dialog", name="Nuevo cliente")
    expect(quick).to_be_visible()
    quick.get_by_role("button", name="Guardar").click()
    expect(quick.get_by_role("alert").filter(has_text="Revisa los campos marcados.")).to_be_visible()
    expect(quick).to_be_visible()
    quick.get_by_label("Nombres", exact=True).fill("Pía")
    quick.get_by_label("Apellidos", exact=True).fill("Nueva")
    quick.get_by_role("button", name="Guardar").click()
    expect(quick).to_be_hidden()
    # He comes back picked: on the account page that is a member, with the role chosen before.
    expect(page.get_by_label("Rol en la cuenta Pía Nueva")).to_have_value("billing")
    expect(page.get_by_label("Rol al agregar")).to_have_value("billing")


def test_the_picker_on_a_phone(app_server: AppServer, phone_page: Page) -> None:
    page = phone_page
    admin = _members_page(app_server, page)
    _customer(app_server.db_url, admin, "Lucía", "Muñoz", is_supplier=True)
    page.get_by_label(SEARCH).fill("munoz")
    result = page.get_by_role("button", name="Lucía Muñoz", exact=True)
    expect(result.get_by_text("Proveedor")).to_be_visible()
    for target in (page.get_by_label(SEARCH), result, page.get_by_role("button", name="Nuevo cliente")):
        box = target.bounding_box()
        assert box is not None and box["height"] >= 44, box
    result.click()
    expect(page.get_by_role("link", name="Lucía Muñoz", exact=True)).to_be_visible()
