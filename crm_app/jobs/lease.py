"""Leases on claimed outbox rows (messages, webhook deliveries): a claim holds until ``lease_until``.

A claim sets ``lease_until = now + lease`` (CRM_OUTBOX_LEASE_SECONDS, 60 s). While a worker works
through its batch a heartbeat thread renews the leases of the rows it still holds, every third of the
lease, so a slow SMTP server or webhook receiver never lets a second worker take a message in hand. A
worker that dies (``kill -9``, a lost machine) stops renewing: a lease expired, its rows go back to the
queue at the next claim of any worker and are sent again. A worker that lost a row never records an
outcome over its new holder (``outbox.finish_claimed`` checks ``claimed_by``), and checks it still holds
a row just before sending it. Rows claimed before leases existed (no ``lease_until``) expire the old
way, 10 minutes after their claim.

Clocks: leases are written and compared with each machine's clock, so the workers' clocks must agree to
well within the lease (NTP does).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import and_, or_, update

from crm_app.db import get_engine, session_scope
from crm_app.models.types import utcnow
from crm_app.settings import get_settings

log = logging.getLogger("crm_app.outbox")

# A claim made before leases existed (no lease_until): its worker is taken for dead after this.
LEGACY_CLAIM = timedelta(minutes=10)



class Row(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T", bound=Row)


def lease() -> timedelta:
    return timedelta(seconds=get_settings().messaging.lease_seconds)


def expired(model: Any, now: Any) -> Any:
    """The rows of ``model`` "sending" under a claim whose lease ran out: their worker is gone."""
    return and_(model.status == "sending",
                or_(model.lease_until < now,
                    and_(model.lease_until.is_(None), model.claimed_at < now - LEGACY_CLAIM)))


class Heartbeat:
    """Renews, in a thread, the leases of the rows of a batch that ``worker`` still holds, until the
    batch is done. ``holds(id)``, just before a row is sent, says whether it is still this worker's
    (renewing it, unless the leases were renewed less than two thirds of a lease ago); ``release(id)``
    once its outcome is recorded; ``give_back()`` queues the rest."""

    def __init__(self, model: Any, worker: str, ids: Iterable[int], database_url: str | None) -> None:
        self.model, self.worker, self.database_url = model, worker, database_url
        self.held = set(ids)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{worker}", daemon=True)
        self._mark_fresh(time.monotonic())  # the claim has just set the leases

    def __enter__(self) -> Heartbeat:
        if self.held:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _renew(self, ids: set[int]) -> set[int]:
        """Extend the leases of ``ids`` still "sending" for this worker; returns those it still holds."""
        if not ids:
            return set()
        m = self.model
        with session_scope(get_engine(self.database_url)) as session:
            kept = session.execute(
                update(m).where(m.id.in_(ids), m.claimed_by == self.worker, m.status == "sending")
                .values(lease_until=utcnow() + lease()).returning(m.id)
                .execution_options(synchronize_session=False)
            ).scalars().all()
        return set(kept)

    def _mark_fresh(self, since: float) -> None:
        """The held leases were set at ``since`` (monotonic): for two thirds of a lease they need no
        check (a third left to start a send, which the heartbeat then covers)."""
        self._fresh_until = since + lease().total_seconds() * 2 / 3

    def _drop_lost(self, ids: set[int], kept: set[int]) -> None:
        with self._lock:
            lost = (ids - kept) & self.held  # not those finished meanwhile
            self.held -= lost
        if lost:
            log.warning("worker %s lost its lease on %s %s: another worker has them", self.worker,
                        self.model.__tablename__, sorted(lost))

    def _beat(self) -> None:
        while not self._stop.wait(lease().total_seconds() / 3):
            with self._lock:
                ids = set(self.held)
            since = time.monotonic()
            try:
                kept = self._renew(ids)
            except Exception:  # a database hiccup: try again at the next beat (the lease has two more)
                log.exception("worker %s: lease renewal failed", self.worker)
                continue
            self._drop_lost(ids, kept)
            self._mark_fresh(since)

    def holds(self, row_id: int) -> bool:
        with self._lock:
            if row_id not in self.held:
                return False
        if time.monotonic() < self._fresh_until:
            return True
        kept = self._renew({row_id})
        self._drop_lost({row_id}, kept)
        return bool(kept)

    def release(self, row_id: int) -> None:
        with self._lock:
            self.held.discard(row_id)

    def give_back(self) -> int:
        """Queue again the rows still held (not started: their claim's attempt is given back)."""
        with self._lock:
            ids, self.held = set(self.held), set()
        if not ids:
            return 0
        m = self.model
        with session_scope(get_engine(self.database_url)) as session:
            return session.execute(
                update(m).where(m.id.in_(ids), m.claimed_by == self.worker, m.status == "sending")
                .values(status="queued", claimed_by="", lease_until=None, attempts=m.attempts - 1)
                .execution_options(synchronize_session=False)
            ).rowcount


def work_through(
    model: Any, worker: str, batch: list[T], handle: Callable[[T], object], *,
    database_url: str | None, stop: threading.Event | None = None,
) -> None:
    """Handle each claimed row of ``batch`` (its ``id``) while holding its lease; once ``stop`` is set
    (SIGTERM) the row in hand is finished and the rest given back to the queue."""
    with Heartbeat(model, worker, [row.id for row in batch], database_url) as beat:
        for row in batch:
            if stop is not None and stop.is_set():
                count = beat.give_back()
                log.info("worker %s stopping: %s claimed %s given back to the queue", worker, count,
                         model.__tablename__)
                return
            if beat.holds(row.id):
                handle(row)
            beat.release(row.id)
