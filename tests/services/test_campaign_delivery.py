"""A campaign's e-mails on their way out, on both databases: over real SMTP (aiosmtpd) with the
one-click unsubscribe headers of RFC 8058 (and none on an ordinary message); one-click unsubscribe
withdraws the consent with its time, cancels what still waited for that address and tells the feed; a
message whose address withdrew consent after it was queued is never sent; the last message ends the
campaign."""

from __future__ import annotations

import dataclasses
import json
import socket
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from crm_app.domain.campaigns import UNSUBSCRIBED, read_unsubscribe_token
from crm_app.domain.form_config import input_from_dto
from crm_app.jobs import outbox
from crm_app.jobs.delivery import SmtpMailer
from crm_app.models import Campaign, CampaignRecipient, CustomerEmail, FeedEvent, Organization, OutboxMessage
from crm_app.models.integrations import WebhookDelivery
from crm_app.models.types import utcnow
from crm_app.services import customers, messaging, webhooks
from crm_app.services.campaigns import unsubscribe as unsubscribe_service
from crm_app.settings import MessagingSettings, get_settings
from tests.campaign_factories import Recorder, campaign_shop, messages, started
from tests.db import run_like_app
from tests.e2e.mailbox import start_mailbox


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _all_due(session, campaign_id) -> None:
    session.execute(update(OutboxMessage).where(OutboxMessage.campaign_id == campaign_id)
                    .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    session.commit()


def address_row(session, address: str) -> CustomerEmail:
    return session.execute(select(CustomerEmail).where(CustomerEmail.address == address)).scalar_one()


def send_due(session, db_url, campaign_id) -> list[str]:
    """Make every message of the campaign due, run the worker once: the addresses it sent to."""
    _all_due(session, campaign_id)
    recorder = Recorder()
    outbox.run_once(senders={"email": recorder}, database_url=db_url)
    session.expire_all()
    return recorder.sent


def message_to(session, campaign_id, address: str) -> OutboxMessage:
    return next(m for m in messages(session, campaign_id) if m.recipient == address)


def token_of(message: OutboxMessage) -> str:
    return urlsplit(message.unsubscribe_url).path.rsplit("/", 1)[-1]


@pytest.fixture
def shop(session):
    return campaign_shop(session)


def test_campaign_mail_over_smtp_carries_the_one_click_headers(session, db_url, shop):
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    ana = address_row(session, "ana@example.com")
    run_like_app(session, messaging.send_to_customer, actor=admin, customer_id=ana.customer_id,
                 channel="email", target_id=ana.id, subject="Hola", body="Uno a uno")
    _all_due(session, campaign_id)
    mailbox, controller = start_mailbox(_free_port())
    try:
        mailer = SmtpMailer(MessagingSettings(smtp_host="127.0.0.1", smtp_port=mailbox.port,
                                              smtp_security="none", smtp_sender="Acme <ventas@example.com>"))
        assert outbox.run_once(senders={"email": mailer}, database_url=db_url) == 3
        carla = mailbox.wait_for("carla@example.com")
        one_to_one = mailbox.wait_for("ana@example.com", lambda m: m.subject == "Hola")
    finally:
        controller.stop()
    url = str(carla.message["List-Unsubscribe"]).strip()
    assert url.startswith(f"<{get_settings().public_url}/api/unsubscribe/") and url.endswith(">")
    assert carla.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url.strip("<>") in carla.html()  # the footer's link is the same
    assert one_to_one.message["List-Unsubscribe"] is None  # not a campaign's: no such header
    session.expire_all()
    assert session.get(Campaign, campaign_id).status == "done"  # its last message went


def test_one_click_unsubscribe_withdraws_consent_and_cancels_what_waited(session, db_url, shop):
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    ana = messages(session, campaign_id)[0]
    token = token_of(ana)
    assert read_unsubscribe_token(token, get_settings().secret_key) is not None
    assert read_unsubscribe_token(token[:-2] + "xx", get_settings().secret_key) is None
    session.execute(update(OutboxMessage).where(OutboxMessage.campaign_id == campaign_id,
                                                OutboxMessage.recipient == "carla@example.com")
                    .values(status="sent", sent_at=utcnow()))  # Carla's went: Ana's is the last one waiting
    session.commit()
    done = run_like_app(session, unsubscribe_service.unsubscribe, token=token)
    assert (done.already, done.masked_address) == (False, "a***@example.com")
    session.expire_all()
    email = address_row(session, "ana@example.com")
    assert (email.accepts_email, email.consent_source) == (False, UNSUBSCRIBED)
    assert email.consent_at is not None
    assert session.get(OutboxMessage, ana.id).status == "cancelled"  # it had not gone yet
    assert session.get(Campaign, campaign_id).status == "done"  # nothing of it waits any more
    event = session.execute(select(FeedEvent).where(FeedEvent.kind == "unsubscribed")).scalar_one()
    assert event.customer_id == ana.customer_id and event.actor_id is None and "ana@example.com" in event.data
    recipient = session.execute(
        select(CampaignRecipient).where(CampaignRecipient.message_id == ana.id)).scalar_one()
    assert recipient.unsubscribed_at is not None
    again = run_like_app(session, unsubscribe_service.unsubscribe, token=token)
    assert again.already is True
    assert len(session.execute(select(FeedEvent).where(FeedEvent.kind == "unsubscribed")).all()) == 1
    # A staff edit of the customer keeps when he withdrew, as long as the address stays unticked.
    customer = customers.get_customer(session=session, actor=admin, customer_id=ana.customer_id)
    edited = dataclasses.replace(input_from_dto(customer), notes="Llamó para darse de baja")
    run_like_app(session, customers.update_customer, actor=admin, customer_id=customer.id, data=edited,
                 version=customer.version)
    session.expire_all()
    kept = address_row(session, "ana@example.com")
    assert kept.consent_source == UNSUBSCRIBED


def test_a_message_whose_address_withdrew_consent_is_never_sent(session, db_url, shop):
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    session.execute(update(CustomerEmail).where(CustomerEmail.address == "carla@example.com")
                    .values(accepts_email=False))  # staff unticked it after the campaign was queued
    assert send_due(session, db_url, campaign_id) == ["ana@example.com"]
    carla = message_to(session, campaign_id, "carla@example.com")
    assert (carla.status, carla.last_error) == ("cancelled", "consent withdrawn")
    assert session.get(Campaign, campaign_id).status == "done"


def test_a_customer_trashed_after_the_start_gets_nothing(session, db_url, shop):
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    carla = address_row(session, "carla@example.com")
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=carla.customer_id)
    assert send_due(session, db_url, campaign_id) == ["ana@example.com"]


def test_an_unsubscribe_tells_the_webhooks_customer_updated(session, db_url, shop, env):
    env(CRM_WEBHOOKS_ALLOW_HTTP="true", CRM_WEBHOOKS_ALLOW_PRIVATE="true")
    admin, tpl = shop
    run_like_app(session, webhooks.create_endpoint, actor=admin, url="http://127.0.0.1:9/hook",
                 events=["customer.updated"], description="")
    campaign_id = started(session, db_url, admin, tpl)
    run_like_app(session, unsubscribe_service.unsubscribe, token=token_of(messages(session, campaign_id)[0]))
    (delivery,) = session.execute(select(WebhookDelivery)).scalars()
    body = json.loads(delivery.payload)
    assert body["type"] == "customer.updated"
    emails = {e["address"]: e["accepts_email"] for e in body["data"]["object"]["emails"]}
    assert emails == {"ana@example.com": False, "ana2@example.com": True}  # only the address he left


def test_a_backlog_goes_out_at_the_pace_not_at_once(session, db_url, shop):
    """Spaced when queued, the messages of a worker that was down are all due at once: the worker still
    sends no more than the organization's pace a minute, and gives the claim's attempt back."""
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    session.execute(update(Organization).where(Organization.id == admin.organization_id)
                    .values(campaign_per_minute=1))
    assert send_due(session, db_url, campaign_id) == ["ana@example.com"]
    carla = message_to(session, campaign_id, "carla@example.com")
    assert (carla.status, carla.attempts) == ("queued", 0) and carla.next_attempt_at > utcnow()
