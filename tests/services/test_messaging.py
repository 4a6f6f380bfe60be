"""Templates, consent-checked sending, the outbox (claims, retries, real SMTP) and invitations."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date, timedelta
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from sqlalchemy import func, select

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import Forbidden, ValidationFailed
from crm_app.domain.form_edits import CustomFieldInput
from crm_app.jobs import outbox
from crm_app.jobs.delivery import DeliveryError, SmtpMailer, senders_from_settings
from crm_app.models import Customer, Invitation, MessageTemplate, OutboxMessage
from crm_app.models.types import utcnow
from crm_app.services import customers, feed, form_config, invitations, messaging, templates
from crm_app.settings import MessagingSettings
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot
from tests.smtp_sink import smtp_sink


def make_customer(session, actor, *, consent=True, sms=False, whatsapp=False):
    data = CustomerInput(
        client_type="person",
        first_name="Ana",
        last_name="Vera",
        phones=(PhoneInput("0991234567", sms=sms, whatsapp=whatsapp),),
        emails=(EmailInput("ana@example.com", accepts_email=consent),),
    )
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def send(session, actor, customer, channel="email", **kw):
    target = customer.emails[0].id if channel == "email" else customer.phones[0].id
    args = {"subject": "Hola {{ first_name }}", "body": "Tu descuento: {{ discount }}", **kw}
    return run_like_app(
        session,
        messaging.send_to_customer,
        actor=actor,
        customer_id=customer.id,
        channel=channel,
        target_id=target,
        **args,
    )


class Recorder:
    """A sender that records what it is asked to send, failing the first ``fail`` times."""

    name = "recorder"

    def __init__(self, fail: int = 0, permanent: bool = False) -> None:
        self.sent, self.fail, self.permanent = [], fail, permanent

    def send(self, message) -> str:
        if self.fail:
            self.fail -= 1
            raise DeliveryError("server busy", permanent=self.permanent)
        self.sent.append(message)
        return f"id-{message.id}"


def senders(recorder):
    return {"email": recorder, "sms": recorder, "whatsapp": recorder}


# --------------------------------------------------------------------------- templates


def test_templates_are_checked_when_saved_and_admins_only(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, "sales")
    with pytest.raises(ValidationFailed) as refused:
        templates.save_template(
            session=session,
            actor=admin,
            data=templates.TemplateInput("email", "Bienvenida", "Hola {{ nombre }}", "{% if %}"),
        )
    assert refused.value.errors["subject"].code == "template_unknown_placeholder"
    assert refused.value.errors["body"].code == "template_syntax"
    with pytest.raises(Forbidden):
        templates.save_template(
            session=session,
            actor=sales,
            data=templates.TemplateInput("sms", "Promo", body="Hola {{ first_name }}"),
        )
    saved = run_like_app(
        session,
        templates.save_template,
        actor=admin,
        data=templates.TemplateInput("sms", "Promo", body="Hola {{ first_name }}"),
    )
    copy = run_like_app(
        session, templates.duplicate_template, actor=admin, template_id=saved.id, copy_label="copia"
    )
    assert copy.name == "Promo (copia)" and copy.body == saved.body
    with pytest.raises(ValidationFailed) as taken:
        templates.save_template(
            session=session,
            actor=admin,
            data=templates.TemplateInput("sms", "Promo", body="x"),
            template_id=copy.id,
        )
    assert taken.value.errors["name"].code == "template_name_taken"
    assert [t.name for t in templates.list_templates(session=session, actor=sales)] == [
        "Promo",
        "Promo (copia)",
    ]


# --------------------------------------------------------------------------- sending


def test_send_enqueues_rendered_text_and_shows_in_the_feed(session):
    _, admin = make_org(session)
    customer = make_customer(session, admin)
    message_id = send(
        session,
        admin,
        customer,
        subject="Hola {{ first_name }}",
        body="<b>{{ full_name }}</b> de {{ organization }}",
    )
    row = session.get(OutboxMessage, message_id)
    assert (row.status, row.recipient, row.subject, row.html) == (
        "queued",
        "ana@example.com",
        "Hola Ana",
        True,
    )
    assert row.body == "<b>Ana Vera</b> de Acme"
    event = feed.list_feed(session=session, actor=admin, customer_id=customer.id).entries[0]
    assert (event.kind, event.ref["status"], event.ref["recipient"]) == (
        "message",
        "queued",
        "ana@example.com",
    )


def test_consent_is_enforced_per_address_and_per_number(session):
    _, admin = make_org(session)
    customer = make_customer(session, admin, consent=False, sms=True, whatsapp=False)
    before = session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()
    with pytest.raises(ValidationFailed) as refused:
        send(session, admin, customer, "email")
    assert refused.value.errors["target"].code == "no_email_consent"
    with pytest.raises(ValidationFailed) as refused:
        send(session, admin, customer, "whatsapp")
    assert refused.value.errors["target"].code == "no_whatsapp_flag"
    assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == before
    send(session, admin, customer, "sms", body="Hola {{ first_name }}")


def test_another_organizations_customer_and_template_are_not_found(session):
    _, admin_a = make_org(session, "A")
    customer = make_customer(session, admin_a)
    template = run_like_app(
        session, templates.save_template, actor=admin_a, data=templates.TemplateInput("sms", "T", body="x")
    )
    _, admin_b = make_org(session, "B")
    assert_not_found_for_other_org(
        session,
        lambda: messaging.send_to_customer(
            session=session,
            actor=admin_b,
            customer_id=customer.id,
            channel="email",
            target_id=customer.emails[0].id,
            subject="s",
            body="b",
        ),
        column_snapshot(session, Customer, customer.id),
        what="customer",
    )
    for call in (
        lambda: templates.save_template(
            session=session,
            actor=admin_b,
            template_id=template.id,
            data=templates.TemplateInput("sms", "T", body="y"),
        ),
        lambda: templates.delete_template(session=session, actor=admin_b, template_id=template.id),
    ):
        assert_not_found_for_other_org(
            session, call, column_snapshot(session, MessageTemplate, template.id), what="template"
        )


# --------------------------------------------------------------------------- outbox


def test_two_workers_never_claim_the_same_message(session, db_url):
    _, admin = make_org(session)
    for n in range(40):
        messaging.enqueue(
            session, organization_id=admin.organization_id, channel="sms", recipient=f"+5939{n}", body="x"
        )
    session.commit()
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def work(name: str) -> None:
        start.wait()
        while batch := outbox.claim(name, limit=3, database_url=db_url):
            claimed[name] += [m.id for m in batch]

    threads = [threading.Thread(target=work, args=(n,)) for n in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(claimed["a"]) & set(claimed["b"])
    assert len(claimed["a"]) + len(claimed["b"]) == 40


def test_failed_delivery_is_retried_with_back_off_then_fails(session, db_url, env):
    env(CRM_OUTBOX_MAX_ATTEMPTS="2", CRM_OUTBOX_RETRY_SECONDS="60")
    _, admin = make_org(session)
    message = messaging.enqueue(
        session, organization_id=admin.organization_id, channel="sms", recipient="+593991234567", body="x"
    )
    session.commit()
    busy = Recorder(fail=5)
    assert outbox.run_once(senders=senders(busy), database_url=db_url) == 1
    session.expire_all()
    row = session.get(OutboxMessage, message.id)
    assert (row.status, row.attempts, row.last_error) == ("queued", 1, "server busy")
    assert row.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert outbox.run_once(senders=senders(busy), database_url=db_url) == 0  # not due yet
    row.next_attempt_at = utcnow()
    session.add(row)
    session.commit()
    assert outbox.run_once(senders=senders(busy), database_url=db_url) == 1
    session.expire_all()
    row = session.get(OutboxMessage, message.id)
    assert (row.status, row.attempts) == ("failed", 2)


def test_permanent_errors_fail_at_once_and_success_is_recorded(session, db_url):
    _, admin = make_org(session)
    bad = messaging.enqueue(
        session, organization_id=admin.organization_id, channel="sms", recipient="+1", body="x"
    )
    session.commit()
    outbox.run_once(senders=senders(Recorder(fail=1, permanent=True)), database_url=db_url)
    good = messaging.enqueue(
        session, organization_id=admin.organization_id, channel="sms", recipient="+2", body="y"
    )
    session.commit()
    outbox.run_once(senders=senders(Recorder()), database_url=db_url)
    session.expire_all()
    assert session.get(OutboxMessage, bad.id).status == "failed"
    sent = session.get(OutboxMessage, good.id)
    assert (sent.status, sent.provider_id) == ("sent", f"id-{good.id}") and sent.sent_at is not None


class Mailbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    with smtp_sink(mailbox) as port:
        yield port, mailbox


def test_real_smtp_delivery_of_an_html_email(session, db_url, smtp_server):
    port, mailbox = smtp_server
    _, admin = make_org(session)
    customer = make_customer(session, admin)
    send(session, admin, customer, subject="Hola {{ first_name }}", body="Línea 1\n{{ full_name }} & Cía")
    mailer = SmtpMailer(
        MessagingSettings(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="none",
            smtp_sender="Acme <ventas@example.com>",
        )
    )
    assert outbox.run_once(senders={"email": mailer}, database_url=db_url) == 1
    ((recipients, mail),) = mailbox.messages
    assert recipients == ["ana@example.com"] and mail["Subject"] == "Hola Ana"
    assert mail["From"] == "Acme <ventas@example.com>"
    html = mail.get_body(("html",)).get_content()
    assert "Línea 1<br>" in html and "Ana Vera & Cía" in html  # template text is the author's HTML
    assert "Ana Vera & Cía" in mail.get_body(("plain",)).get_content()
    session.expire_all()
    event = feed.list_feed(session=session, actor=admin, customer_id=customer.id).entries[0]
    assert event.ref["status"] == "sent"


def test_a_message_the_log_only_adapter_kept_is_logged_only_not_sent(session, db_url):
    """No SMTP server, no SMS API: the worker writes messages to the server log, and the status, the
    profile's list and the feed say "logged only", never "sent"."""
    _, admin = make_org(session)
    customer = make_customer(session, admin, sms=True)
    mail_id = send(session, admin, customer)
    sms_id = send(session, admin, customer, channel="sms", body="Hola {{ first_name }}")
    invitation_id, _ = invite(session, admin)
    session.commit()
    log_only = senders_from_settings(MessagingSettings())  # nothing configured
    assert outbox.run_once(senders=log_only, database_url=db_url) == 3
    session.expire_all()
    for message_id, channel in ((mail_id, "email"), (sms_id, "sms")):
        row = session.get(OutboxMessage, message_id)
        assert (row.status, row.provider_id) == ("logged_only", f"log-only:{channel}:{message_id}")
    statuses = {e.ref["status"] for e in feed.list_feed(session=session, actor=admin,
                                                         customer_id=customer.id).entries if e.ref}
    assert statuses == {"logged_only"}
    (listed,), _ = invitations.list_invitations(session=session, actor=admin)
    assert (listed.id, listed.message_status) == (invitation_id, "logged_only")


# --------------------------------------------------------------------------- invitations


def invite(session, actor, email="cliente@example.com"):
    data = invitations.InvitationInput(email, "person", "Regístrate en {{ organization }}", "Hola:")
    return run_like_app(session, invitations.invite, actor=actor, data=data)


def registration(**extra):
    return CustomerInput(
        client_type="person",
        first_name="Luis",
        last_name="Mora",
        emails=(EmailInput("cliente@example.com", accepts_email=True),),
        **extra,
    )


def test_invitation_token_is_hashed_and_the_mail_carries_the_link(session):
    _, admin = make_org(session)
    invitation_id, token = invite(session, admin)
    row = session.get(Invitation, invitation_id)
    assert len(token) >= 22 and token not in row.token_hash and len(row.token_hash) == 64
    mail = session.get(OutboxMessage, row.message_id)
    assert (mail.recipient, mail.subject) == ("cliente@example.com", "Regístrate en Acme")
    assert f"/register/{token}" in mail.body and mail.html
    opened = invitations.open_invitation(session=session, token=token)
    assert (opened.organization_name, opened.email, opened.client_type) == (
        "Acme",
        "cliente@example.com",
        "person",
    )


def test_registration_creates_the_customer_spends_the_token_and_tells_the_inviter(session):
    _, admin = make_org(session)
    _, token = invite(session, admin)
    created = run_like_app(session, invitations.register, token=token, data=registration())
    assert created.source == "invitation" and created.emails[0].consent_source == "invitation"
    notice = session.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc())).scalars().first()
    assert notice.recipient == admin.email and "Luis Mora" in notice.subject
    kinds = [e.kind for e in feed.list_feed(session=session, actor=admin, customer_id=created.id).entries]
    assert kinds == ["invitation", "customer_created"]
    with pytest.raises(invitations.InvitationInvalid):
        invitations.open_invitation(session=session, token=token)
    with pytest.raises(invitations.InvitationInvalid):
        invitations.register(session=session, token=token, data=registration())
    items, _ = invitations.list_invitations(session=session, actor=admin, status="completed")
    assert [i.customer_id for i in items] == [created.id]


def test_invalid_form_keeps_the_token_and_expired_or_revoked_tokens_fail(session, env):
    _, admin = make_org(session)
    invitation_id, token = invite(session, admin)
    with pytest.raises(ValidationFailed):
        run_like_app(session, invitations.register, token=token, data=registration(tax_id="123"))
    invitations.open_invitation(session=session, token=token)  # still valid
    row = session.get(Invitation, invitation_id)
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    with pytest.raises(invitations.InvitationInvalid):
        invitations.open_invitation(session=session, token=token)
    _, fresh = invite(session, admin, "otro@example.com")
    fresh_id = max(i.id for i in invitations.list_invitations(session=session, actor=admin)[0])
    run_like_app(session, invitations.revoke, actor=admin, invitation_id=fresh_id)
    with pytest.raises(invitations.InvitationInvalid):
        invitations.open_invitation(session=session, token=fresh)
    assert {i.status for i in invitations.list_invitations(session=session, actor=admin)[0]} == {
        "expired",
        "revoked",
    }


def configure_person_form(session, admin):
    """Birthday and notes required, plus a required "Sucursal" choice: what issue 7's admin does."""
    config = form_config.get_form_config(session=session, actor=admin, client_type="person")
    fields = [dataclasses.replace(f, required=f.key in {"birthday", "notes"} or f.required)
              for f in config.builtin]
    run_like_app(session, form_config.save_builtin_fields, actor=admin, client_type="person", fields=fields)
    branch = CustomFieldInput(kind="choice", label_es="Sucursal", label_en="Branch", required=True,
                              options=((None, "Norte", "North"), (None, "Sur", "South")))
    return run_like_app(session, form_config.create_custom_field, actor=admin, client_type="person",
                        data=branch)


def test_registration_follows_the_form_and_never_takes_staff_only_fields(session):
    _, admin = make_org(session)
    branch = configure_person_form(session, admin)
    _, token = invite(session, admin)
    form = invitations.open_invitation(session=session, token=token).form
    assert form.required("birthday") and [f.id for f in form.active_custom] == [branch.id]
    assert not form.visible("notes")  # staff-only: neither shown nor required on the public page

    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, invitations.register, token=token, data=registration())
    assert set(refused.value.errors) == {"birthday", f"custom.{branch.id}"}
    invitations.open_invitation(session=session, token=token)  # nothing written, the link still works

    north = branch.active_options[0].id
    forged = registration(birthday=date(1990, 4, 12), custom={branch.id: str(north)}, notes="VIP",
                          discount_percent=Decimal(50), tags=("vip",), is_supplier=True)
    created = run_like_app(session, invitations.register, token=token, data=forged)
    assert created.source == "invitation" and created.birthday == date(1990, 4, 12)
    assert created.custom == ((branch.id, ((north, ""),)),)
    assert (created.notes, created.discount_percent, created.tags, created.is_supplier) == ("", 0, (), False)


def test_registration_takes_the_invitation_s_client_type_only(session):
    _, admin = make_org(session)
    _, token = invite(session, admin)
    company = dataclasses.replace(registration(), client_type="company", legal_name="Mora S.A.")
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, invitations.register, token=token, data=company)
    assert set(refused.value.errors) == {"client_type"}


def test_resend_replaces_the_link(session):
    _, admin = make_org(session)
    invitation_id, old = invite(session, admin)
    new = run_like_app(
        session,
        invitations.resend,
        actor=admin,
        invitation_id=invitation_id,
        subject="Recordatorio",
        body="Hola otra vez {{ invitation_link }}",
    )
    with pytest.raises(invitations.InvitationInvalid):
        invitations.open_invitation(session=session, token=old)
    assert invitations.open_invitation(session=session, token=new).email == "cliente@example.com"


def test_the_public_page_is_rate_limited_per_address(session):
    for _ in range(invitations.REGISTER_LIMIT):
        invitations.check_rate(session, "10.0.0.1")
    with pytest.raises(invitations.TooManyRequests):
        invitations.check_rate(session, "10.0.0.1")
    invitations.check_rate(session, "10.0.0.2")


def test_another_organizations_invitation_is_not_found(session):
    _, admin_a = make_org(session, "A")
    invitation_id, _ = invite(session, admin_a)
    _, admin_b = make_org(session, "B")
    assert_not_found_for_other_org(
        session,
        lambda: invitations.revoke(session=session, actor=admin_b, invitation_id=invitation_id),
        column_snapshot(session, Invitation, invitation_id),
        what="invitation",
    )
    assert invitations.list_invitations(session=session, actor=admin_b) == ([], None)
