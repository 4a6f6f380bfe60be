"""Bulk actions on the customer list end to end (issue 16), on a desktop and on a 390 px phone.

Desktop: the list filtered by a tag (more customers than one page holds), "select this page", then "select
all N that match this filter", add another tag to all of them (a job: its progress, then the result banner),
see the rows tagged, undo, see the tag gone; the history page lists the action as undone.
Phone: checkbox mode ("Seleccionar" in the "Más" menu), two cards ticked, the bottom bar, tag, undo; a long
press on a card (a touch held still, bulk_long_press.jsx) enters checkbox mode with that card ticked. The
account, flag and channel dialogs change the ticked rows.
An admin exports the ticked rows (the link names their ids), moves them to the trash and restores them from
the trash; a sales user has no "Mover a la papelera".
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func
from sqlmodel import select

from crm_app.domain.accounts import AccountInput
from crm_app.domain.customers import CustomerInput
from crm_app.models import AccountMember, Customer, CustomerTag, Tag
from crm_app.services.accounts import create_account
from crm_app.services.customer_choices import create_channel
from crm_app.services.customers import create_customer
from crm_app.states.customers import PAGE_SIZE
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    make_org_with_admin,
    make_user,
    sign_in,
    wait_hydrated,
    wait_until,
)
from tests.e2e.test_accessibility import _small_targets
from tests.e2e.test_campaigns import accessible

pytestmark = pytest.mark.e2e

PAGE = PAGE_SIZE  # the list's page size


def make_customers(app_server: AppServer, admin: Person, tag: str, count: int, last: str) -> list[int]:
    ids = []
    with db_session(app_server.db_url) as session:
        for n in range(count):
            ids.append(create_customer(session=session, actor=admin.actor, data=CustomerInput(
                client_type="person", first_name=f"Cliente{n:02d}", last_name=last, tags=(tag,))).id)
    return ids


def tagged(app_server: AppServer, organization_id: int, tag: str) -> int:
    """How many of the organization's active customers carry ``tag``."""
    with db_session(app_server.db_url) as session:
        return session.exec(
            select(func.count()).select_from(CustomerTag)
            .join(Tag, Tag.id == CustomerTag.tag_id).join(Customer, Customer.id == CustomerTag.customer_id)
            .where(Tag.organization_id == organization_id, Tag.name == tag, Customer.deleted_at.is_(None))
        ).one()


def open_list(page: Page, app_server: AppServer, query: str) -> None:
    page.goto(app_server.url("/customers" + query))
    expect(page.get_by_role("heading", name="Clientes", exact=True)).to_be_visible()
    wait_hydrated(page)


def add_tag_in_dialog(page: Page, tag: str, count_text: str) -> None:
    dialog = page.get_by_role("dialog", name="Añadir una etiqueta")
    expect(dialog).to_contain_text(f"Se aplicará a {count_text} clientes.")
    dialog.get_by_label("Etiqueta", exact=True).fill(tag)
    dialog.get_by_role("button", name="Aplicar").click()
    expect(dialog).to_be_hidden()


def result_banner(page: Page) -> Locator:
    return page.get_by_role("status").filter(has=page.get_by_role("button", name="Deshacer"))


def test_desktop_tag_all_that_match_a_filter_then_undo(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    first, second = f"feria{secrets.token_hex(3)}", f"vip{secrets.token_hex(3)}"
    make_customers(app_server, admin, first, PAGE + 5, "Masivo")
    make_customers(app_server, admin, "otra", 2, "Fuera")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_list(page, app_server, f"?tags={first}")
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(PAGE)
    expect(page.get_by_role("link", name="Duplicados")).to_have_attribute("href", "/customers/duplicates")

    # The boxes show the server's selection: click, then wait for it (check() wants the change at once).
    page.get_by_role("checkbox", name="Seleccionar a Cliente00 Masivo").click()
    expect(page.get_by_role("checkbox", name="Seleccionar a Cliente00 Masivo")).to_be_checked()
    expect(page.get_by_text("1 seleccionados")).to_be_visible()
    page.get_by_label("Seleccionar esta página").click()
    expect(page.get_by_text(f"{PAGE} seleccionados")).to_be_visible()
    page.get_by_role("button", name=f"Seleccionar los {PAGE + 5} que coinciden con este filtro").click()
    expect(page.get_by_text(f"Los {PAGE + 5} clientes que coinciden con este filtro están seleccionados")
           ).to_be_visible()

    toolbar = page.get_by_role("toolbar", name="Acciones con los seleccionados")
    expect(toolbar.get_by_role("button", name="Mover a la papelera")).to_be_visible()  # an admin
    accessible(page, "the list with its bulk bar")
    toolbar.get_by_role("button", name="Añadir etiqueta").click()
    add_tag_in_dialog(page, second, str(PAGE + 5))

    banner = result_banner(page)
    expect(banner).to_contain_text(f"Etiqueta «{second}» añadida a {PAGE + 5} clientes.", timeout=60_000)
    assert tagged(app_server, admin.organization_id, second) == PAGE + 5
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Cliente00 Masivo", exact=True))
    expect(row).to_contain_text(second)
    expect(page.get_by_text("seleccionados")).to_have_count(0)  # the selection is cleared

    banner.get_by_role("button", name="Deshacer").click()
    expect(page.get_by_role("status").filter(has_text="Deshecha")).to_be_visible(timeout=60_000)
    expect(row).not_to_contain_text(second)
    wait_until(lambda: tagged(app_server, admin.organization_id, second) == 0, message="the undo")

    page.get_by_role("link", name="Acciones masivas").click()
    expect(page.get_by_role("heading", name="Acciones masivas", level=1)).to_be_visible()
    history = page.get_by_role("row").filter(has_text=admin.name)
    expect(history).to_contain_text("Deshecha")
    expect(history).to_contain_text(f"de {PAGE + 5}")
    accessible(page, "the bulk actions' history")


def long_press(page: Page, target: Locator) -> None:
    """A finger held on ``target`` for a second (touch events through the DevTools protocol: headless
    Chromium turns no touch into a context menu, so this drives bulk_long_press.jsx's own timer)."""
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    page.wait_for_timeout(1200)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_phone_checkbox_mode_bottom_bar_tag_undo_and_long_press(
    app_server: AppServer, phone_page: Page
) -> None:
    page = phone_page
    admin = make_org_with_admin(app_server.db_url)
    first, second = f"movil{secrets.token_hex(3)}", f"promo{secrets.token_hex(3)}"
    make_customers(app_server, admin, first, 3, "Telefono")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_list(page, app_server, f"?tags={first}")
    cards = page.locator(".crm-cards")
    expect(cards.get_by_role("link", name="Cliente02 Telefono", exact=True)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Seleccionar a Cliente00 Telefono")).to_have_count(0)

    # Checkbox mode is in "Más": the list's first screen keeps its room for the cards.
    expect(page.get_by_role("button", name="Seleccionar", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Más acciones de la lista").tap()
    page.get_by_role("menuitem", name="Seleccionar", exact=True).tap()
    bar = page.get_by_role("navigation", name="Acciones con los seleccionados")
    expect(bar).to_be_visible()
    page.get_by_role("checkbox", name="Seleccionar a Cliente00 Telefono").tap()
    page.get_by_role("checkbox", name="Seleccionar a Cliente01 Telefono").tap()
    expect(page.get_by_text("2 seleccionados")).to_be_visible()
    accessible(page, "the list in checkbox mode on a phone")  # axe, and 44 px targets on the whole page

    # The other actions are under "Más", 44 px each too.
    bar.get_by_role("button", name="Más acciones").tap()
    menu = page.get_by_role("menu", name="Más acciones")
    for item in ("Cambiar canal", "Marcar o desmarcar", "Añadir a una cuenta", "Enviar plantilla",
                 "Exportar selección a CSV", "Mover a la papelera"):
        expect(menu.get_by_role("menuitem", name=item)).to_be_visible()
    assert _small_targets(page, menu) == []
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()

    bar.get_by_role("button", name="Etiquetar", exact=True).tap()
    assert _small_targets(page, page.get_by_role("dialog", name="Añadir una etiqueta")) == []
    add_tag_in_dialog(page, second, "2")
    banner = result_banner(page)
    expect(banner).to_contain_text(f"Etiqueta «{second}» añadida a 2 clientes.")
    expect(cards.locator(".rt-Card").filter(has_text="Cliente00 Telefono")).to_contain_text(second)
    expect(cards.locator(".rt-Card").filter(has_text="Cliente02 Telefono")).not_to_contain_text(second)
    assert tagged(app_server, admin.organization_id, second) == 2

    banner.get_by_role("button", name="Deshacer").tap()
    expect(page.get_by_role("status").filter(has_text="Deshecha")).to_be_visible()
    expect(cards.locator(".rt-Card").filter(has_text="Cliente00 Telefono")).not_to_contain_text(second)
    assert tagged(app_server, admin.organization_id, second) == 0

    # Out of checkbox mode, a long press on a card enters it with that card ticked.
    if bar.is_visible():
        bar.get_by_role("button", name="Listo").tap()
    expect(bar).to_be_hidden()
    card = cards.locator(".rt-Card").filter(has_text="Cliente02 Telefono")
    long_press(page, card.get_by_role("link", name="Cliente02 Telefono", exact=True))  # held on the name
    expect(page.get_by_role("checkbox", name="Seleccionar a Cliente02 Telefono")).to_be_checked()
    assert re.search(r"/customers/?\?tags=", page.url)  # the press did not open the profile
    expect(bar).to_be_visible()
    expect(page.get_by_text("1 seleccionados")).to_be_visible()


def test_a_sales_user_has_no_trash_action(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sales = make_user(app_server.db_url, admin, "sales", change_password=True)
    tag = f"ventas{secrets.token_hex(3)}"
    make_customers(app_server, admin, tag, 2, "Vendedor")
    sign_in(page, app_server.base_url, sales.email, sales.password)
    open_list(page, app_server, f"?tags={tag}")
    expect(page.get_by_role("link", name="Duplicados")).to_have_count(0)
    page.get_by_role("checkbox", name="Seleccionar a Cliente00 Vendedor").click()
    toolbar = page.get_by_role("toolbar", name="Acciones con los seleccionados")
    expect(toolbar.get_by_role("button", name="Añadir etiqueta")).to_be_visible()
    expect(toolbar.get_by_role("button", name="Mover a la papelera")).to_have_count(0)
    page.get_by_role("link", name="Acciones masivas").click()
    expect(page.get_by_text("Todavía no hay acciones masivas")).to_be_visible()
    assert re.search(r"/customers/bulk/?$", page.url)


def test_an_admin_exports_trashes_and_restores_the_ticked_rows(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    tag = f"papel{secrets.token_hex(3)}"
    ids = make_customers(app_server, admin, tag, 3, "Papelera")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_list(page, app_server, f"?tags={tag}")
    for n in ("00", "01"):
        box = page.get_by_role("checkbox", name=f"Seleccionar a Cliente{n} Papelera")
        box.click()
        expect(box).to_be_checked()
    toolbar = page.get_by_role("toolbar", name="Acciones con los seleccionados")

    # The export of the ticked rows: the list's filters and their ids.
    toolbar.get_by_role("button", name="Exportar selección").click()
    export = page.get_by_role("menuitem", name="Exportar selección a CSV")
    expect(export).to_have_attribute("href", re.compile(rf"format=csv&tags={tag}&ids={ids[0]},{ids[1]}$"))
    page.keyboard.press("Escape")

    toolbar.get_by_role("button", name="Mover a la papelera").click()
    dialog = page.get_by_role("dialog", name="Mover a la papelera")
    expect(dialog).to_contain_text("Se aplicará a 2 clientes.")
    dialog.get_by_role("button", name="Aplicar").click()
    expect(result_banner(page)).to_contain_text("2 clientes movidos a la papelera.")
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(1)

    page.get_by_role("button", name="Papelera", exact=True).click()
    expect(page.get_by_role("heading", name="Papelera", level=1)).to_be_visible()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(2)
    page.get_by_label("Seleccionar esta página").click()
    toolbar.get_by_role("button", name="Restaurar", exact=True).click()
    dialog = page.get_by_role("dialog", name="Restaurar de la papelera")
    expect(dialog).to_contain_text("Se aplicará a 2 clientes.")
    dialog.get_by_role("button", name="Aplicar").click()
    expect(result_banner(page)).to_contain_text("2 clientes restaurados.")
    expect(page.get_by_text("La papelera está vacía.")).to_be_visible()
    with db_session(app_server.db_url) as session:
        assert all(session.get(Customer, i).deleted_at is None for i in ids)


def test_account_flag_and_channel_dialogs_change_the_ticked_rows(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    tag = f"cuenta{secrets.token_hex(3)}"
    ids = make_customers(app_server, admin, tag, 2, "Dialogo")
    with db_session(app_server.db_url) as session:
        account = create_account(session=session, actor=admin.actor, data=AccountInput(name="Ferretería Sol"))
        channel_id, _ = create_channel(session=session, actor=admin.actor, name="Feria")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_list(page, app_server, f"?tags={tag}")
    toolbar = page.get_by_role("toolbar", name="Acciones con los seleccionados")

    def tick_page() -> None:
        page.get_by_label("Seleccionar esta página").click()
        expect(page.get_by_text("2 seleccionados")).to_be_visible()

    tick_page()
    toolbar.get_by_role("button", name="Añadir a una cuenta").click()
    dialog = page.get_by_role("dialog", name="Añadir a una cuenta")
    dialog.get_by_role("button", name="Aplicar").click()  # no account chosen: said next to the search
    expect(dialog.get_by_text("Busca y elige una cuenta.")).to_be_visible()
    dialog.get_by_label("Cuenta", exact=True).fill("ferre")
    dialog.get_by_role("button", name="Ferretería Sol").click()
    expect(dialog.get_by_role("group", name="Cuenta")).to_contain_text("Ferretería Sol")
    dialog.get_by_label("Rol en la cuenta").select_option(label="Facturación")
    dialog.get_by_role("button", name="Aplicar").click()
    expect(result_banner(page)).to_contain_text("2 clientes añadidos a la cuenta.")
    with db_session(app_server.db_url) as session:
        roles = session.exec(select(AccountMember.role).where(AccountMember.account_id == account.id)).all()
    assert sorted(roles) == ["billing", "billing"]

    tick_page()
    toolbar.get_by_role("button", name="Marcar o desmarcar").click()
    dialog = page.get_by_role("dialog", name="Marcar o desmarcar")
    dialog.get_by_label("Marca", exact=True).select_option(label="Conflictivo")
    dialog.get_by_role("button", name="Aplicar").click()
    expect(result_banner(page)).to_contain_text("Marcar como conflictivo: 2 clientes cambiados.")

    tick_page()
    toolbar.get_by_role("button", name="Cambiar canal").click()
    dialog = page.get_by_role("dialog", name="Cambiar el canal")
    dialog.get_by_label("Canal", exact=True).select_option(label="Feria")
    dialog.get_by_role("button", name="Aplicar").click()
    expect(result_banner(page)).to_contain_text("Canal cambiado a 2 clientes.")
    with db_session(app_server.db_url) as session:
        rows = [session.get(Customer, i) for i in ids]
        assert all(r.is_conflictive and r.channel_id == channel_id for r in rows)
