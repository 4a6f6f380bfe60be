"""The app shell: the drawer on a phone, and the language switch."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AppServer, make_org_with_admin, path_is, sign_in, user_row

pytestmark = pytest.mark.e2e


def test_phone_drawer_replaces_the_sidebar_and_closes_after_navigating(
    app_server: AppServer, phone_page: Page,
) -> None:
    page = phone_page
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    expect(page.get_by_role("heading", name=f"Hola, {admin.name}")).to_be_visible()

    # No sidebar on a phone: its navigation is not shown, the menu button is.
    expect(page.get_by_role("navigation", name="Menú")).to_have_count(0)
    open_menu = page.get_by_role("button", name="Abrir menú")
    expect(open_menu).to_be_visible()

    open_menu.click()
    drawer = page.get_by_role("dialog", name="Menú")
    expect(drawer).to_be_visible()
    drawer.get_by_role("link", name="Usuarios").click()
    expect(page).to_have_url(path_is("/settings/users"))
    expect(page.get_by_role("heading", name="Usuarios", exact=True)).to_be_visible()
    expect(drawer).to_be_hidden()
    # The users page shows cards, not the table, on a phone.
    expect(page.get_by_role("table")).to_be_hidden()
    expect(page.get_by_text(admin.email, exact=True).filter(visible=True)).to_have_count(1)

    page.get_by_role("button", name="Abrir menú").click()
    expect(drawer).to_be_visible()
    drawer.get_by_role("link", name="Inicio").click()
    expect(page).to_have_url(path_is("/"))
    expect(drawer).to_be_hidden()

    # The close button closes it without navigating.
    page.get_by_role("button", name="Abrir menú").click()
    expect(drawer).to_be_visible()
    drawer.get_by_role("button", name="Cerrar menú").click()
    expect(drawer).to_be_hidden()
    expect(page).to_have_url(path_is("/"))

    # The account is one tap away in the user menu.
    page.get_by_role("button", name="Menú de usuario").click()
    page.get_by_role("menuitem", name="Mi cuenta").click()
    expect(page).to_have_url(path_is("/account"))
    expect(page.get_by_role("heading", name="Mi cuenta")).to_be_visible()
    expect(drawer).to_be_hidden()


def test_language_switch_is_remembered(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    nav = page.get_by_role("navigation", name="Menú")
    expect(nav.get_by_role("link", name="Usuarios")).to_be_visible()

    page.get_by_role("combobox", name="Idioma").select_option("en")
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Users")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Hello, {admin.name}")).to_be_visible()
    page.get_by_role("button", name="User menu").click()
    expect(page.get_by_role("menuitem", name="Sign out")).to_be_visible()
    page.keyboard.press("Escape")
    assert user_row(app_server.db_url, admin.email).language == "en"

    # Remembered: a reload (a new connection) keeps English.
    page.reload()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users")).to_be_visible()
    expect(page.get_by_role("combobox", name="Language")).to_have_value("en")

    page.get_by_role("combobox", name="Language").select_option("es")
    expect(page.get_by_role("navigation", name="Menú").get_by_role("link", name="Usuarios")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Hola, {admin.name}")).to_be_visible()
    assert user_row(app_server.db_url, admin.email).language == "es"


# A list's search shares its row with "Filtros" on a phone: it shows a short hint there.
LIST_PATHS = ("/customers", "/accounts", "/orders", "/sales", "/leads")
SEARCH_HINTS = {
    "es": ("Buscar clientes", "Buscar cuentas", "Buscar pedidos", "Buscar ventas", "Buscar leads"),
    "pt": ("Pesquisar clientes", "Pesquisar contas", "Pesquisar pedidos", "Pesquisar vendas",
           "Pesquisar leads"),
}


# The hint's width as the page draws it: a span in the field's font (a canvas measured some fitting hints
# as cut, intermittently), against the field's room inside its padding.
HINT_ROOM = """async (input) => {
  await document.fonts.ready;
  const style = getComputedStyle(input);
  const probe = document.createElement("span");
  for (const name of ["fontFamily", "fontSize", "fontWeight", "fontStyle", "fontStretch", "letterSpacing"]) {
    probe.style[name] = style[name];
  }
  Object.assign(probe.style, {position: "absolute", visibility: "hidden", whiteSpace: "pre"});
  probe.textContent = input.placeholder;
  document.body.append(probe);
  const text = probe.getBoundingClientRect().width;
  probe.remove();
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {text: Math.ceil(text), room: Math.floor(room)};
}"""


def _hint_fits(page: Page, search, path: str) -> None:
    """The hint fits its field once the page's layout settles (the field narrows as "Filtros" appears)."""
    for _ in range(20):
        sizes = search.evaluate(HINT_ROOM)
        if 0 < sizes["text"] <= sizes["room"]:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{path}: the hint needs {sizes['text']} px, its field has {sizes['room']} px")


@pytest.mark.parametrize(("language", "country"), [("es", "EC"), ("pt", "BR")])
def test_each_list_shows_a_short_search_hint_on_a_phone(
    app_server: AppServer, phone_page: Page, language: str, country: str,
) -> None:
    page = phone_page
    admin = make_org_with_admin(app_server.db_url, country=country, language=language)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    for path, hint in zip(LIST_PATHS, SEARCH_HINTS[language], strict=True):
        page.goto(app_server.base_url + path)
        search = page.locator("input[type=search]")
        # The reader's own hint, once the page has his language (the shell's default is Spanish).
        expect(search).to_have_attribute("placeholder", hint)
        _hint_fits(page, search, path)
        # Its name still says what it searches (screen readers, and the wide screen's placeholder).
        assert search.get_attribute("aria-label") not in ("", hint)
