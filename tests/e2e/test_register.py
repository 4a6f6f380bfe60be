"""The invitation page follows the organization's form configuration (issue 7), end to end.

The admin shapes the person form in the form editor (Birthday required, a required "Sucursal"
choice); the invited client, signed out in another browser, sees those fields, is refused without
them (the message under each field, nothing written, the link still valid) and registers with them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Customer, CustomerFieldValue, CustomField, CustomFieldOption, Invitation
from crm_app.services import invitations
from tests.e2e.conftest import AppServer, Person, db_session, make_org_with_admin, sign_in, wait_hydrated
from tests.e2e.test_admin_config import REQUIRED, add_branch_field, open_editor
from tests.e2e.test_messaging import customer_email

pytestmark = pytest.mark.e2e


def invitation_link(app_server: AppServer, admin: Person, email: str) -> str:
    """An invitation made by ``admin`` (the invitation dialog itself is covered in test_messaging)."""
    data = invitations.InvitationInput(email, "person", "Regístrate", "Hola:")
    with db_session(app_server.db_url) as session:
        _, token = invitations.invite(session=session, actor=admin.actor, data=data)
    return app_server.url(f"/register/{token}")


def open_invitation(page: Page, link: str, submit: str = "Registrarme") -> None:
    page.goto(link)
    expect(page.get_by_role("button", name=submit)).to_be_visible()
    wait_hydrated(page)


def test_invitation_page_asks_the_configured_required_fields(app_server: AppServer, page: Page, new_page):
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_editor(page, app_server)
    required = page.get_by_label("Obligatorio Fecha de nacimiento", exact=True)
    required.click()
    expect(required).to_be_checked()
    add_branch_field(page, required=True)
    # Staff make the internal notes required too: the public is never asked for them.
    notes = page.get_by_label("Obligatorio Notas", exact=True)
    notes.click()
    expect(notes).to_be_checked()

    invitee = customer_email("sucursal")
    link = invitation_link(app_server, admin, invitee)
    client = new_page()  # the client: another browser, not signed in
    open_invitation(client, link)
    birthday, branch = client.get_by_label("Fecha de nacimiento"), client.get_by_label("Sucursal")
    expect(birthday).to_have_attribute("aria-required", "true")
    expect(branch).to_have_attribute("aria-required", "true")
    expect(branch.locator("option")).to_have_text(["— Elegir —", "Norte", "Sur"])
    for staff_only in ("Notas", "Descuento", "Límite de crédito", "Etiquetas", "Proveedor"):
        expect(client.get_by_label(staff_only)).to_have_count(0)
    expect(client.get_by_label("Correo electrónico")).to_have_value(invitee)

    client.get_by_label("Nombres").fill("Rosa")
    client.get_by_label("Apellidos").fill("Sucursal")
    client.get_by_label("Acepto recibir correos").check()
    client.get_by_role("button", name="Registrarme").click()
    # Refused by the service: the message sits under each missing field, in the visitor's language.
    expect(client.locator("#register-birthday-error")).to_have_text(REQUIRED)
    with db_session(app_server.db_url) as session:
        field = session.exec(select(CustomField).where(CustomField.organization_id == admin.organization_id,
                                                       CustomField.label_es == "Sucursal")).one()
        north = session.exec(select(CustomFieldOption).where(CustomFieldOption.field_id == field.id,
                                                             CustomFieldOption.label_es == "Norte")).one()
        own = select(Customer).where(Customer.organization_id == admin.organization_id)
        assert session.exec(own).first() is None
        assert session.exec(select(Invitation).where(Invitation.email == invitee)).one().used_at is None
    expect(client.locator(f"#register-custom-{field.id}-error")).to_have_text(REQUIRED)

    birthday.fill("1990-04-12")
    branch.select_option(label="Norte")
    client.get_by_role("button", name="Registrarme").click()
    expect(client.get_by_role("heading", name="¡Gracias!")).to_be_visible()
    with db_session(app_server.db_url) as session:
        customer = session.exec(select(Customer)
                                .where(Customer.organization_id == admin.organization_id)).one()
        assert (customer.first_name, customer.source, customer.notes) == ("Rosa", "invitation", "")
        assert customer.birthday.isoformat() == "1990-04-12"
        values = session.exec(select(CustomerFieldValue)
                              .where(CustomerFieldValue.customer_id == customer.id)).all()
        assert [(v.field_id, v.option_id) for v in values] == [(field.id, north.id)]


def test_the_page_speaks_the_organization_s_language_until_the_visitor_picks_one(
    app_server: AppServer, new_page
):
    admin = make_org_with_admin(app_server.db_url, language="en")
    link = invitation_link(app_server, admin, customer_email("english"))
    client = new_page()
    open_invitation(client, link, submit="Register")
    expect(client.get_by_label("First names")).to_be_visible()
    client.get_by_role("button", name="Register").click()
    expect(client.locator("#register-first_name-error")).to_have_text("This field is required.")

    client.get_by_label("Language").select_option("es")
    # The form's labels follow at once; the choice is kept for the next visit.
    expect(client.get_by_label("Nombres")).to_be_visible()
    expect(client.get_by_role("button", name="Registrarme")).to_be_visible()
    open_invitation(client, link)
    expect(client.get_by_label("Apellidos")).to_be_visible()
