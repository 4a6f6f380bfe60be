"""The survivor's profile offers Undo after a merge (issue 16): an admin merges two customers from
/customers/merge, lands on the survivor, sees "Se fusionaron aquí: ..." and undoes it from there (a
confirmation first): the profile is read again and both customers are back. An edit of the survivor
since the merge makes the undo refused, with the service's reason beside the banner.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from crm_app.services.customers import get_customer, update_customer
from crm_app.services.merge import merge
from tests.e2e.conftest import AppServer, db_session, sign_in, wait_hydrated
from tests.e2e.test_campaigns import accessible
from tests.e2e.test_duplicates_merge import lenient_admin, person
from tests.merge_factories import person as person_input
from tests.merge_factories import request

pytestmark = pytest.mark.e2e


def merge_from_the_page(page: Page, app_server: AppServer, survivor: int, merged: int) -> None:
    page.goto(app_server.url(f"/customers/merge?ids={survivor},{merged}"))
    expect(page.get_by_role("heading", name="Fusionar clientes")).to_be_visible()
    wait_hydrated(page)
    page.get_by_role("button", name="Fusionar", exact=True).click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirmar").click()
    expect(page).to_have_url(re.compile(rf"/customers/{survivor}$"), timeout=20_000)


def test_the_survivors_profile_undoes_the_merge(app_server: AppServer, page: Page) -> None:
    admin = lenient_admin(app_server)
    juan = person(app_server, admin, "Juan", "Pérez", "0991234567")
    peres = person(app_server, admin, "Juan", "Peres", "0998887766")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    merge_from_the_page(page, app_server, juan, peres)

    banner = page.get_by_role("region", name="Fusión reciente")
    expect(banner).to_contain_text(re.compile(r"Se fusionaron aquí: Juan Peres \(hace .+\)"))
    history = banner.get_by_role("link", name="Historial de fusiones")
    expect(history).to_have_attribute("href", "/customers/merges")
    expect(page.get_by_text(re.compile(r"888\D?7766")).first).to_be_visible()  # the phone moved here
    wait_hydrated(page)
    accessible(page, "the survivor's profile with the merge banner")

    # Cancel first: nothing happens and focus goes back to the button.
    undo = banner.get_by_role("button", name="Deshacer fusión")
    undo.click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Juan Peres volverá(n) a ser cliente(s) aparte")
    dialog.get_by_role("button", name="Cancelar").click()
    expect(dialog).to_have_count(0)
    expect(undo).to_be_focused()

    undo.click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirmar").click()
    done = page.get_by_role("status").filter(has=page.get_by_role("link", name="Juan Peres"))
    expect(done).to_contain_text("Juan Peres vuelve(n) a estar por separado")
    expect(banner).to_have_count(0)
    # The profile was read again: the moved phone went back to Juan Peres.
    expect(page.get_by_text(re.compile(r"888\D?7766"))).to_have_count(0)
    done.get_by_role("link", name="Juan Peres").click()
    expect(page).to_have_url(re.compile(rf"/customers/{peres}$"))
    expect(page.get_by_role("heading", name="Juan Peres", level=1)).to_be_visible()
    page.goto(app_server.url(f"/customers/{juan}"))
    expect(page.get_by_role("heading", name="Juan Pérez", level=1)).to_be_visible()
    wait_hydrated(page)
    expect(page.get_by_role("region", name="Fusión reciente")).to_have_count(0)


def test_an_edit_since_the_merge_refuses_the_undo_beside_the_banner(
    app_server: AppServer, page: Page,
) -> None:
    admin = lenient_admin(app_server)
    ana = person(app_server, admin, "Ana", "Torres")
    otra = person(app_server, admin, "Ana", "Torrez")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    merge_from_the_page(page, app_server, ana, otra)
    banner = page.get_by_role("region", name="Fusión reciente")
    expect(banner).to_be_visible()
    wait_hydrated(page)
    with db_session(app_server.db_url) as session:  # someone edits the survivor meanwhile
        version = get_customer(session=session, actor=admin.actor, customer_id=ana).version
        update_customer(session=session, actor=admin.actor, customer_id=ana, version=version,
                        data=person_input("Ana", last="Torres Vega"))
    banner.get_by_role("button", name="Deshacer fusión").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirmar").click()
    expect(page.get_by_role("alert").filter(has_text="fue editado después de la fusión")).to_be_visible()
    expect(banner).to_be_visible()


def test_on_a_phone_the_banner_fits_and_its_targets_are_44_px(
    app_server: AppServer, phone_page: Page,
) -> None:
    page = phone_page
    admin = lenient_admin(app_server)
    rosa = person(app_server, admin, "Rosa", "Vera")
    rosita = person(app_server, admin, "Rosita", "Vera")
    with db_session(app_server.db_url) as session:
        merge(session=session, actor=admin.actor, request=request(session, [rosa, rosita]))
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/customers/{rosa}"))
    banner = page.get_by_role("region", name="Fusión reciente")
    expect(banner).to_contain_text("Se fusionaron aquí: Rosita Vera")
    wait_hydrated(page)
    accessible(page, "the merge banner on a phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"the profile scrolls sideways on a phone: {width}px"
