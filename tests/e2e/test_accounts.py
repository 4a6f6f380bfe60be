"""Accounts end to end (issue #5): create an account from the list, add an existing customer through the
picker and a new one through the quick form, change a role, edit from the account's page, read its
Activity and Summary, delete it from the list (the customers stay), the customer's profile and list
filter; the same journey on a phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from crm_app.models import Account, Customer
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    make_org_with_admin,
    path_is,
    sign_in,
    wait_hydrated,
)
from tests.e2e.test_customers import make_customer

pytestmark = pytest.mark.e2e

ACCOUNT_URL = re.compile(r"^https?://[^/]+/accounts/(\d+)/?$")


def _signed_in(app_server: AppServer, page: Page) -> Person:
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    return admin


def _open_accounts(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url("/accounts"))
    expect(page.get_by_role("heading", name="Cuentas", exact=True, level=1)).to_be_visible()
    wait_hydrated(page)


def _account_dialog(page: Page, title: str) -> Locator:
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Nombre de la empresa", exact=True)).to_be_visible()
    return dialog


def _customers_of(db_url: str, organization_id: int) -> dict[str, bool]:
    """Customer name -> still active, for the organization."""
    with db_session(db_url) as session:
        rows = session.exec(select(Customer).where(Customer.organization_id == organization_id)).all()
        return {c.display_name: c.deleted_at is None for c in rows}


def _journey(page: Page, app_server: AppServer, admin: Person) -> None:
    make_customer(app_server.db_url, admin, "Lucía", "Paredes", phones=("0991234567",), tags=("VIP",))

    # 1. Create an account from the list: bad input is explained next to the field, nothing is saved.
    # An empty list says so and offers to create the first one, without an empty table or pager.
    _open_accounts(page, app_server)
    expect(page.get_by_text("Todavía no hay cuentas.")).to_be_visible()
    expect(page.get_by_role("button", name="Crear la primera cuenta")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_role("button", name="Siguiente")).to_have_count(0)
    page.get_by_role("button", name="Nueva cuenta").click()
    dialog = _account_dialog(page, "Nueva cuenta")
    dialog.get_by_label("Nombre de la empresa", exact=True).fill("Ferretería Andina")
    tax_id = dialog.get_by_label("Identificación fiscal", exact=True)
    tax_id.fill("1790011674000")
    dialog.get_by_role("button", name="Guardar").click()
    expect(dialog.get_by_role("alert").filter(has_text="Número de identificación no válido.")).to_be_visible()
    with db_session(app_server.db_url) as session:
        saved = session.exec(select(Account).where(Account.organization_id == admin.organization_id)).all()
        assert saved == []
    tax_id.fill("1790011674001")
    dialog.get_by_label("Teléfono", exact=True).fill("02 245 6789")
    dialog.get_by_label("Ciudad", exact=True).fill("Quito")
    dialog.get_by_role("button", name="Guardar").click()
    expect(page).to_have_url(ACCOUNT_URL)
    expect(page.get_by_role("heading", name="Ferretería Andina", level=1)).to_be_visible()
    expect(page.get_by_text("+593 2-245-6789")).to_be_visible()

    # 2. Members: an existing customer through the search picker, as main contact.
    page.get_by_role("button", name="Miembros", exact=True).click()
    expect(page.get_by_text("Esta cuenta aún no tiene miembros.")).to_be_visible()
    page.get_by_label("Rol al agregar").select_option("main_contact")
    page.get_by_label("Buscar clientes para agregar").fill("lucia")
    page.get_by_role("button", name="Lucía Paredes", exact=True).click()  # the client picker's result
    expect(page.get_by_role("link", name="Lucía Paredes", exact=True)).to_be_visible()
    expect(page.get_by_label("Rol en la cuenta Lucía Paredes")).to_have_value("main_contact")

    # ... and a new customer created right there with the quick form, as a plain member.
    page.get_by_label("Rol al agregar").select_option("member")
    page.get_by_role("button", name="Nuevo cliente").click()
    quick = page.get_by_role("dialog", name="Nuevo cliente")
    expect(quick).to_be_visible()
    quick.get_by_label("Nombres", exact=True).fill("Mateo")
    quick.get_by_label("Apellidos", exact=True).fill("Salazar")
    quick.get_by_role("button", name="Guardar").click()
    expect(quick).to_be_hidden()
    expect(page.get_by_role("link", name="Mateo Salazar", exact=True)).to_be_visible()
    role = page.get_by_label("Rol en la cuenta Mateo Salazar")
    expect(role).to_have_value("member")
    role.select_option("billing")
    expect(page.get_by_text("Rol de Mateo Salazar actualizado.")).to_be_visible()

    # 3. Summary and Activity.
    page.get_by_role("button", name="Resumen", exact=True).click()
    expect(page.get_by_text("VIP · 1")).to_be_visible()
    page.get_by_role("button", name="Actividad", exact=True).click()
    expect(page.get_by_text("cambió el rol de Mateo Salazar: Miembro → Facturación")).to_be_visible()
    expect(page.get_by_text("agregó a Lucía Paredes (Contacto principal)")).to_be_visible()

    # 4. Edit from the account's page.
    page.get_by_role("button", name="Información", exact=True).click()
    page.get_by_role("button", name="Editar", exact=True).click()
    dialog = _account_dialog(page, "Editar cuenta")
    expect(dialog.get_by_label("Nombre de la empresa", exact=True)).to_have_value("Ferretería Andina")
    dialog.get_by_label("Nombre de la empresa", exact=True).fill("Ferretería Andina S.A.")
    dialog.get_by_label("Sector", exact=True).fill("Construcción")
    dialog.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name="Ferretería Andina S.A.", level=1)).to_be_visible()
    expect(page.get_by_text("Construcción")).to_be_visible()

    # 5. The member's profile lists the account; the customer list filters by it.
    page.get_by_role("button", name="Miembros", exact=True).click()
    page.get_by_role("link", name="Lucía Paredes", exact=True).click()
    expect(page.get_by_role("heading", name="Lucía Paredes", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Ferretería Andina S.A.")).to_be_visible()
    page.get_by_role("link", name="Ferretería Andina S.A.").click()
    expect(page.get_by_role("heading", name="Ferretería Andina S.A.", level=1)).to_be_visible()
    account_id = int(ACCOUNT_URL.match(page.url).group(1))
    page.goto(app_server.url(f"/customers?account={account_id}"))
    expect(page.get_by_text("Cuenta: Ferretería Andina S.A.")).to_be_visible()
    # Lucía and Mateo are members; a third customer is not.
    make_customer(app_server.db_url, admin, "Zoe", "Ajena")
    page.reload()
    expect(page.get_by_role("link", name="Mateo Salazar", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Lucía Paredes", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Zoe Ajena", exact=True)).to_have_count(0)

    # 6. Delete from the list, after confirming: the account goes, its customers stay.
    _open_accounts(page, app_server)
    expect(page.get_by_role("link", name="Ferretería Andina S.A.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Eliminar Ferretería Andina S.A.").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Sus clientes no se eliminan.")
    confirm.get_by_role("button", name="Confirmar").click()
    expect(page.get_by_text("Todavía no hay cuentas.")).to_be_visible()
    assert _customers_of(app_server.db_url, admin.organization_id) == {
        "Lucía Paredes": True, "Mateo Salazar": True, "Zoe Ajena": True,
    }
    page.goto(app_server.url(f"/accounts/{account_id}"))
    expect(page.get_by_role("heading", name="Cuenta no encontrada.")).to_be_visible()


def test_account_journey_on_a_desktop(app_server: AppServer, page: Page) -> None:
    admin = _signed_in(app_server, page)
    _journey(page, app_server, admin)


def test_account_journey_on_a_phone(app_server: AppServer, phone_page: Page) -> None:
    admin = _signed_in(app_server, phone_page)
    _journey(phone_page, app_server, admin)


def test_accounts_are_in_the_menu_and_another_organizations_account_is_not_found(
    app_server: AppServer, page: Page
) -> None:
    other = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        from crm_app.domain.accounts import AccountInput
        from crm_app.services.accounts import create_account

        foreign = create_account(session=session, actor=other.actor, data=AccountInput(name="Secreta"))
    _signed_in(app_server, page)
    page.get_by_role("link", name="Cuentas").first.click()
    expect(page).to_have_url(path_is("/accounts"))
    page.goto(app_server.url(f"/accounts/{foreign.id}"))
    expect(page.get_by_role("heading", name="Cuenta no encontrada.")).to_be_visible()
    expect(page.get_by_text("Secreta")).to_have_count(0)


# --- forged websocket events: another organization's ids are not found -----------------------------------

_STATE = "reflex___state____state.crm_app___states___session____session_state"
ACCOUNT_STATE = f"{_STATE}.crm_app___states___account____account_state"
ACCOUNT_FORM_STATE = f"{_STATE}.crm_app___states___account_form____account_form_state"
ACCOUNTS_STATE = f"{_STATE}.crm_app___states___accounts____accounts_state"
NOT_FOUND = "No encontrado."


def _forged(state: str, handler: str, payload: dict, path: str) -> dict:
    router_data = {"pathname": path, "asPath": path}
    return {"name": f"{state}.{handler}", "payload": payload, "router_data": router_data}


def _memberships(db_url: str) -> list[tuple[int, int, str]]:
    from crm_app.models import AccountMember

    with db_session(db_url) as session:
        rows = session.exec(select(AccountMember).order_by(AccountMember.id)).all()
        return [(m.account_id, m.customer_id, m.role) for m in rows]


def test_account_and_membership_handlers_refuse_another_organizations_ids(
    app_server: AppServer, page: Page
) -> None:
    from crm_app.domain.accounts import AccountInput
    from crm_app.services.account_members import add_member
    from crm_app.services.accounts import create_account
    from tests.e2e.test_forged_events import _send_raw_events, _toasts

    victim = make_org_with_admin(app_server.db_url)
    ana = make_customer(app_server.db_url, victim, "Ana", "Victima")
    with db_session(app_server.db_url) as session:
        theirs = create_account(session=session, actor=victim.actor, data=AccountInput(name="Ajena"))
        add_member(session=session, actor=victim.actor, account_id=theirs.id, customer_id=ana)
    attacker = make_org_with_admin(app_server.db_url)
    bea = make_customer(app_server.db_url, attacker, "Bea", "Propia")
    with db_session(app_server.db_url) as session:
        mine = create_account(session=session, actor=attacker.actor, data=AccountInput(name="Mía"))
    before = _memberships(app_server.db_url)

    sign_in(page, app_server.base_url, attacker.email, attacker.password)
    own_page = f"/accounts/{mine.id}"
    page.goto(app_server.url(own_page))  # the state now holds the attacker's own account
    expect(page.get_by_role("heading", name="Mía", level=1)).to_be_visible()
    frames = _send_raw_events(page, app_server, [
        _forged(ACCOUNT_FORM_STATE, "open_edit", {"account_id": theirs.id}, "/accounts"),
        _forged(ACCOUNTS_STATE, "ask_delete", {"row_id": theirs.id, "name": "Ajena"}, "/accounts"),
        _forged(ACCOUNTS_STATE, "confirm_delete", {}, "/accounts"),
        _forged(ACCOUNT_STATE, "choose_client", {"customer_id": ana}, own_page),
        _forged(ACCOUNT_STATE, "set_member_role", {"customer_id": ana, "role": "billing"}, own_page),
        _forged(ACCOUNT_STATE, "remove_member", {"customer_id": ana}, own_page),
    ], toasts=5)
    dump = "\n".join(f[:300] for f in frames)
    assert _toasts(frames).count(NOT_FOUND) == 5, f"expected 5 refusals, got frames:\n{dump}"
    assert "Ana Victima" not in "\n".join(frames) and "Ajena" not in _toasts(frames)
    assert _memberships(app_server.db_url) == before
    with db_session(app_server.db_url) as session:
        assert session.get(Account, theirs.id).deleted_at is None

    # Control: the same frame with the attacker's own customer is obeyed, so the frames were well-formed.
    page.goto(app_server.url(own_page))
    expect(page.get_by_role("heading", name="Mía", level=1)).to_be_visible()
    frames = _send_raw_events(page, app_server, [
        _forged(ACCOUNT_STATE, "choose_client", {"customer_id": bea}, own_page),
    ], toasts=1)
    # (the frames are JSON: "agregó" travels as "agreg\\u00f3")
    assert "Bea Propia se a" in _toasts(frames), "\n".join(f[:300] for f in frames)
    assert _memberships(app_server.db_url) == [*before, (mine.id, bea, "member")]
