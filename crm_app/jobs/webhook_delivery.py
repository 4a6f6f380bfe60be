"""The webhook worker: claim due deliveries, POST them signed, record the outcome, retry with back-off.

It runs in a loop of its own (``run_forever``) beside the messages' one, in the app's "webhook-worker"
thread and in ``python -m crm_app worker`` processes, so a receiver that keeps timing out never delays
an e-mail. A claim is the outbox's: one ``UPDATE ...
WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`` that moves rows from "queued" to "sending",
so no delivery is sent twice at once, under a lease the worker renews while it posts (jobs/lease.py).
The POST happens outside any transaction, with the event id as its ``Idempotency-Key`` too: a delivery
re-sent after its worker died is the same request to the receiver.

Each attempt re-checks the URL against the SSRF guard on freshly resolved addresses and connects to the
address it checked (DNS rebinding cannot swap it), follows no redirect, and waits at most the timeout.
A 2xx answer delivers; anything else is retried (back-off) until ``max_attempts``, then failed for good.
Failed attempts in a row are counted on the endpoint; at ``disable_after`` it is disabled and its admin
e-mailed (services/webhooks.disable_for_failures). A success resets the count.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy import update
from sqlmodel import Session

from crm_app.db import get_engine, session_scope
from crm_app.domain.net_guard import Target, UnsafeTarget, check, pinned_url
from crm_app.domain.webhook_signing import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    signature_header,
)
from crm_app.jobs import lease
from crm_app.jobs.outbox import backoff, claim_due, finish_claimed, poll, worker_name
from crm_app.models.integrations import WebhookDelivery, WebhookEndpoint
from crm_app.models.types import utcnow
from crm_app.services import webhooks
from crm_app.settings import get_settings

log = logging.getLogger("crm_app.webhooks")

USER_AGENT = "Clientela-Webhooks/1"


@dataclass(frozen=True)
class ClaimedDelivery:
    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    payload: str
    attempts: int  # including this one


@dataclass(frozen=True)
class Attempt:
    ok: bool
    response_code: int | None
    duration_ms: int
    error: str = ""
    permanent: bool = False  # no point retrying (the address is refused)


def claim(worker: str, *, limit: int = 10, database_url: str | None = None) -> list[ClaimedDelivery]:
    """Move up to ``limit`` due queued deliveries to "sending" for ``worker`` and return them."""
    d = WebhookDelivery
    rows = claim_due(d, (d.id, d.endpoint_id, d.event_id, d.event_type, d.payload, d.attempts), worker,
                     limit=limit, database_url=database_url)
    return [ClaimedDelivery(*row) for row in rows]


def post(target: Target, secret: str, delivery: ClaimedDelivery, *, timeout: float) -> Attempt:
    """POST the signed event to the checked address; never follows a redirect."""
    body = delivery.payload.encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(secret, body),
        EVENT_ID_HEADER: delivery.event_id,
        # The one request's key (RFC draft "Idempotency-Key"): the same for every attempt and worker.
        "Idempotency-Key": delivery.event_id,
        EVENT_TYPE_HEADER: delivery.event_type,
    }
    extensions: dict[str, str] = {}
    if target.addresses:  # connecting to the checked address: the name goes in Host and TLS's SNI
        default_port = 443 if target.scheme == "https" else 80
        headers["Host"] = target.host if target.port == default_port else f"{target.host}:{target.port}"
        if target.scheme == "https":
            extensions["sni_hostname"] = target.host
    started = time.perf_counter()
    try:
        # trust_env=False: no proxy from the environment, which would resolve the name itself.
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            request = client.build_request("POST", pinned_url(target), content=body, headers=headers,
                                           extensions=extensions)
            response = client.send(request)
    except httpx.HTTPError as exc:
        elapsed = int((time.perf_counter() - started) * 1000)
        return Attempt(False, None, elapsed, f"{type(exc).__name__}: {exc}"[:500])
    elapsed = int((time.perf_counter() - started) * 1000)
    if 200 <= response.status_code < 300:
        return Attempt(True, response.status_code, elapsed)
    return Attempt(False, response.status_code, elapsed, f"HTTP {response.status_code}")


def _attempt(delivery: ClaimedDelivery, url: str, secret: str) -> Attempt:
    settings = get_settings().webhooks
    try:
        target = check(url, allow_http=settings.allow_http, allow_private=settings.allow_private)
    except UnsafeTarget as refused:
        return Attempt(False, None, 0, f"address refused ({refused.code})", permanent=True)
    return post(target, secret, delivery, timeout=settings.timeout_seconds)


def deliver(delivery: ClaimedDelivery, worker: str, *, database_url: str | None = None) -> str:
    """Send one claimed delivery and record the outcome; returns its new status."""
    with session_scope(get_engine(database_url)) as session:
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        url, secret = (endpoint.url, endpoint.secret) if endpoint else ("", "")
        stopped = endpoint is None or endpoint.deleted_at is not None or endpoint.disabled_at is not None
    if stopped:
        _finish(delivery, worker, {"status": "failed", "last_error": "endpoint disabled"}, database_url)
        return "failed"
    attempt = _attempt(delivery, url, secret)
    return _record(delivery, worker, attempt, database_url)


def _finish(
    delivery: ClaimedDelivery, worker: str, values: dict, database_url: str | None,
    then: Callable[[Session], None] | None = None,
) -> None:
    finish_claimed(WebhookDelivery, delivery.id, worker, values, database_url, then)


def _record(delivery: ClaimedDelivery, worker: str, attempt: Attempt, database_url: str | None) -> str:
    settings = get_settings().webhooks
    log_values = {"response_code": attempt.response_code, "duration_ms": attempt.duration_ms,
                  "last_error": attempt.error, "claimed_by": ""}
    if attempt.ok:
        def succeeded(session: Session) -> None:
            session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == delivery.endpoint_id)
                            .values(consecutive_failures=0).execution_options(synchronize_session=False))

        _finish(delivery, worker, {**log_values, "status": "delivered", "delivered_at": utcnow()},
                database_url, succeeded)
        return "delivered"
    final = attempt.permanent or delivery.attempts >= settings.max_attempts
    status = "failed" if final else "queued"
    values = {**log_values, "status": status}
    if not final:
        wait = backoff(delivery.attempts, get_settings().messaging.retry_base_seconds)
        values["next_attempt_at"] = utcnow() + wait

    def failed(session: Session) -> None:
        count = session.execute(
            update(WebhookEndpoint).where(WebhookEndpoint.id == delivery.endpoint_id)
            .values(consecutive_failures=WebhookEndpoint.consecutive_failures + 1)
            .returning(WebhookEndpoint.consecutive_failures)
            .execution_options(synchronize_session=False)
        ).scalar_one()
        if count >= settings.disable_after and webhooks.disable_for_failures(session, delivery.endpoint_id):
            log.warning("webhook endpoint %s disabled after %s failed attempts", delivery.endpoint_id, count)

    log.info("webhook delivery %s (%s) %s: %s", delivery.id, delivery.event_type, status, attempt.error)
    _finish(delivery, worker, values, database_url, failed)
    return status


def run_once(*, worker: str, database_url: str | None = None, limit: int = 10,
             stop: threading.Event | None = None) -> int:
    """Claim and deliver one batch; returns how many deliveries were claimed (once ``stop`` is set, the
    one in hand is finished and the rest given back)."""
    batch = claim(worker, limit=limit, database_url=database_url)
    lease.work_through(WebhookDelivery, worker, batch,
                       lambda delivery: deliver(delivery, worker, database_url=database_url),
                       database_url=database_url, stop=stop)
    return len(batch)


def run_forever(stop: threading.Event, *, database_url: str | None = None) -> None:
    """Deliver webhooks until ``stop`` is set: the app's "webhook-worker" thread and one thread of each
    ``python -m crm_app worker`` process, beside (never inside) the messages' loop."""
    worker = worker_name()
    log.info("webhook worker %s started", worker)
    poll(stop, lambda: run_once(worker=worker, database_url=database_url, stop=stop),
         f"webhook worker {worker}")
