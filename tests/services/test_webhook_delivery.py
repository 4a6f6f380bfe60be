"""Webhook deliveries against a real local receiver (an http.server thread on 127.0.0.1, allowed by the
CRM_WEBHOOKS_ALLOW_PRIVATE / _ALLOW_HTTP settings): signed, retried after a 500, never redirected,
refused at delivery when the address is no longer allowed; an endpoint that keeps failing is disabled
and its admin e-mailed; a message that fails for good is a message.failed event."""

from __future__ import annotations

import ipaddress
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from crm_app.domain.net_guard import Target, check
from crm_app.domain.webhook_signing import verify
from crm_app.i18n import t
from crm_app.jobs import outbox, webhook_delivery
from crm_app.models import OutboxMessage
from crm_app.models.integrations import WebhookDelivery, WebhookEndpoint
from crm_app.services import webhooks
from tests.db import run_like_app
from tests.factories import make_org
from tests.services.test_messaging import Recorder, make_customer, send, senders
from tests.services.test_outbox_lease import lease_runs_out


class Receiver:
    """A webhook receiver: answers with the queued status codes (then 200) and checks each signature."""

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.received: list[dict] = []
        self.secret = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({
                    "body": json.loads(body), "event_id": self.headers["Clientela-Event-Id"],
                    "type": self.headers["Clientela-Event-Type"], "host": self.headers["Host"],
                    "idempotency_key": self.headers["Idempotency-Key"],
                    "valid": verify(receiver.secret, self.headers["Clientela-Signature"], body),
                })
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                if code in (301, 302, 307):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/clientela"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(env):
    env(CRM_WEBHOOKS_ALLOW_HTTP="true", CRM_WEBHOOKS_ALLOW_PRIVATE="true", CRM_OUTBOX_RETRY_SECONDS="0")
    with Receiver() as running:
        yield running


def register(session, admin, receiver, events=("customer.created",)):
    created, secret = run_like_app(session, webhooks.create_endpoint, actor=admin, url=receiver.url,
                                   events=list(events), description="")
    receiver.secret = secret
    return created


def delivery(session, delivery_id=None) -> WebhookDelivery:
    session.expire_all()
    query = select(WebhookDelivery).order_by(WebhookDelivery.id.desc())
    if delivery_id is not None:
        query = query.where(WebhookDelivery.id == delivery_id)
    return session.execute(query.limit(1)).scalar_one()


def test_a_signed_delivery_is_retried_after_a_500_and_then_delivered(session, db_url, receiver):
    _, admin = make_org(session)
    created = register(session, admin, receiver)
    customer = make_customer(session, admin)
    receiver.codes = [500]
    # The webhook worker (its own loop beside the messages'; a slow receiver never delays an e-mail).
    assert webhook_delivery.run_once(worker="w1", database_url=db_url) == 1
    first = delivery(session)
    assert (first.status, first.attempts, first.response_code, first.last_error) == (
        "queued", 1, 500, "HTTP 500")
    assert first.duration_ms is not None
    assert session.get(WebhookEndpoint, created.id).consecutive_failures == 1
    assert webhook_delivery.run_once(worker="w1", database_url=db_url) == 1
    done = delivery(session)
    assert (done.status, done.attempts, done.response_code, done.last_error) == ("delivered", 2, 200, "")
    assert done.delivered_at is not None
    assert webhook_delivery.run_once(worker="w1", database_url=db_url) == 0  # nothing left
    # The messages' loop leaves webhooks to theirs.
    assert outbox.run_once(senders=senders(Recorder()), database_url=db_url) == 0
    assert [r["valid"] for r in receiver.received] == [True, True]
    # The retry is the same event: the receiver de-duplicates on its id.
    assert {r["event_id"] for r in receiver.received} == {done.event_id}
    assert receiver.received[1]["type"] == "customer.created"
    assert receiver.received[1]["body"]["data"]["object"]["id"] == customer.id
    session.expire_all()
    assert session.get(WebhookEndpoint, created.id).consecutive_failures == 0


def test_a_dead_worker_s_delivery_is_posted_again_after_its_lease_with_the_same_idempotency_key(
    session, db_url, receiver
):
    _, admin = make_org(session)
    created = register(session, admin, receiver)
    run_like_app(session, webhooks.send_test, actor=admin, endpoint_id=created.id)
    (in_hand,) = webhook_delivery.claim("dead", database_url=db_url)
    webhook_delivery.post(check(receiver.url, allow_http=True, allow_private=True), receiver.secret,
                          in_hand, timeout=5)  # received; then the worker died
    assert webhook_delivery.run_once(worker="alive", database_url=db_url) == 0  # its lease still holds
    lease_runs_out(session, WebhookDelivery)
    assert webhook_delivery.run_once(worker="alive", database_url=db_url) == 1
    assert [r["idempotency_key"] for r in receiver.received] == [in_hand.event_id] * 2
    done = delivery(session)
    assert (done.status, done.attempts, done.claimed_by) == ("delivered", 2, "")


def test_redirects_are_not_followed(session, db_url, receiver):
    _, admin = make_org(session)
    created = register(session, admin, receiver)
    run_like_app(session, webhooks.send_test, actor=admin, endpoint_id=created.id)
    receiver.codes = [302]
    webhook_delivery.run_once(worker="w1", database_url=db_url)
    row = delivery(session)
    assert (row.status, row.response_code) == ("queued", 302)
    assert len(receiver.received) == 1 and receiver.received[0]["type"] == "ping"


def test_an_address_no_longer_allowed_is_refused_at_delivery(session, db_url, receiver, env):
    """Registered while private targets were allowed; at delivery they are not: nothing is sent."""
    _, admin = make_org(session)
    created = register(session, admin, receiver)
    run_like_app(session, webhooks.send_test, actor=admin, endpoint_id=created.id)
    env(CRM_WEBHOOKS_ALLOW_HTTP="true", CRM_WEBHOOKS_ALLOW_PRIVATE="false")
    webhook_delivery.run_once(worker="w1", database_url=db_url)
    row = delivery(session)
    assert row.status == "failed" and "webhook_url_private" in row.last_error
    assert receiver.received == []


def test_an_endpoint_that_keeps_failing_is_disabled_and_its_admin_told_once(session, db_url, receiver, env):
    env(CRM_WEBHOOKS_ALLOW_HTTP="true", CRM_WEBHOOKS_ALLOW_PRIVATE="true", CRM_OUTBOX_RETRY_SECONDS="0",
        CRM_WEBHOOKS_MAX_ATTEMPTS="2", CRM_WEBHOOKS_DISABLE_AFTER="3")
    _, admin = make_org(session, language="en")
    created = register(session, admin, receiver)
    for _ in range(3):
        run_like_app(session, webhooks.send_test, actor=admin, endpoint_id=created.id)
    receiver.codes = [500] * 10
    webhook_delivery.run_once(worker="w1", database_url=db_url)  # 3 failed attempts: the limit
    session.expire_all()
    endpoint = session.get(WebhookEndpoint, created.id)
    assert endpoint.disabled_at is not None and endpoint.disabled_reason == "failures"
    # Its queued deliveries end; none is sent again.
    assert {d.status for d in session.execute(select(WebhookDelivery)).scalars()} == {"failed"}
    assert webhook_delivery.run_once(worker="w1", database_url=db_url) == 0
    [mail] = session.execute(select(OutboxMessage)).scalars()
    assert mail.recipient == admin.email and mail.channel == "email"
    assert mail.subject == t("webhook_disabled_subject", admin.language, url=receiver.url)
    assert receiver.url in mail.body and "/settings/api" in mail.body
    listed = webhooks.list_endpoints(session, admin)[0]
    assert not listed.active and listed.disabled_reason == "failures"
    enabled = run_like_app(session, webhooks.enable_endpoint, actor=admin, endpoint_id=created.id)
    assert enabled.active and enabled.consecutive_failures == 0


def test_a_delivery_fails_for_good_after_the_last_attempt(session, db_url, receiver, env):
    env(CRM_WEBHOOKS_ALLOW_HTTP="true", CRM_WEBHOOKS_ALLOW_PRIVATE="true", CRM_OUTBOX_RETRY_SECONDS="0",
        CRM_WEBHOOKS_MAX_ATTEMPTS="2")
    _, admin = make_org(session)
    created = register(session, admin, receiver)
    run_like_app(session, webhooks.send_test, actor=admin, endpoint_id=created.id)
    receiver.codes = [503, 503]
    webhook_delivery.run_once(worker="w1", database_url=db_url)
    webhook_delivery.run_once(worker="w1", database_url=db_url)
    row = delivery(session)
    assert (row.status, row.attempts, row.response_code) == ("failed", 2, 503)
    assert webhook_delivery.run_once(worker="w1", database_url=db_url) == 0
    log = webhooks.list_deliveries(session, admin, created.id)
    assert [(d.status, d.response_code) for d in log.items] == [("failed", 503)]


def test_an_unreachable_receiver_is_a_failed_attempt_with_the_error(session, db_url, receiver):
    _, admin = make_org(session)
    created, _ = run_like_app(session, webhooks.create_endpoint, actor=admin, url="http://127.0.0.1:9/none",
                              events=["customer.created"], description="")
    run_like_app(session, webhooks.send_test, actor=admin, endpoint_id=created.id)
    webhook_delivery.run_once(worker="w1", database_url=db_url)
    row = delivery(session)
    assert row.status == "queued" and row.response_code is None and "ConnectError" in row.last_error


def test_a_message_that_fails_for_good_is_a_message_failed_event(session, db_url, receiver):
    _, admin = make_org(session)
    register(session, admin, receiver, ("message.failed",))
    customer = make_customer(session, admin)
    message_id = send(session, admin, customer)
    outbox.run_once(senders=senders(Recorder(fail=1, permanent=True)), database_url=db_url)
    row = delivery(session)
    obj = json.loads(row.payload)["data"]["object"]
    assert row.event_type == "message.failed"
    assert (obj["id"], obj["status"], obj["channel"], obj["error"]) == (message_id, "failed", "email",
                                                                         "server busy")
    assert obj["customer_id"] == customer.id
    webhook_delivery.run_once(worker="w1", database_url=db_url)  # delivers the webhook
    assert [r["type"] for r in receiver.received] == ["message.failed"] and receiver.received[0]["valid"]


def test_the_post_connects_to_the_checked_address_and_names_the_host(receiver):
    """DNS rebinding: the worker connects to the address it checked, whatever the name says later."""
    port = receiver.server.server_address[1]
    target = Target(url=f"http://hooks.example.test:{port}/in", scheme="http", host="hooks.example.test",
                    port=port, addresses=(ipaddress.ip_address("127.0.0.1"),))
    receiver.secret = "whsec_x"
    claimed = webhook_delivery.ClaimedDelivery(1, 1, "evt_1", "ping", '{"id":"evt_1"}', 1)
    attempt = webhook_delivery.post(target, "whsec_x", claimed, timeout=5)
    assert attempt.ok and attempt.response_code == 200
    assert receiver.received[0]["host"] == f"hooks.example.test:{port}" and receiver.received[0]["valid"]
