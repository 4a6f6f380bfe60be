"""Issue 19, finding 1: the probe's nested-loop body is a field error wherever a template is rendered
(saving in the editor, the send dialog's preview, sending, invitations), and nothing is written."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import ValidationFailed
from crm_app.models import Invitation, MessageTemplate, OutboxMessage
from crm_app.services import customers, invitations, messaging, templates
from crm_app.states import template_check
from crm_app.states.template_check import CheckRequest
from tests.db import run_like_app
from tests.factories import make_org

NESTED_LOOP = "{% for i in range(100000) %}{% for j in range(3000) %}x{% endfor %}{% endfor %}"


def count(session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def make_customer(session, actor):
    data = CustomerInput(client_type="person", first_name="Lucía", last_name="Prueba",
                         phones=(PhoneInput("0991234567", sms=True),),
                         emails=(EmailInput("lucia@example.com", accepts_email=True),))
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def preview(session, monkeypatch, request: CheckRequest) -> template_check.CheckOutcome:
    """The check the editor and the send dialog run, reading the customer in this test's session."""
    monkeypatch.setattr(template_check, "_context", lambda actor, customer_id: messaging.customer_context(
        session=session, actor=actor, customer_id=customer_id))
    with ThreadPoolExecutor(1) as pool:  # a loop of its own: sync Playwright may have left one running
        return pool.submit(asyncio.run, template_check.check(request)).result()


def test_saving_refuses_the_nested_loop_and_stores_nothing(session):
    _, admin = make_org(session)
    with pytest.raises(ValidationFailed) as refused:
        templates.save_template(session=session, actor=admin,
                                data=templates.TemplateInput("sms", "Promo", body=NESTED_LOOP))
    assert refused.value.errors["body"].code == "template_no_loop"
    assert count(session, MessageTemplate) == 0


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_sending_refuses_the_nested_loop_and_enqueues_nothing(session, channel):
    _, admin = make_org(session)
    customer = make_customer(session, admin)
    target = customer.emails[0].id if channel == "email" else customer.phones[0].id
    with pytest.raises(ValidationFailed) as refused:
        messaging.send_to_customer(session=session, actor=admin, customer_id=customer.id, channel=channel,
                                   target_id=target, subject="Hola", body=NESTED_LOOP)
    assert refused.value.errors["body"].code == "template_no_loop"
    assert count(session, OutboxMessage) == 0


def test_inviting_refuses_the_nested_loop_and_writes_nothing(session):
    _, admin = make_org(session)
    data = invitations.InvitationInput("cliente@example.com", "person", "{{ 'a' * 300000000 }}", NESTED_LOOP)
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, invitations.invite, actor=admin, data=data)
    assert {f: e.code for f, e in refused.value.errors.items()} == {
        "subject": "template_no_operator", "body": "template_no_loop"}
    assert count(session, Invitation) == 0 and count(session, OutboxMessage) == 0


def test_the_send_preview_refuses_the_nested_loop_and_previews_a_valid_body(session, monkeypatch):
    _, admin = make_org(session)
    customer = make_customer(session, admin)
    refused = preview(session, monkeypatch, CheckRequest(admin, customer.id, "sms", "", NESTED_LOOP))
    assert refused.preview is None and refused.errors["body"].code == "template_no_loop"
    shown = preview(session, monkeypatch, CheckRequest(admin, customer.id, "email", "Hola {{ first_name }}",
                                                       "<b>{{ full_name }}</b> de {{ organization }}"))
    assert shown.errors == {}
    assert (shown.preview.subject, shown.preview.body) == ("Hola Lucía", "<b>Lucía Prueba</b> de Acme")


def test_another_organizations_customer_is_never_previewed(session, monkeypatch):
    _, admin = make_org(session)
    _, other_admin = make_org(session, "Otra")
    theirs = make_customer(session, other_admin)
    outcome = preview(session, monkeypatch, CheckRequest(admin, theirs.id, "sms", "", "{{ full_name }}"))
    assert outcome.preview is None and outcome.errors == {}
