"""Duplicates and merges end to end (issue 16): an admin scans the base from /customers/duplicates, says one
pair are not duplicates (gone after a new scan), reviews another pair and merges it taking the other
customer's last name, lands on the survivor with the chosen name and the moved phone, finds the merged
customer's old address leading to the survivor, and undoes the merge from the history: both are back.
On a 390 px phone the merge's preview stacks per field.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from crm_app.domain.customers import CustomerInput, PhoneInput
from crm_app.models import Organization
from crm_app.services.customers import create_customer
from tests.e2e.conftest import AppServer, Person, db_session, make_org_with_admin, sign_in, wait_hydrated
from tests.e2e.test_campaigns import accessible

pytestmark = pytest.mark.e2e

SCAN_TIMEOUT = 60_000


def lenient_admin(app_server: AppServer) -> Person:
    """An organization whose duplicate checks are off, so duplicates can be created to be found."""
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        session.execute(update(Organization).where(Organization.id == admin.organization_id).values(
            duplicate_check_phone=False, duplicate_check_email=False, duplicate_check_tax_id=False))
    return admin


def person(app_server: AppServer, admin: Person, first: str, last: str, *phones: str,
           birthday: date | None = None) -> int:
    with db_session(app_server.db_url) as session:
        return create_customer(session=session, actor=admin.actor, data=CustomerInput(
            client_type="person", first_name=first, last_name=last, birthday=birthday,
            phones=tuple(PhoneInput(p, primary=i == 0) for i, p in enumerate(phones)))).id


def run_scan(page: Page) -> None:
    page.get_by_role("button", name="Buscar duplicados en toda la base").click()
    # the job's bar while it runs (it may be quick), then the groups it found
    expect(page.get_by_role("heading", name="Buscando duplicados")).to_have_count(0, timeout=SCAN_TIMEOUT)
    expect(page.get_by_role("button", name="Buscar duplicados en toda la base")).to_be_enabled()


def test_an_admin_reviews_merges_and_undoes(app_server: AppServer, page: Page) -> None:
    admin = lenient_admin(app_server)
    juan = person(app_server, admin, "Juan", "Pérez", "0991234567")
    peres = person(app_server, admin, "Juan", "Peres", "+593 99 123 4567", "0998887766")
    person(app_server, admin, "Carlos", "Mendoza", birthday=date(1980, 5, 3))
    person(app_server, admin, "Carlos", "Mendosa", birthday=date(1980, 5, 3))
    sign_in(page, app_server.base_url, admin.email, admin.password)

    page.goto(app_server.url("/customers/duplicates"))
    expect(page.get_by_role("heading", name="Clientes duplicados")).to_be_visible()
    wait_hydrated(page)
    expect(page.get_by_text("Todavía no se analizó la base.")).to_be_visible()
    run_scan(page)
    expect(page.get_by_role("link", name="Juan Peres")).to_be_visible(timeout=SCAN_TIMEOUT)
    expect(page.get_by_role("link", name="Carlos Mendosa")).to_be_visible()
    accessible(page, "the duplicates page")

    # Not duplicates: the pair leaves the list, and a new scan does not bring it back.
    page.get_by_role("button", name="No son duplicados: Carlos Mendoza y Carlos Mendosa").click()
    expect(page.get_by_role("link", name="Carlos Mendosa")).to_have_count(0)
    run_scan(page)
    expect(page.get_by_role("link", name="Juan Peres")).to_be_visible(timeout=SCAN_TIMEOUT)
    expect(page.get_by_role("link", name="Carlos Mendosa")).to_have_count(0)

    # Review the pair side by side and take the other customer's last name.
    page.get_by_role("link", name="Revisar y fusionar").first.click()
    expect(page).to_have_url(re.compile(rf"/customers/merge\?ids={juan},{peres}$"))
    expect(page.get_by_role("heading", name="Fusionar clientes")).to_be_visible()
    wait_hydrated(page)
    expect(page.get_by_role("radio", name="Queda este cliente").first).to_be_checked()
    accessible(page, "the merge preview")
    page.get_by_role("radio", name="Peres", exact=True).check()
    expect(page.get_by_role("radio", name="Peres", exact=True)).to_be_checked()
    page.get_by_role("button", name="Fusionar", exact=True).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Juan Peres se fusionará(n) en Juan Pérez")
    dialog.get_by_role("button", name="Confirmar").click()

    # The survivor, with the chosen name and the phone that moved.
    expect(page).to_have_url(re.compile(rf"/customers/{juan}$"), timeout=20_000)
    expect(page.get_by_role("heading", name="Juan Peres", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"888\D?7766")).first).to_be_visible()

    # The merged customer's old address leads to the survivor.
    page.goto(app_server.url(f"/customers/{peres}"))
    expect(page).to_have_url(re.compile(rf"/customers/{juan}$"), timeout=20_000)

    # Undo from the history: both customers are back.
    page.goto(app_server.url("/customers/merges"))
    expect(page.get_by_role("heading", name="Historial de fusiones")).to_be_visible()
    wait_hydrated(page)
    accessible(page, "the merge history")
    page.get_by_role("button", name=re.compile("^Deshacer")).first.click()
    expect(page.get_by_text(re.compile("Deshecha el")).first).to_be_visible()
    page.goto(app_server.url(f"/customers/{peres}"))
    expect(page.get_by_role("heading", name="Juan Peres", level=1)).to_be_visible()
    page.goto(app_server.url(f"/customers/{juan}"))
    expect(page.get_by_role("heading", name="Juan Pérez", level=1)).to_be_visible()


def test_on_a_phone_the_merge_preview_stacks_per_field(app_server: AppServer, phone_page: Page) -> None:
    page = phone_page
    admin = lenient_admin(app_server)
    ana = person(app_server, admin, "Ana", "Torres", "0987654321")
    otra = person(app_server, admin, "Ana María", "Torres", "0987654321")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/customers/merge?ids={ana},{otra}"))
    expect(page.get_by_role("heading", name="Fusionar clientes")).to_be_visible()
    wait_hydrated(page)
    expect(page.get_by_role("group", name="Cliente que queda")).to_be_visible()
    page.get_by_role("radio", name=re.compile("^Ana María — ")).check()
    expect(page.get_by_role("radio", name=re.compile("^Ana María — "))).to_be_checked()
    assert page.locator("table").count() == 0  # stacked per field, no table
    accessible(page, "the merge preview on a phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"the merge page scrolls sideways on a phone: {width}px"


def test_a_stranger_merge_is_refused_clearly(app_server: AppServer, page: Page) -> None:
    admin = lenient_admin(app_server)
    other = lenient_admin(app_server)
    mine = person(app_server, admin, "Luisa", "Vera", "0981112233")
    theirs = person(app_server, other, "Luisa", "Vera", "0981112233")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/customers/merge?ids={mine},{theirs}"))
    expect(page.get_by_role("heading", name="Fusionar clientes")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("button", name="Fusionar", exact=True)).to_have_count(0)


def test_editing_a_customer_an_admin_may_merge_with_the_duplicate_found(
    app_server: AppServer, page: Page,
) -> None:
    admin = make_org_with_admin(app_server.db_url)  # the duplicate checks on, as by default
    existing = person(app_server, admin, "Rosa", "Existente", "0991234567")
    edited = person(app_server, admin, "Rosa", "Editada", "0987000000")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/customers/{edited}"))
    expect(page.get_by_role("heading", name="Rosa Editada", level=1)).to_be_visible()
    wait_hydrated(page)
    page.get_by_role("button", name="Editar", exact=True).first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Teléfono 1", exact=True).fill("099 123 4567")
    dialog.get_by_role("button", name="Guardar").click()
    link = dialog.get_by_role("link", name="Fusionar con este")
    expect(link).to_have_attribute("href", f"/customers/merge?ids={edited},{existing}")
    link.click()
    expect(page).to_have_url(re.compile(rf"/customers/merge\?ids={edited},{existing}$"))
    expect(page.get_by_role("heading", name="Fusionar clientes")).to_be_visible()
    expect(page.get_by_role("link", name="Rosa Existente").first).to_be_visible()


def test_a_tax_id_another_customer_holds_offers_him_and_the_merge(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)  # the duplicate checks on, as by default
    with db_session(app_server.db_url) as session:
        existing = create_customer(session=session, actor=admin.actor, data=CustomerInput(
            client_type="person", first_name="Tito", last_name="Cedulado", tax_id="0926687856")).id
    edited = person(app_server, admin, "Tito", "Editado", "0987000001")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/customers/{edited}"))
    expect(page.get_by_role("heading", name="Tito Editado", level=1)).to_be_visible()
    wait_hydrated(page)
    page.get_by_role("button", name="Editar", exact=True).first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Número de identificación", exact=True).fill("0926687856")
    dialog.get_by_role("button", name="Guardar").click()
    expect(dialog.get_by_text("Esta identificación ya pertenece a Tito Cedulado.")).to_be_visible()
    expect(dialog.get_by_role("link", name="Abrir el cliente existente")).to_have_attribute(
        "href", f"/customers/{existing}")
    expect(dialog.get_by_role("link", name="Fusionar con este")).to_have_attribute(
        "href", f"/customers/merge?ids={edited},{existing}")
