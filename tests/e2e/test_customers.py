"""Customers end to end (issue #3): create through the dialog, validation messages, duplicate phones,
search, tag filter, trash and restore, and the phone layout.

Every test makes its own Ecuadorian organization (cédula, +593 numbers) through the services, so
the tests depend on nothing else and can run in any order.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func
from sqlmodel import select

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.models import Customer
from crm_app.services.customers import create_customer
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    make_org_with_admin,
    path_is,
    sign_in,
    wait_hydrated,
)

pytestmark = pytest.mark.e2e

SEARCH = "Buscar por nombre, identificación, teléfono o correo"
PROFILE_URL = re.compile(r"^https?://[^/]+/customers/(\d+)/?$")


# --- data through the services -------------------------------------------------------------------------


def make_customer(db_url: str, owner: Person, first: str, last: str, *, phones: tuple[str, ...] = (),
                  emails: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> int:
    """A person customer of ``owner``'s organization, created through the service; returns his id."""
    data = CustomerInput(client_type="person", first_name=first, last_name=last,
                         phones=tuple(PhoneInput(number=n, primary=i == 0) for i, n in enumerate(phones)),
                         emails=tuple(EmailInput(address=a, primary=i == 0) for i, a in enumerate(emails)),
                         tags=tags)
    with db_session(db_url) as session:
        return create_customer(session=session, actor=owner.actor, data=data).id


def customer_count(db_url: str, organization_id: int, *, include_deleted: bool = True) -> int:
    with db_session(db_url) as session:
        query = select(func.count()).select_from(Customer).where(Customer.organization_id == organization_id)
        if not include_deleted:
            query = query.where(Customer.deleted_at.is_(None))
        return session.exec(query).one()


def deleted_at(db_url: str, customer_id: int):
    with db_session(db_url) as session:
        return session.get(Customer, customer_id).deleted_at


# --- UI helpers ----------------------------------------------------------------------------------------


def signed_in_admin(app_server: AppServer, page: Page) -> Person:
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    return admin


def open_list(page: Page, app_server: AppServer, query: str = "") -> None:
    page.goto(app_server.url("/customers" + query))
    expect(page.get_by_role("heading", name="Clientes", exact=True)).to_be_visible()
    wait_hydrated(page)


def customer_link(page: Page, name: str) -> Locator:
    """The visible link to a customer's profile (table on a desktop, card on a phone)."""
    return page.get_by_role("link", name=name, exact=True)


def list_rows(page: Page) -> Locator:
    return page.get_by_role("table").locator("tbody tr")


def open_new_customer_dialog(page: Page) -> Locator:
    page.get_by_role("button", name="Nuevo cliente").click()
    dialog = page.get_by_role("dialog", name="Nuevo cliente")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Nombres", exact=True)).to_be_visible()
    return dialog


def add_tag(dialog: Locator, tag: str) -> None:
    dialog.get_by_label("Etiquetas", exact=True).fill(tag)
    dialog.get_by_role("button", name="Agregar", exact=True).click()
    expect(dialog.get_by_role("button", name=f"Quitar etiqueta {tag}", exact=True)).to_be_visible()
    expect(dialog.get_by_label("Etiquetas", exact=True)).to_have_value("")


# --- tests ---------------------------------------------------------------------------------------------


def test_create_a_person_with_two_phones_two_emails_and_two_tags(app_server: AppServer, page: Page) -> None:
    admin = signed_in_admin(app_server, page)
    open_list(page, app_server)
    dialog = open_new_customer_dialog(page)

    expect(dialog.get_by_label("Persona natural")).to_be_checked()
    dialog.get_by_label("Nombres", exact=True).fill("María José")
    dialog.get_by_label("Apellidos", exact=True).fill("Andrade Vela")
    expect(dialog.get_by_label("Tipo de identificación", exact=True)).to_have_value("cedula")
    dialog.get_by_label("Número de identificación", exact=True).fill("1710034065")

    dialog.get_by_label("Teléfono 1", exact=True).fill("099 123 4567")
    dialog.get_by_role("group", name="Datos del teléfono 1", exact=True).get_by_label("WhatsApp").check()
    dialog.get_by_role("button", name="Agregar teléfono").click()
    dialog.get_by_label("Teléfono 2", exact=True).fill("0987654321")
    dialog.get_by_label("Tipo de teléfono 2", exact=True).select_option("work")

    dialog.get_by_label("Correo electrónico 1", exact=True).fill("Maria.Andrade@Example.com")
    dialog.get_by_label("Acepta recibir correos 1", exact=True).check()
    dialog.get_by_role("button", name="Agregar correo").click()
    dialog.get_by_label("Correo electrónico 2", exact=True).fill("mjandrade@trabajo.example.com")

    add_tag(dialog, "VIP")
    add_tag(dialog, "Mayorista")

    dialog.get_by_role("button", name="Guardar").click()
    expect(page).to_have_url(PROFILE_URL)
    customer_id = int(PROFILE_URL.match(page.url).group(1))
    expect(page.get_by_role("heading", name="María José Andrade Vela", level=1)).to_be_visible()
    assert customer_count(app_server.db_url, admin.organization_id) == 1

    # Both phones in international format; only the WhatsApp one gets a WhatsApp link.
    for international, e164 in (("+593 99 123 4567", "+593991234567"), ("+593 98 765 4321", "+593987654321")):
        call = page.get_by_role("link", name=f"Llamar {international}")
        expect(call).to_have_attribute("href", f"tel:{e164}")
    whatsapp = page.get_by_role("link", name=re.compile(r"^Abrir WhatsApp"))
    expect(whatsapp).to_have_count(1)
    expect(whatsapp).to_have_accessible_name("Abrir WhatsApp +593 99 123 4567")
    expect(whatsapp).to_have_attribute("href", "https://wa.me/593991234567")
    # Both e-mails (lower-cased) and both tags.
    expect(page.get_by_role("link", name="Escribir correo maria.andrade@example.com")).to_have_attribute(
        "href", "mailto:maria.andrade@example.com")
    expect(page.get_by_role("link", name="Escribir correo mjandrade@trabajo.example.com")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_text("VIP", exact=True)).to_be_visible()
    expect(main.get_by_text("Mayorista", exact=True)).to_be_visible()
    expect(main.get_by_text("171003406-5").or_(main.get_by_text("1710034065"))).to_be_visible()

    # The list shows the new customer too.
    open_list(page, app_server)
    expect(page.get_by_role("link", name="Abrir María José Andrade Vela")).to_have_attribute(
        "href", re.compile(rf"/customers/{customer_id}/?$"))


def test_invalid_cedula_and_phone_are_shown_next_to_their_fields_and_nothing_is_saved(
    app_server: AppServer, page: Page,
) -> None:
    admin = signed_in_admin(app_server, page)
    open_list(page, app_server)
    dialog = open_new_customer_dialog(page)
    dialog.get_by_label("Nombres", exact=True).fill("Pedro")
    dialog.get_by_label("Apellidos", exact=True).fill("Inválido")
    tax_id = dialog.get_by_label("Número de identificación", exact=True)
    tax_id.fill("1710034066")
    phone = dialog.get_by_label("Teléfono 1", exact=True)
    phone.fill("12345")
    dialog.get_by_role("button", name="Guardar").click()

    for control, message in ((tax_id, "Número de identificación no válido."),
                             (phone, "Número de teléfono no válido para el país.")):
        alert = dialog.get_by_role("alert").filter(has_text=message)
        expect(alert).to_be_visible()
        expect(control).to_have_attribute("aria-invalid", "true")
        # "Next to the field": the message is the control's own error element (id = control id + -error).
        expect(alert).to_have_id(f"{control.get_attribute('id')}-error")
    expect(dialog.get_by_role("alert").filter(has_text="Revisa los campos marcados.")).to_be_visible()
    # What was typed stays, the dialog stays open, and nothing was saved.
    expect(tax_id).to_have_value("1710034066")
    expect(phone).to_have_value("12345")
    expect(page).to_have_url(path_is("/customers"))
    assert customer_count(app_server.db_url, admin.organization_id) == 0

    dialog.get_by_role("button", name="Cancelar").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Todavía no hay clientes.")).to_be_visible()
    expect(customer_link(page, "Pedro Inválido")).to_have_count(0)


def test_duplicate_phone_is_refused_with_a_link_to_the_existing_customer(
    app_server: AppServer, page: Page,
) -> None:
    admin = signed_in_admin(app_server, page)
    existing_id = make_customer(app_server.db_url, admin, "Carlos", "Existente", phones=("0991234567",))
    open_list(page, app_server)
    dialog = open_new_customer_dialog(page)
    dialog.get_by_label("Nombres", exact=True).fill("Carla")
    dialog.get_by_label("Apellidos", exact=True).fill("Nueva")
    phone = dialog.get_by_label("Teléfono 1", exact=True)
    phone.fill("099 123 4567")
    dialog.get_by_role("button", name="Guardar").click()

    alert = dialog.get_by_role("alert").filter(has_text="Este teléfono ya pertenece a Carlos Existente.")
    expect(alert).to_be_visible()
    expect(alert).to_have_id(f"{phone.get_attribute('id')}-error")
    link = dialog.get_by_role("link", name="Abrir el cliente existente")
    expect(link).to_have_attribute("href", re.compile(rf"/customers/{existing_id}/?$"))
    assert customer_count(app_server.db_url, admin.organization_id) == 1

    link.click()
    expect(page).to_have_url(path_is(f"/customers/{existing_id}"))
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("heading", name="Carlos Existente", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Llamar +593 99 123 4567")).to_be_visible()


def test_search_by_accentless_name_and_by_phone_digits_lives_in_the_url(
    app_server: AppServer, page: Page,
) -> None:
    admin = signed_in_admin(app_server, page)
    jose = make_customer(app_server.db_url, admin, "José", "Pérez", phones=("099 123 4567",))
    make_customer(app_server.db_url, admin, "Ana", "Gómez", phones=("0987654321",))
    open_list(page, app_server)
    expect(customer_link(page, "José Pérez")).to_be_visible()
    expect(customer_link(page, "Ana Gómez")).to_be_visible()
    search = page.get_by_label(SEARCH)

    search.fill("perez")
    expect(page).to_have_url(re.compile(r"/customers/?\?q=perez$"))
    expect(customer_link(page, "Ana Gómez")).to_have_count(0)
    expect(customer_link(page, "José Pérez")).to_be_visible()
    expect(list_rows(page)).to_have_count(1)

    search.fill("0991")
    expect(page).to_have_url(re.compile(r"/customers/?\?q=0991$"))
    expect(customer_link(page, "José Pérez")).to_be_visible()
    expect(customer_link(page, "Ana Gómez")).to_have_count(0)
    expect(list_rows(page)).to_have_count(1)

    # A filter is a new history entry: back returns to the search alone.
    page.get_by_label("Tipo", exact=True).select_option("company")
    expect(page).to_have_url(re.compile(r"\?q=0991&type=company$"))
    expect(page.get_by_text("No hay clientes que coincidan.")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/customers/?\?q=0991$"))
    expect(search).to_have_value("0991")
    expect(page.get_by_label("Tipo", exact=True)).to_have_value("")
    expect(customer_link(page, "José Pérez")).to_be_visible()

    # Opening a result and coming back shows the same query and results.
    customer_link(page, "José Pérez").click()
    expect(page).to_have_url(path_is(f"/customers/{jose}"))
    expect(page.get_by_role("heading", name="José Pérez", level=1)).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/customers/?\?q=0991$"))
    expect(search).to_have_value("0991")
    expect(customer_link(page, "José Pérez")).to_be_visible()
    expect(customer_link(page, "Ana Gómez")).to_have_count(0)

    # A different search was a new history entry: back returns to the previous search.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/customers/?\?q=perez$"))
    expect(search).to_have_value("perez")
    expect(customer_link(page, "José Pérez")).to_be_visible()

    # A shared link with the query opens the same list.
    open_list(page, app_server, "?q=PEREZ")
    expect(search).to_have_value("PEREZ")
    expect(customer_link(page, "José Pérez")).to_be_visible()
    expect(list_rows(page)).to_have_count(1)


def test_filter_by_tag_and_remove_the_filter_chip(app_server: AppServer, page: Page) -> None:
    admin = signed_in_admin(app_server, page)
    make_customer(app_server.db_url, admin, "Luis", "Etiquetado", tags=("VIP",))
    make_customer(app_server.db_url, admin, "Lucía", "También", tags=("VIP", "Mayorista"))
    make_customer(app_server.db_url, admin, "Marta", "Sinetiqueta")
    make_customer(app_server.db_url, admin, "Pedro", "Mayorista", tags=("Mayorista",))
    open_list(page, app_server)
    expect(list_rows(page)).to_have_count(4)

    page.get_by_label("Filtrar por etiqueta", exact=True).select_option("VIP")
    expect(page).to_have_url(re.compile(r"\?tags=VIP$"))
    chip = page.get_by_role("button", name="Quitar filtro VIP")
    expect(chip).to_be_visible()
    expect(list_rows(page)).to_have_count(2)
    expect(customer_link(page, "Luis Etiquetado")).to_be_visible()
    expect(customer_link(page, "Lucía También")).to_be_visible()
    expect(customer_link(page, "Marta Sinetiqueta")).to_have_count(0)
    expect(customer_link(page, "Pedro Mayorista")).to_have_count(0)

    chip.click()
    expect(page).to_have_url(path_is("/customers"))
    expect(chip).to_have_count(0)
    expect(list_rows(page)).to_have_count(4)
    expect(customer_link(page, "Marta Sinetiqueta")).to_be_visible()
    expect(customer_link(page, "Pedro Mayorista")).to_be_visible()


def test_delete_moves_to_trash_and_restore_brings_back(app_server: AppServer, page: Page) -> None:
    admin = signed_in_admin(app_server, page)
    rosa = make_customer(app_server.db_url, admin, "Rosa", "Borrable", phones=("0991112233",))
    make_customer(app_server.db_url, admin, "Otro", "Cliente")
    open_list(page, app_server)
    expect(list_rows(page)).to_have_count(2)

    page.get_by_role("button", name="Eliminar Rosa Borrable").click()
    confirm = page.get_by_role("alertdialog", name="Confirmar")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("¿Enviar a Rosa Borrable a la papelera?")
    confirm.get_by_role("button", name="Confirmar").click()
    expect(confirm).to_be_hidden()
    expect(customer_link(page, "Rosa Borrable")).to_have_count(0)
    expect(customer_link(page, "Otro Cliente")).to_be_visible()
    expect(list_rows(page)).to_have_count(1)
    assert deleted_at(app_server.db_url, rosa) is not None
    assert customer_count(app_server.db_url, admin.organization_id, include_deleted=False) == 1

    page.get_by_role("button", name="Papelera").click()
    expect(page).to_have_url(re.compile(r"\?trash=1$"))
    expect(page.get_by_role("heading", name="Papelera", level=1)).to_be_visible()
    expect(customer_link(page, "Rosa Borrable")).to_be_visible()
    expect(customer_link(page, "Otro Cliente")).to_have_count(0)

    page.get_by_role("button", name="Restaurar Rosa Borrable").click()
    expect(customer_link(page, "Rosa Borrable")).to_have_count(0)
    expect(page.get_by_text("La papelera está vacía.")).to_be_visible()
    assert deleted_at(app_server.db_url, rosa) is None

    page.get_by_role("button", name="Clientes activos").click()
    expect(page).to_have_url(path_is("/customers"))
    expect(page.get_by_role("heading", name="Clientes", level=1)).to_be_visible()
    expect(customer_link(page, "Rosa Borrable")).to_be_visible()
    expect(list_rows(page)).to_have_count(2)


def test_phone_layout_shows_cards_searches_and_opens_a_customer(
    app_server: AppServer, phone_page: Page,
) -> None:
    page = phone_page
    admin = signed_in_admin(app_server, page)
    elena = make_customer(app_server.db_url, admin, "Elena", "Móvil", phones=("0991112233",),
                          emails=("elena@example.com",), tags=("VIP",))
    make_customer(app_server.db_url, admin, "Fabián", "Otro", phones=("0987654321",))
    open_list(page, app_server)

    expect(page.get_by_role("table")).to_be_hidden()
    cards = page.locator(".crm-cards")
    expect(cards).to_be_visible()
    expect(cards.get_by_role("link", name="Elena Móvil", exact=True)).to_be_visible()
    expect(cards.get_by_role("link", name="Fabián Otro", exact=True)).to_be_visible()
    expect(cards).to_contain_text("099 111 2233")  # the list shows the national form
    expect(cards).to_contain_text("elena@example.com")

    # Only the layout that shows is rendered, and turning the device swaps it.
    expect(page.get_by_role("table")).to_have_count(0)
    phone_size = page.viewport_size
    page.set_viewport_size({"width": 1024, "height": 768})
    expect(page.get_by_role("table").get_by_role("link", name="Elena Móvil", exact=True)).to_be_visible()
    expect(cards).to_have_count(0)
    page.set_viewport_size(phone_size)
    expect(cards.get_by_role("link", name="Elena Móvil", exact=True)).to_be_visible()

    page.get_by_label(SEARCH).fill("elena")
    expect(page).to_have_url(re.compile(r"\?q=elena$"))
    expect(cards.get_by_role("link", name="Fabián Otro", exact=True)).to_have_count(0)
    expect(page.get_by_role("table")).to_be_hidden()
    card_link = cards.get_by_role("link", name="Elena Móvil", exact=True)
    expect(card_link).to_be_visible()

    card_link.tap()
    expect(page).to_have_url(path_is(f"/customers/{elena}"))
    expect(page.get_by_role("heading", name="Elena Móvil", level=1)).to_be_visible()
    contact = page.get_by_role("group", name="Contacto")
    expect(contact.get_by_role("link", name="Llamar +593 99 111 2233")).to_be_visible()
    # The phone's action bar dials the same, primary, number.
    bar = page.get_by_role("navigation", name="Acciones rápidas")
    call = bar.get_by_role("link", name="Llamar +593 99 111 2233")
    expect(call).to_have_attribute("href", "tel:+593991112233")


def test_a_phone_left_on_automatic_gets_the_numbers_own_type(app_server: AppServer, page: Page) -> None:
    """Issue 19: 02-234-5678 in Ecuador is a landline, so a person's is "Casa", not "Móvil"."""
    signed_in_admin(app_server, page)
    open_list(page, app_server)
    dialog = open_new_customer_dialog(page)
    kind = dialog.get_by_label("Tipo de teléfono 1", exact=True)
    expect(kind).to_have_value("")  # nothing chosen: the server decides
    expect(kind.locator("option:checked")).to_have_text("Automático (según el número)")
    dialog.get_by_label("Nombres", exact=True).fill("Inés")
    dialog.get_by_label("Apellidos", exact=True).fill("Quito")
    dialog.get_by_label("Teléfono 1", exact=True).fill("02-234-5678")
    dialog.get_by_role("button", name="Agregar teléfono").click()
    dialog.get_by_label("Teléfono 2", exact=True).fill("0991234567")
    dialog.get_by_role("button", name="Guardar").click()

    expect(page.get_by_role("heading", name="Inés Quito", level=1)).to_be_visible()
    contact = page.get_by_role("group", name="Contacto")
    expect(contact).to_contain_text(re.compile(r"\+593 2-234-5678\s*Casa"))
    expect(contact).to_contain_text(re.compile(r"\+593 99 123 4567\s*Móvil"))
    # Editing shows the type the server chose, which the user may still change.
    page.get_by_role("button", name="Editar", exact=True).click()
    dialog = page.get_by_role("dialog", name="Editar cliente")
    expect(dialog.get_by_label("Tipo de teléfono 1", exact=True)).to_have_value("home")
    expect(dialog.get_by_label("Tipo de teléfono 2", exact=True)).to_have_value("mobile")
