"""The outbox worker: claim due messages atomically, deliver them, record sent / logged only / retry /
failed.

Several workers (the app's own background task, ``python -m crm_app worker`` processes) may run at
once: a claim is one ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`` that
moves rows from "queued" to "sending", so no message is claimed twice (SQLite has one writer at a
time, which gives the same guarantee without SKIP LOCKED). Delivery happens outside any transaction.
A claim is a lease the worker renews while it sends (jobs/lease.py): a worker that dies loses it, and
its messages go to another worker, with the same Message-ID / Idempotency-Key (``message_key``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from crm_app.db import get_engine, session_scope
from crm_app.domain.tokens import token_hash
from crm_app.jobs import lease
from crm_app.jobs.app_thread import app_thread
from crm_app.jobs.delivery import LOG_ONLY_PREFIX, DeliveryError, Outgoing, Sender, senders_from_settings
from crm_app.models import Customer, CustomerEmail, Organization, OutboxMessage
from crm_app.models.messaging import LOGGED_ONLY
from crm_app.models.types import utcnow
from crm_app.services import webhook_events
from crm_app.services.campaigns import completion
from crm_app.settings import get_settings

log = logging.getLogger("crm_app.outbox")

# An organization's campaign e-mails sent within this window may not pass its pace (a minute's worth).
PACE_WINDOW = timedelta(minutes=1)
# The error of a message whose every worker died sending it (a lease that ran out each time).
STOPPED_MID_SEND = "the worker stopped while sending it, on every attempt"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


@dataclass(frozen=True)
class Claimed(Outgoing):
    """A message this worker claimed, with the attempts made so far (and, for a campaign's message,
    its campaign and customer: consent is checked again just before it goes)."""

    attempts: int = 0
    campaign_id: int | None = None
    customer_id: int | None = None
    organization_id: int = 0


def claim_due(model: Any, returning: tuple, worker: str, *, limit: int, database_url: str | None) -> list:
    """Move up to ``limit`` due "queued" rows of an outbox table (messages, webhook deliveries) to
    "sending" for ``worker`` under a lease, counting the attempt, and return their ``returning`` columns
    by id.

    Rows whose lease expired (their worker died) are queued again first. They keep ``claimed_by`` until
    another claim: the lost worker's late outcome (it may have sent) still counts if nobody took them.
    """
    now = utcnow()
    with session_scope(get_engine(database_url)) as session:
        returned = session.execute(
            update(model).where(lease.expired(model, now)).values(status="queued", lease_until=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if returned:
            log.warning("%s %s of a worker that stopped renewing its lease queued again", returned,
                        model.__tablename__)
        due = (
            select(model.id)
            .where(model.status == "queued", model.next_attempt_at <= now)
            .order_by(model.next_attempt_at, model.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = session.execute(
            update(model)
            .where(model.id.in_(due.scalar_subquery()), model.status == "queued")
            .values(status="sending", claimed_by=worker, claimed_at=now, lease_until=now + lease.lease(),
                    attempts=model.attempts + 1)
            .returning(*returning)
            .execution_options(synchronize_session=False)
        ).all()
    return sorted(rows, key=lambda row: row[0])


def finish_claimed(
    model: Any, row_id: int, worker: str, values: dict, database_url: str | None,
    then: Callable[[Session], None] | None = None,
) -> None:
    """Record the outcome of a claimed row, if ``worker`` still holds it; ``then(session)`` joins that
    transaction when the row was updated (a follow-up event commits with the outcome)."""
    with session_scope(get_engine(database_url)) as session:
        changed = session.execute(
            update(model)
            .where(model.id == row_id, model.claimed_by == worker)
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed and then is not None:
            then(session)


def message_key(message_id: int, created_at: datetime) -> str:
    """The message's Message-ID / Idempotency-Key: the same for every attempt and worker, so a resend
    after a crash is the same message to mail servers and providers. Keyed by the secret, so it is
    unique across databases (a reset one reuses ids) and does not show how many messages were sent."""
    digest = token_hash(f"outbox:{message_id}:{created_at.isoformat()}", get_settings().secret_key)
    return f"outbox-{digest[:32]}"


def claim(worker: str, *, limit: int = 20, database_url: str | None = None) -> list[Claimed]:
    """Move up to ``limit`` due queued messages to "sending" for ``worker`` and return them."""
    m = OutboxMessage
    rows = claim_due(m, (m.id, m.channel, m.recipient, m.subject, m.body, m.html, m.unsubscribe_url,
                         m.created_at, m.attempts, m.campaign_id, m.customer_id, m.organization_id), worker,
                     limit=limit, database_url=database_url)
    return [Claimed(*row[:7], message_key(row[0], row[7]), *row[8:]) for row in rows]


def _finish(
    message: Claimed, worker: str, values: dict, database_url: str | None, *, failed: bool = False
) -> None:
    def then(session: Session) -> None:
        if failed:  # failed for good: the organization's webhooks hear it in the same commit
            webhook_events.message_failed(session, message.id)
        if message.campaign_id is not None and values["status"] != "queued":
            completion.finish_if_complete(session, message.campaign_id)  # its last message: done

    finish_claimed(OutboxMessage, message.id, worker, values, database_url, then)


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: base, 2x, 4x... capped at six hours."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), 6 * 3600))


def _campaign_turn(message: Claimed, database_url: str | None) -> str:
    """Whether a campaign's message goes now: "cancel" if its customer no longer accepts mail at that
    address or is in the trash (he unsubscribed, staff unticked it or trashed him, since it was queued);
    "wait" if the organization already sent its pace's worth of campaign e-mails in the last minute (its
    messages are spaced when queued, but a backlog, after the worker was down, must not go out at once);
    else "send"."""
    with session_scope(get_engine(database_url)) as session:
        consents = session.execute(
            select(CustomerEmail.id).join(Customer, Customer.id == CustomerEmail.customer_id)
            .where(CustomerEmail.customer_id == message.customer_id,
                   CustomerEmail.address == message.recipient, CustomerEmail.accepts_email.is_(True),
                   Customer.deleted_at.is_(None)).limit(1)
        ).first() is not None
        if not consents:
            return "cancel"
        pace = session.execute(select(Organization.campaign_per_minute)
                               .where(Organization.id == message.organization_id)).scalar_one()
        sent = session.execute(
            select(func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.organization_id == message.organization_id,
                   OutboxMessage.campaign_id.is_not(None), OutboxMessage.sent_at > utcnow() - PACE_WINDOW)
        ).scalar_one()
    return "wait" if sent >= pace else "send"


def deliver(
    message: Claimed, worker: str, senders: dict[str, Sender], *, database_url: str | None = None
) -> str:
    """Send one claimed message and record the outcome; returns the new status."""
    settings = get_settings().messaging
    if message.attempts > settings.max_attempts:
        # Only a lease that ran out requeues without recording an error: every worker that took this
        # message stopped while sending it (a message that crashes its worker must not loop forever).
        log.warning("message %s failed for good: its worker stopped while sending it %s times",
                    message.id, message.attempts - 1)
        _finish(message, worker, {"status": "failed", "last_error": STOPPED_MID_SEND}, database_url,
                failed=True)
        return "failed"
    turn = _campaign_turn(message, database_url) if message.campaign_id is not None else "send"
    if turn == "cancel":
        log.info("message %s not sent: no consent at that address any more, or the customer is trashed",
                 message.id)
        _finish(message, worker, {"status": "cancelled", "last_error": "consent withdrawn"}, database_url)
        return "cancelled"
    if turn == "wait":  # back in the queue, the claim's attempt given back
        values = {"status": "queued", "claimed_by": "", "attempts": message.attempts - 1,
                  "next_attempt_at": utcnow() + PACE_WINDOW / 10}
        _finish(message, worker, values, database_url)
        return "queued"
    try:
        provider_id = senders[message.channel].send(message)
    except DeliveryError as exc:
        error = str(exc)[:500]
        if exc.permanent or message.attempts >= settings.max_attempts:
            log.warning("message %s failed for good: %s", message.id, error)
            _finish(message, worker, {"status": "failed", "last_error": error}, database_url, failed=True)
            return "failed"
        wait = backoff(message.attempts, settings.retry_base_seconds)
        log.info("message %s will be retried in %s: %s", message.id, wait, error)
        values = {
            "status": "queued",
            "last_error": error,
            "next_attempt_at": utcnow() + wait,
            "claimed_by": "",
        }
        _finish(message, worker, values, database_url)
        return "queued"
    # A log-only adapter "delivers" to the server log: the customer received nothing, and the UI says so.
    status = LOGGED_ONLY if provider_id.startswith(LOG_ONLY_PREFIX) else "sent"
    values = {"status": status, "sent_at": utcnow(), "provider_id": provider_id[:100], "last_error": ""}
    _finish(message, worker, values, database_url)
    return status


def run_once(
    *,
    worker: str | None = None,
    senders: dict[str, Sender] | None = None,
    database_url: str | None = None,
    limit: int = 20,
    stop: threading.Event | None = None,
) -> int:
    """Claim and deliver one batch; returns how many messages were claimed. Once ``stop`` is set the
    message in hand is finished and the rest of the batch given back to the queue."""
    worker = worker or worker_name()
    chosen = senders or senders_from_settings(get_settings().messaging)
    batch = claim(worker, limit=limit, database_url=database_url)
    lease.work_through(OutboxMessage, worker, batch,
                       lambda message: deliver(message, worker, chosen, database_url=database_url),
                       database_url=database_url, stop=stop)
    return len(batch)


def poll(stop: threading.Event, batch: Callable[[], int], what: str) -> None:
    """Run ``batch`` until ``stop`` is set, waiting ``CRM_OUTBOX_POLL_SECONDS`` whenever it found nothing."""
    seconds = get_settings().messaging.worker_poll_seconds
    while not stop.is_set():
        try:
            handled = batch()
        except Exception:  # a database hiccup must not kill the worker; it is logged and retried
            log.exception("%s: batch failed", what)
            handled = 0
        if not handled:
            stop.wait(seconds)


def run_forever(stop: threading.Event, *, database_url: str | None = None) -> None:
    """Deliver messages until ``stop`` is set. Webhooks have a loop of their own (jobs/webhook_delivery.py
    run_forever), so a receiver that keeps timing out never holds back an e-mail."""
    senders = senders_from_settings(get_settings().messaging)
    worker = worker_name()
    log.info("outbox worker %s started (%s)", worker, ", ".join(f"{k}: {v.name}" for k, v in senders.items()))
    poll(stop, lambda: run_once(worker=worker, senders=senders, database_url=database_url, stop=stop),
         f"outbox worker {worker}")


@contextlib.asynccontextmanager
async def in_app_worker() -> AsyncIterator[None]:
    """Reflex lifespan task: the app delivers its own outbox in a thread (CRM_OUTBOX_IN_APP=false to
    leave it to ``python -m crm_app worker`` processes)."""
    if not get_settings().messaging.worker_in_app:
        yield
        return
    from crm_app.jobs import webhook_delivery  # it builds on this module (claims, back-off)

    async with (
        app_thread(run_forever, "outbox-worker"),
        app_thread(webhook_delivery.run_forever, "webhook-worker"),
    ):
        yield
