"""Templates, sending with consent and self-registration by invitation, end to end (issue 7).

The server's outbox worker delivers e-mail over real SMTP to the session's aiosmtpd ``mailbox``;
the tests parse what arrived. Each test makes its own organization.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.domain import local_time
from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.models import Customer, CustomerEmail, FeedEvent, Invitation, MessageTemplate, OutboxMessage
from crm_app.services.customers import create_customer
from crm_app.services.invitations import InvitationInput, invite
from crm_app.services.templates import TemplateInput, save_template
from tests.e2e.conftest import (
    AppServer,
    Person,
    db_session,
    make_org_with_admin,
    make_user,
    sign_in,
    unique_email,
    wait_hydrated,
)
from tests.e2e.mailbox import Mailbox

pytestmark = pytest.mark.e2e


def make_customer(db_url: str, owner: Person, first: str, *, emails: tuple[tuple[str, bool], ...] = (),
                  phone: str = "", discount: str = "0", sms: bool = False) -> int:
    data = CustomerInput(
        client_type="person", first_name=first, last_name="Prueba",
        emails=tuple(EmailInput(address=a, accepts_email=ok, primary=i == 0)
                     for i, (a, ok) in enumerate(emails)),
        phones=(PhoneInput(number=phone, primary=True, sms=sms),) if phone else (),
        discount_percent=Decimal(discount),
    )
    with db_session(db_url) as session:
        return create_customer(session=session, actor=owner.actor, data=data).id


def customer_email(prefix: str) -> str:
    """A unique address the customer validation accepts (it refuses special-use domains like .test)."""
    return unique_email(prefix).replace("@example.test", "@example.com")


def signed_in_admin(app_server: AppServer, page: Page) -> Person:
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    return admin


def test_email_template_with_a_placeholder_checked_live_and_previewed(
    app_server: AppServer, page: Page
) -> None:
    admin = signed_in_admin(app_server, page)
    make_customer(app_server.db_url, admin, "Lucía", emails=((customer_email("lucia"), True),))
    page.goto(app_server.url("/templates"))
    expect(page.get_by_role("heading", name="Plantillas de mensajes")).to_be_visible()
    wait_hydrated(page)

    page.get_by_role("button", name="Nueva plantilla").click()
    page.get_by_role("menuitem", name="Correo").click()
    dialog = page.get_by_role("dialog", name="Nueva plantilla")
    dialog.get_by_label("Nombre", exact=True).fill("Bienvenida")
    dialog.get_by_label("Asunto", exact=True).fill("Hola desde {{ organization }}")

    body = dialog.get_by_label("Texto", exact=True)
    body.fill("Hola {{ nombre }}")  # not a placeholder: refused while typing
    expect(dialog.get_by_text("Marcador desconocido «nombre»")).to_be_visible()

    body.fill("Hola ")
    body.press("End")
    dialog.get_by_role("button", name="Insertar dato").click()
    page.get_by_role("menuitem", name="Nombre del cliente").click()
    expect(body).to_have_value("Hola {{ first_name }}")
    expect(dialog.get_by_text("Marcador desconocido")).to_have_count(0)

    dialog.get_by_label("Cliente para la vista previa").fill("Lucía")
    dialog.get_by_role("button", name=re.compile("^Lucía Prueba")).click()
    expect(dialog.get_by_text("Así lo recibiría Lucía Prueba:")).to_be_visible()
    preview = dialog.frame_locator("iframe[title='Vista previa']")
    expect(preview.get_by_text("Hola Lucía")).to_be_visible()

    dialog.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text("Bienvenida", exact=True)).to_be_visible()
    with db_session(app_server.db_url) as session:
        saved = session.exec(select(MessageTemplate).where(
            MessageTemplate.organization_id == admin.organization_id)).one()
        assert (saved.channel, saved.subject, saved.body) == (
            "email", "Hola desde {{ organization }}", "Hola {{ first_name }}")


def test_sales_users_read_and_use_templates_but_cannot_change_them(app_server: AppServer, page: Page) -> None:
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        save_template(session=session, actor=admin.actor, data=TemplateInput("sms", "Aviso", "",
                                                                             "Hola {{ first_name }}"))
    sales = make_user(app_server.db_url, admin, "sales", change_password=True)
    sign_in(page, app_server.base_url, sales.email, sales.password)
    page.goto(app_server.url("/templates"))
    expect(page.get_by_text("Aviso", exact=True)).to_be_visible()
    wait_hydrated(page)
    expect(page.get_by_role("button", name="Nueva plantilla")).to_have_count(0)
    expect(page.get_by_role("button", name="Eliminar Aviso")).to_have_count(0)

    page.get_by_role("button", name="Ver Aviso").click()
    dialog = page.get_by_role("dialog", name="Editar plantilla")
    expect(dialog.get_by_text("Solo los administradores pueden cambiar plantillas")).to_be_visible()
    expect(dialog.get_by_label("Texto", exact=True)).to_have_value("Hola {{ first_name }}")
    expect(dialog.get_by_label("Texto", exact=True)).not_to_be_editable()
    expect(dialog.get_by_text(re.compile(r"caracteres · 1 segmento\(s\) de 160 · GSM-7"))).to_be_visible()
    expect(dialog.get_by_role("button", name="Guardar")).to_have_count(0)


def test_send_a_template_to_a_consenting_address_and_see_it_sent(
    app_server: AppServer, page: Page, mailbox: Mailbox
) -> None:
    admin = signed_in_admin(app_server, page)
    yes, no = customer_email("ana"), customer_email("ana.no")
    customer_id = make_customer(app_server.db_url, admin, "Ana", emails=((yes, True), (no, False)),
                                phone="0991234567", discount="10")
    with db_session(app_server.db_url) as session:
        save_template(session=session, actor=admin.actor, data=TemplateInput(
            "email", "Promoción", "Oferta para {{ first_name }}",
            "Hola {{ first_name }}, tu descuento es {{ discount }} %."))

    page.goto(app_server.url(f"/customers/{customer_id}"))
    expect(page.get_by_role("heading", name="Mensajes", exact=True)).to_be_visible()
    wait_hydrated(page)
    # No consent, no button: the reason is written next to it.
    expect(page.get_by_role("button", name=f"Enviar correo {no}")).to_be_disabled()
    expect(page.get_by_text(f"{no} no acepta correos: no se le puede escribir.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Enviar SMS "))).to_be_disabled()

    page.get_by_role("button", name=f"Enviar correo {yes}").click()
    dialog = page.get_by_role("dialog", name="Enviar correo")
    dialog.get_by_label("Plantilla").select_option(label="Promoción")
    expect(dialog.get_by_label("Asunto", exact=True)).to_have_value("Oferta para {{ first_name }}")
    expect(dialog.frame_locator("iframe[title='Vista previa']").get_by_text(
        "Hola Ana, tu descuento es 10 %.")).to_be_visible()
    dialog.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    mail = mailbox.wait_for(yes)
    assert mail.subject == "Oferta para Ana"
    assert "Hola Ana, tu descuento es 10 %." in mail.text()
    assert mailbox.to(no) == []
    messages = page.get_by_role("list", name="Últimos mensajes")
    expect(messages.get_by_role("listitem").filter(has_text="Oferta para Ana")).to_contain_text("Enviado")


def test_invited_client_registers_once_and_the_inviter_is_told(
    app_server: AppServer, page: Page, new_page, mailbox: Mailbox
) -> None:
    admin = signed_in_admin(app_server, page)
    invitee = customer_email("invitado")
    page.goto(app_server.url("/customers"))
    expect(page.get_by_role("heading", name="Clientes", exact=True)).to_be_visible()
    wait_hydrated(page)

    page.get_by_role("button", name="Invitar cliente").click()
    dialog = page.get_by_role("dialog", name="Invitar cliente")
    dialog.get_by_label("Correo electrónico").fill(invitee)
    body = dialog.get_by_label("Mensaje", exact=True)
    body.fill("Regístrate aquí: ")
    body.press("End")
    dialog.get_by_role("button", name="Insertar enlace de invitación").click()
    expect(body).to_have_value("Regístrate aquí: {{ invitation_link }}")
    dialog.get_by_role("button", name="Enviar invitación").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    mail = mailbox.wait_for(invitee)
    link = re.search(r"https?://\S+/register/[A-Za-z0-9_-]+", mail.text())
    assert link, mail.text()
    assert "Regístrate aquí:" in mail.text()

    client = new_page()  # the client: another browser, not signed in
    client.goto(link.group(0))
    expect(client.get_by_role("button", name="Registrarme")).to_be_visible()
    wait_hydrated(client)
    expect(client.get_by_label("Correo electrónico")).to_have_value(invitee)
    client.get_by_label("Nombres").fill("Rosa")
    client.get_by_label("Apellidos").fill("Invitada")
    client.get_by_label("Teléfono").fill("0987654321")
    client.get_by_label("Acepto recibir correos").check()
    client.get_by_label("Acepto recibir WhatsApp").check()
    client.get_by_role("button", name="Registrarme").click()
    expect(client.get_by_role("heading", name="¡Gracias!")).to_be_visible()

    with db_session(app_server.db_url) as session:
        customer = session.exec(select(Customer).where(
            Customer.organization_id == admin.organization_id, Customer.first_name == "Rosa")).one()
        assert customer.source == "invitation"
        email = session.exec(select(CustomerEmail).where(CustomerEmail.customer_id == customer.id)).one()
        assert (email.address, email.accepts_email) == (invitee, True)
        assert email.consent_at is not None
        invitation = session.exec(select(Invitation).where(Invitation.email == invitee)).one()
        assert invitation.used_at is not None and invitation.customer_id == customer.id

    notice = mailbox.wait_for(admin.email, lambda m: "Rosa Invitada" in m.subject)
    assert invitee in notice.text()
    assert f"/customers/{customer.id}" in notice.text()

    again = new_page()
    again.goto(link.group(0))
    expect(again.get_by_role("heading", name="Enlace no válido")).to_be_visible()
    expect(again.get_by_role("button", name="Registrarme")).to_have_count(0)

    page.goto(app_server.url("/invitations"))
    expect(page.get_by_role("row").filter(has_text=invitee)).to_contain_text("Completada")


def test_invitations_on_a_phone_are_cards_whose_actions_work(app_server: AppServer, phone_page: Page):
    admin = make_org_with_admin(app_server.db_url)
    invitee = customer_email("movil")
    with db_session(app_server.db_url) as session:
        invite(session=session, actor=admin.actor,
               data=InvitationInput(invitee, "person", "Regístrate en {{ organization }}", "Hola:"))
    sign_in(phone_page, app_server.base_url, admin.email, admin.password)
    phone_page.goto(app_server.url("/invitations"))
    expect(phone_page.get_by_role("heading", name="Invitaciones")).to_be_visible()
    wait_hydrated(phone_page)

    # A card instead of the wide table that scrolled sideways.
    expect(phone_page.get_by_text(invitee, exact=True)).to_be_visible()
    cards = phone_page.locator(".crm-cards")
    expect(cards.get_by_text("Pendiente", exact=True)).to_be_visible()
    expect(phone_page.get_by_role("table")).to_have_count(0)
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone_page.get_by_role("button", name=f"Anular {invitee}").click()
    confirm = phone_page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(invitee)
    confirm.get_by_role("button", name="Confirmar").click()
    expect(cards.get_by_text("Anulada", exact=True)).to_be_visible()
    expect(phone_page.get_by_role("button", name=f"Anular {invitee}")).to_have_count(0)


def test_a_message_only_logged_says_the_customer_got_nothing_with_local_times(
    app_server: AppServer, page: Page
) -> None:
    """The e2e server has an SMTP server but no SMS API: an SMS is written to the server log only. The
    profile's list, the feed and /invitations say so, with the reason, and show times in the
    organization's zone (Ecuador, UTC-5) in the reader's format, never "UTC"."""
    admin = signed_in_admin(app_server, page)
    customer_id = make_customer(app_server.db_url, admin, "Leo", phone="0991234567", sms=True)
    invitee = customer_email("registrada")
    with db_session(app_server.db_url) as session:
        invitation_id, _ = invite(session=session, actor=admin.actor,
                                  data=InvitationInput(invitee, "person", "Regístrate", "Hola:"))
        invitation = session.get(Invitation, invitation_id)
        # What the worker records when no e-mail server is configured; marked in the transaction that
        # queues it, so this server's worker never claims it.
        mail = session.get(OutboxMessage, invitation.message_id)
        mail.status, mail.provider_id = "logged_only", f"log-only:email:{mail.id}"
        session.add(mail)
        invited_at = invitation.created_at

    page.goto(app_server.url(f"/customers/{customer_id}"))
    expect(page.get_by_role("heading", name="Mensajes", exact=True)).to_be_visible()
    wait_hydrated(page)
    page.get_by_role("button", name=re.compile(r"^Enviar SMS ")).click()
    dialog = page.get_by_role("dialog", name="Enviar SMS")
    expect(dialog.get_by_text(re.compile("^SMS y WhatsApp no están configurados"))).to_be_visible()
    dialog.get_by_label("Mensaje", exact=True).fill("Hola Leo, te esperamos")
    dialog.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"^Mensaje para .* solo registrado \(no enviado\)"))).to_be_visible()

    messages = page.get_by_role("list", name="Últimos mensajes")
    row = messages.get_by_role("listitem").filter(has_text="Hola Leo, te esperamos")
    expect(row).to_contain_text("Solo registrado (no enviado)")
    expect(row).to_contain_text("No hay API de SMS configurada: el cliente no recibió nada.")
    with db_session(app_server.db_url) as session:
        sent_at = session.exec(select(FeedEvent.created_at).where(
            FeedEvent.customer_id == customer_id, FeedEvent.kind == "message")).one()
    expect(row).to_contain_text(local_time.exact(sent_at, "America/Guayaquil", "es"))
    expect(messages).not_to_contain_text("UTC")

    entry = page.get_by_role("list", name="Actividad").get_by_role("listitem").filter(
        has_text="escribió un SMS para")
    expect(entry).to_contain_text("solo registrado (no enviado)")
    expect(entry).to_contain_text("No hay API de SMS configurada: el cliente no recibió nada.")

    page.goto(app_server.url("/invitations"))
    listed = page.get_by_role("row").filter(has_text=invitee)
    expect(listed).to_contain_text("Solo registrado (no enviado)")
    expect(listed).to_contain_text("No hay servidor de correo configurado: el cliente no recibió nada.")
    expect(listed).to_contain_text(local_time.exact(invited_at, "America/Guayaquil", "es"))
