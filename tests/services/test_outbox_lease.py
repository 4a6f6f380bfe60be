"""The outbox's lease (crm_app/jobs/lease.py), on SQLite and PostgreSQL, with a lease of a second (or
one the test lets run out): a slow send keeps its message (the worker renews the lease), a dead
worker's message goes to another worker with the same Message-ID and the dead one's late outcome is
refused, and a worker told to stop finishes the message in hand and gives the rest back."""

from __future__ import annotations

import logging
import threading
import time

import httpx
import pytest
from sqlalchemy import update

from crm_app.jobs import outbox
from crm_app.jobs.delivery import Outgoing, SmtpMailer, TwilioCompatibleSms
from crm_app.models import OutboxMessage
from crm_app.models.types import utcnow
from crm_app.services import messaging
from crm_app.settings import MessagingSettings
from tests.factories import make_org
from tests.smtp_sink import SlowMailbox, smtp_sink

# Long enough for the heartbeat (every third of it) to keep up on a loaded machine.
LEASE = 1.0


@pytest.fixture
def short_lease(env):
    env(CRM_OUTBOX_LEASE_SECONDS=str(LEASE))


def queue(session, count: int, channel: str = "email") -> list[int]:
    _, admin = make_org(session)
    rows = [messaging.enqueue(session, organization_id=admin.organization_id, channel=channel,
                              recipient=f"ana{n}@example.com", subject=f"Hola {n}", body="x")
            for n in range(count)]
    session.commit()
    return [row.id for row in rows]


def lease_runs_out(session, model=OutboxMessage) -> None:
    """The clock passes the end of every lease held (nobody renews them: their worker is dead)."""
    session.execute(update(model).where(model.status == "sending").values(lease_until=utcnow()))
    session.commit()


def row(session, message_id: int) -> OutboxMessage:
    session.expire_all()
    return session.get(OutboxMessage, message_id)


class SlowSender:
    """Takes ``seconds`` per message; ``started`` is set when the first one is in hand."""

    name = "slow"

    def __init__(self, seconds: float, then=None) -> None:
        self.seconds, self.then = seconds, then
        self.sent: list[int] = []
        self.started = threading.Event()

    def send(self, message) -> str:
        self.started.set()
        if self.then is not None:
            self.then()
        time.sleep(self.seconds)
        self.sent.append(message.id)
        return f"id-{message.id}"


def test_a_send_slower_than_the_lease_keeps_its_message_and_it_is_sent_once(session, db_url, short_lease):
    (message_id,) = queue(session, 1)
    slow = SlowSender(LEASE * 2.5)
    first = threading.Thread(target=outbox.run_once,
                             kwargs={"worker": "slow", "senders": {"email": slow}, "database_url": db_url})
    first.start()
    assert slow.started.wait(5)
    claimed_by_second = []
    while first.is_alive():  # two leases and a half: a second worker keeps trying to take it
        claimed_by_second += outbox.claim("second", database_url=db_url)
        time.sleep(LEASE / 4)
    first.join()
    assert claimed_by_second == []
    assert slow.sent == [message_id]
    sent = row(session, message_id)
    assert (sent.status, sent.attempts, sent.claimed_by, sent.provider_id) == (
        "sent", 1, "slow", f"id-{message_id}")


def test_a_dead_worker_s_message_is_sent_again_after_its_lease_with_the_same_message_id(session, db_url):
    (message_id,) = queue(session, 1)
    mailbox = SlowMailbox()
    with smtp_sink(mailbox) as port:
        mailer = SmtpMailer(MessagingSettings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                                              smtp_sender="Acme <ventas@acme.example>"))
        # The dead worker claimed it and the server took the mail; then it died, before recording it
        # (and before any heartbeat): the row stays "sending" under its lease.
        (in_hand,) = outbox.claim("dead", database_url=db_url)
        mailer.send(in_hand)
        assert outbox.run_once(worker="alive", senders={"email": mailer}, database_url=db_url) == 0
        lease_runs_out(session)
        assert outbox.run_once(worker="alive", senders={"email": mailer}, database_url=db_url) == 1
    first, again = mailbox.message_ids()
    assert first == again and first.endswith("@acme.example>")  # one message to every server and client
    sent = row(session, message_id)
    assert (sent.status, sent.attempts, sent.claimed_by, sent.provider_id) == ("sent", 2, "alive", first)
    # The dead worker's outcome, arriving late, is not recorded over the new holder's.
    outbox.finish_claimed(OutboxMessage, message_id, "dead", {"status": "failed", "last_error": "late"},
                          db_url)
    assert (row(session, message_id).status, row(session, message_id).last_error) == ("sent", "")


def test_a_message_whose_every_worker_died_sending_it_fails_for_good_instead_of_looping(session, db_url, env):
    """A message that kills the worker sending it (each lease runs out) is not claimed forever: past
    the attempts allowed it is failed, with a reason staff can read, and never sent again."""
    env(CRM_OUTBOX_MAX_ATTEMPTS="2")
    (message_id,) = queue(session, 1)
    for dead in ("dead-1", "dead-2"):
        assert [m.id for m in outbox.claim(dead, database_url=db_url)] == [message_id]
        lease_runs_out(session)
    survivor = SlowSender(0)
    assert outbox.run_once(worker="third", senders={"email": survivor}, database_url=db_url) == 1
    failed = row(session, message_id)
    assert survivor.sent == []
    assert (failed.status, failed.last_error) == ("failed", outbox.STOPPED_MID_SEND)


def test_a_lost_worker_s_late_success_counts_while_nobody_took_the_message(session, db_url):
    """Its lease expired and a claim queued it again, but no worker took it yet: the mail did go, and
    recording it saves a second send."""
    message_id, other = queue(session, 2)
    outbox.claim("slow", limit=1, database_url=db_url)
    lease_runs_out(session)
    assert outbox.claim("second", limit=0, database_url=db_url) == []  # queues the expired one, takes none
    assert row(session, message_id).status == "queued"
    outbox.finish_claimed(OutboxMessage, message_id, "slow", {"status": "sent"}, db_url)
    assert row(session, message_id).status == "sent"
    second = SlowSender(0)
    assert outbox.run_once(worker="second", senders={"email": second}, database_url=db_url) == 1
    assert second.sent == [other] and row(session, message_id).status == "sent"


def test_a_message_lost_before_its_turn_in_the_batch_is_left_to_its_new_holder(
    session, db_url, short_lease, caplog
):
    caplog.set_level(logging.WARNING, logger="crm_app.outbox")
    first_id, second_id = queue(session, 2)
    taken = []

    def meanwhile() -> None:  # while the first is sent, the second's lease runs out and another takes it
        m = OutboxMessage
        session.execute(update(m).where(m.id == second_id).values(lease_until=utcnow()))
        session.commit()
        taken.extend(outbox.claim("other", database_url=db_url))
        deadline = time.monotonic() + 10
        while "lost its lease" not in caplog.text and time.monotonic() < deadline:  # the next heartbeat
            time.sleep(0.05)

    slow = SlowSender(0, then=meanwhile)
    assert outbox.run_once(worker="w", senders={"email": slow}, database_url=db_url) == 2
    assert slow.sent == [first_id] and [message.id for message in taken] == [second_id]
    second = row(session, second_id)
    assert (second.status, second.claimed_by) == ("sending", "other")


def test_a_stopped_worker_finishes_the_message_in_hand_and_gives_the_rest_back(session, db_url, short_lease):
    ids = queue(session, 3)
    stop = threading.Event()
    slow = SlowSender(0.2, then=stop.set)  # SIGTERM arrives while the first one is being sent
    assert outbox.run_once(worker="w", senders={"email": slow}, database_url=db_url, stop=stop) == 3
    assert slow.sent == ids[:1]
    assert row(session, ids[0]).status == "sent"
    for rest in ids[1:]:
        back = row(session, rest)
        assert (back.status, back.attempts, back.claimed_by, back.lease_until) == ("queued", 0, "", None)
    # Another worker sends them at once.
    fast = SlowSender(0)
    assert outbox.run_once(worker="next", senders={"email": fast}, database_url=db_url) == 2
    assert fast.sent == ids[1:]


def test_the_message_id_and_idempotency_key_are_stable_per_message_and_unique(
    session, db_url, monkeypatch, env
):
    first_id, _second_id = queue(session, 2, channel="sms")
    first, second = outbox.claim("w", database_url=db_url)
    created_at = row(session, first_id).created_at
    assert first.key == outbox.message_key(first_id, created_at) and first.key != second.key
    env(CRM_SECRET_KEY="another-installation-0123456789abcdefghijklmnopqrstuv")
    assert outbox.message_key(first_id, created_at) != first.key  # another database's message 1
    calls: list[httpx.Request] = []

    def fake_post(url, **kwargs):
        calls.append(httpx.Request("POST", url, headers=kwargs.get("headers"), data=kwargs["data"]))
        return httpx.Response(201, json={"sid": "SM1"})

    monkeypatch.setattr(httpx, "post", fake_post)
    sms = TwilioCompatibleSms(MessagingSettings(sms_api_url="https://sms.example/Messages.json"), "sms")
    assert sms.send(first) == "SM1"
    assert calls[0].headers["Idempotency-Key"] == first.key
    sms.send(Outgoing(id=9, channel="sms", recipient="+1", subject="", body="x", html=False))
    assert "Idempotency-Key" not in calls[1].headers  # a message outside the outbox has no key
