"""The lists on a 390 px phone (issue 21): the first screen shows customers (or leads, orders, sales),
not controls.

The search, "Filtros" (with how many are set) and "Nuevo cliente" stay in sight; the filters open in a
dialog that stays open while they change, and the customer list's other actions (trash, invite, import,
export, segment, campaign, bulk history, duplicates) are in the "Más" menu. A wide screen keeps every
button, the search, type, tags and sort in sight, the other filters behind "Más filtros". The lead, order
and sale lists put their filters behind the same button.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from crm_app.domain.leads import LeadInput
from crm_app.services import leads
from tests.e2e.conftest import AppServer, db_session, path_is, wait_hydrated
from tests.e2e.test_accessibility import _small_targets
from tests.e2e.test_campaigns import accessible
from tests.e2e.test_customers import make_customer, open_list, signed_in_admin

pytestmark = pytest.mark.e2e

MENU_ITEMS = ("Papelera", "Invitar cliente", "Importar", "Exportar a Excel (.xlsx)", "Exportar a CSV",
              "Guardar segmento", "Enviar campaña a esta lista", "Acciones masivas", "Duplicados")


def _focused_name(page: Page) -> str:
    return page.evaluate("() => document.activeElement?.getAttribute('aria-label') "
                         "|| document.activeElement?.innerText || ''")


def test_the_first_screen_shows_customers_and_the_filters_open_in_a_dialog(
    app_server: AppServer, phone_page: Page,
) -> None:
    page = phone_page
    admin = signed_in_admin(app_server, page)
    make_customer(app_server.db_url, admin, "Elena", "Móvil", phones=("0991112233",), tags=("VIP",))
    make_customer(app_server.db_url, admin, "Fabián", "Otro", phones=("0987654321",))
    open_list(page, app_server)

    first = page.locator(".crm-cards").get_by_role("link", name="Elena Móvil", exact=True)
    expect(first).to_be_in_viewport()  # no scrolling to reach the first customer
    expect(page.get_by_label("Tipo", exact=True)).to_have_count(0)  # the filters wait in the dialog
    expect(page.get_by_role("button", name="Nuevo cliente")).to_be_visible()
    accessible(page, "the customer list on a phone")

    filters = page.get_by_role("button", name="Filtros", exact=True)
    filters.tap()
    dialog = page.get_by_role("dialog", name="Filtros")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Tipo", exact=True).select_option("person")
    expect(page).to_have_url(re.compile(r"[?&]type=person"))
    dialog.get_by_label("Filtrar por etiqueta", exact=True).select_option("VIP")
    expect(page).to_have_url(re.compile(r"[?&]tags=VIP"))
    # The dialog stays open while the list changes under it; the button counts what is set.
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Tipo", exact=True)).to_have_value("person")
    accessible(page, "the filters dialog on a phone")
    dialog.get_by_role("button", name="Ver clientes").tap()
    expect(dialog).to_be_hidden()
    counted = page.get_by_role("button", name="Filtros: 2 activos")
    expect(counted).to_be_focused()  # focus back on the button that opened it
    expect(counted).to_contain_text("2")
    cards = page.locator(".crm-cards")
    expect(cards.get_by_role("link", name="Elena Móvil", exact=True)).to_be_visible()
    expect(cards.get_by_role("link", name="Fabián Otro", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Quitar filtro VIP")).to_be_visible()  # the chip, outside

    counted.tap()
    dialog.get_by_role("button", name="Quitar filtros").tap()
    expect(page).to_have_url(path_is("/customers"))
    expect(page.get_by_role("button", name="Filtros", exact=True)).to_be_visible()
    expect(cards.get_by_role("link", name="Fabián Otro", exact=True)).to_be_visible()


def test_the_other_actions_are_in_the_more_menu(app_server: AppServer, phone_page: Page) -> None:
    page = phone_page
    admin = signed_in_admin(app_server, page)
    make_customer(app_server.db_url, admin, "Elena", "Móvil")
    open_list(page, app_server)
    for name in ("Papelera", "Invitar cliente", "Importar", "Acciones masivas"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)

    more = page.get_by_role("button", name="Más acciones de la lista")
    more.tap()
    menu = page.get_by_role("menu", name="Más acciones de la lista")
    for item in MENU_ITEMS:
        expect(menu.get_by_role("menuitem", name=item, exact=True)).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Exportar a CSV")).to_have_attribute(
        "href", re.compile(r"^/api/customers/export\?format=csv"))
    assert _small_targets(page, menu) == []  # 44 px each (axe runs on the page, not on an open menu)

    # A dialog opened from the menu gives focus back to the menu's button.
    menu.get_by_role("menuitem", name="Invitar cliente").tap()
    invite = page.get_by_role("dialog", name="Invitar cliente")
    expect(invite).to_be_visible()
    page.keyboard.press("Escape")
    expect(invite).to_be_hidden()
    expect(more).to_be_focused()

    more.tap()
    menu.get_by_role("menuitem", name="Papelera", exact=True).tap()
    expect(page).to_have_url(re.compile(r"/customers/?\?trash=1$"))
    expect(page.get_by_role("heading", name="Papelera", level=1)).to_be_visible()
    more.tap()
    expect(menu.get_by_role("menuitem", name="Guardar segmento")).to_have_count(0)  # not for the trash
    menu.get_by_role("menuitem", name="Clientes activos").tap()
    expect(page.get_by_role("heading", name="Clientes", level=1)).to_be_visible()

    more.tap()
    menu.get_by_role("menuitem", name="Acciones masivas").tap()
    expect(page).to_have_url(path_is("/customers/bulk"))


def test_a_phone_says_the_set_filters_on_one_row_of_chips(app_server: AppServer, phone_page: Page) -> None:
    page = phone_page
    admin = signed_in_admin(app_server, page)
    make_customer(app_server.db_url, admin, "Elena", "Móvil", tags=("VIP",))
    open_list(page, app_server, "?type=person&tags=VIP&consent=0&conflictive=0&lapsed_since=2026-11-01")
    chips = [page.get_by_text(text, exact=True) for text in
             ("Tipo: Persona natural", "VIP", "Conflictivo: No", "Acepta correos: No",
              "Sin compras desde: 1 nov 2026")]
    for chip in chips:
        expect(chip).to_be_attached()
    # One row that scrolls sideways (each chip is 44 px tall on a phone), not five above the first card.
    tops = {round(chip.bounding_box()["y"]) for chip in chips}
    assert len(tops) == 1, tops
    expect(page.get_by_role("button", name="Filtros: 5 activos")).to_be_visible()
    page.get_by_role("button", name="Quitar el filtro: Tipo: Persona natural").tap()
    expect(page).not_to_have_url(re.compile(r"type="))
    expect(page.get_by_role("button", name="Filtros: 4 activos")).to_be_visible()


def test_a_wide_screen_keeps_every_action_and_the_main_filters_in_sight(app_server: AppServer,
                                                                         page: Page) -> None:
    admin = signed_in_admin(app_server, page)
    names = [f"Cliente{n:02d} Ventana" for n in range(1, 10)]
    for name in names:
        make_customer(app_server.db_url, admin, *name.split())
    page.set_viewport_size({"width": 1280, "height": 720})
    open_list(page, app_server)
    for name in ("Papelera", "Invitar cliente", "Guardar segmento", "Nuevo cliente"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    for name in ("Importar", "Acciones masivas", "Duplicados"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    for label in ("Tipo", "Filtrar por etiqueta", "Ordenar por"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Filtros"))).to_have_count(0)
    expect(page.get_by_role("button", name="Más acciones de la lista")).to_have_count(0)
    # One row of controls above the table: a laptop's first screen shows eight customers, not four.
    expect(page.get_by_role("link", name=names[7], exact=True)).to_be_in_viewport()

    # The filters seldom used wait behind "Más filtros", said on chips once set; clearing them keeps the
    # type in sight.
    page.get_by_label("Tipo", exact=True).select_option("person")
    expect(page).to_have_url(re.compile(r"[?&]type=person"))
    expect(page.get_by_text("Tipo: Persona natural")).to_have_count(0)  # its select says it already
    expect(page.get_by_label("Proveedor", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Más filtros", exact=True).click()
    dialog = page.get_by_role("dialog", name="Más filtros")
    dialog.get_by_label("Proveedor", exact=True).select_option("1")
    expect(page).to_have_url(re.compile(r"[?&]supplier=1"))
    accessible(page, "the customer list's more filters")
    dialog.get_by_role("button", name="Ver clientes").click()
    expect(page.get_by_role("button", name="Más filtros: 1 activos")).to_be_focused()
    expect(page.get_by_text("No hay clientes que coincidan.")).to_be_visible()
    # The list says what narrows it without the dialog: a chip, with its own remove button.
    expect(page.get_by_text("Proveedor: Sí", exact=True)).to_be_visible()
    page.get_by_role("button", name="Quitar el filtro: Proveedor: Sí").click()
    expect(page).not_to_have_url(re.compile(r"supplier="))
    expect(page).to_have_url(re.compile(r"[?&]type=person"))
    expect(page.get_by_role("link", name=names[0], exact=True)).to_be_visible()

    page.get_by_role("button", name="Más filtros", exact=True).click()
    dialog.get_by_label("Conflictivo", exact=True).select_option("1")
    expect(page).to_have_url(re.compile(r"[?&]conflictive=1"))
    dialog.get_by_role("button", name="Quitar filtros").click()
    expect(page).not_to_have_url(re.compile(r"conflictive="))
    expect(page).to_have_url(re.compile(r"[?&]type=person"))
    expect(page.get_by_label("Tipo", exact=True)).to_have_value("person")
    expect(page.get_by_role("button", name="Más filtros", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=names[0], exact=True)).to_be_visible()


def test_the_lead_list_filters_behind_the_same_button(app_server: AppServer, phone_page: Page) -> None:
    page = phone_page
    admin = signed_in_admin(app_server, page)
    with db_session(app_server.db_url) as session:
        leads.create_lead(session=session, actor=admin.actor, data=LeadInput(name="Pedro Nuevo"))
    page.goto(app_server.url("/leads"))
    wait_hydrated(page)
    expect(page.get_by_role("link", name="Pedro Nuevo")).to_be_in_viewport()
    expect(page.get_by_label("Estado", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Filtros", exact=True).tap()
    dialog = page.get_by_role("dialog", name="Filtros")
    dialog.get_by_label("Estado", exact=True).select_option("contacted")
    expect(page).to_have_url(re.compile(r"[?&]status=contacted"))
    expect(dialog).to_be_visible()
    accessible(page, "the lead filters on a phone")
    dialog.get_by_role("button", name="Ver resultados").tap()
    expect(page.get_by_role("button", name="Filtros: 1 activos")).to_be_focused()
    expect(page.get_by_text("No hay leads que coincidan.")).to_be_visible()
    expect(page.get_by_role("link", name="Pedro Nuevo")).to_have_count(0)
    page.get_by_role("main").get_by_role("button", name="Quitar filtros").tap()  # beside "Filtros" too
    expect(page).to_have_url(path_is("/leads"))
    expect(page.get_by_role("link", name="Pedro Nuevo")).to_be_visible()
