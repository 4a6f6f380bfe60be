"""``GET /api/health``: may a load balancer send this node work? Database, Redis, the workers' queues.

No sign-in (load balancers call it) and nothing of any organization: only "ok"/"failed", a short fixed
reason, and the age in seconds of the oldest waiting row of each queue. Never a URL, host, user or
exception text (a driver's message can carry the connection string); the exception's type goes to the
log. Each check is one indexed probe with a short timeout:

- database: ``SELECT 1`` and the alembic revision equal to the code's head;
- redis: PING, when the settings keep state in Redis ("not used" otherwise);
- queue: the oldest due message still queued in the outbox (``ix_outbox_due``), the oldest due webhook
  delivery (``ix_webhook_delivery_due``) and the oldest queued job (``ix_job_status_id``). A message or
  delivery "sending" under an expired lease (its worker died, and no worker claimed since to queue it
  again) waits too, since its lease ended. One older than QUEUE_MAX_AGE means no worker is taking work:
  degraded.

200 ``{"status": "ok", "checks": {...}}``, or 503 ``{"status": "degraded", "failed": [...], "checks": ...}``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlmodel import Session, col, select

from crm_app.api.auth import DbSession
from crm_app.models.integrations import WebhookDelivery
from crm_app.models.job import Job
from crm_app.models.messaging import OutboxMessage
from crm_app.settings import PROJECT_ROOT, Settings, get_settings

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])

# Workers take due rows within seconds; five minutes of waiting means none is running.
QUEUE_MAX_AGE = timedelta(minutes=5)
TIMEOUT_SECONDS = 2


def health_settings() -> Settings:
    return get_settings()


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(Config(str(PROJECT_ROOT / "alembic.ini"))).get_heads())


def _failed(check: str, reason: str, exc: BaseException | None = None) -> dict[str, Any]:
    if exc is not None:
        log.warning("health: %s check failed: %s (%s)", check, reason, type(exc).__name__)
    return {"status": "failed", "reason": reason}


def check_database(session: Session) -> dict[str, Any]:
    try:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"SET LOCAL statement_timeout = {TIMEOUT_SECONDS * 1000}"))
        session.execute(text("SELECT 1"))
        current = frozenset(session.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except Exception as exc:  # any driver error means the same to a load balancer
        session.rollback()
        return _failed("database", "unreachable", exc)
    if current != migration_heads():
        return _failed("database", "migrations not at the code's head")
    return {"status": "ok"}


def check_redis(settings: Settings) -> dict[str, Any]:
    if settings.state_manager != "redis" or not settings.redis_url:
        return {"status": "not used"}
    import redis

    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=TIMEOUT_SECONDS,
                                  socket_timeout=TIMEOUT_SECONDS)
    try:
        client.ping()
    except Exception as exc:  # refused, timed out, wrong password: all "unreachable"
        return _failed("redis", "unreachable", exc)
    finally:
        client.close()
    return {"status": "ok"}


def _age(since: datetime | None, now: datetime) -> int:
    if since is None:
        return 0
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return max(0, int((now - since).total_seconds()))


def _oldest_waiting(session: Session, model: Any, now: datetime) -> datetime | None:
    """When the oldest row of an outbox table started waiting: due and queued, or its lease ran out (the
    "sending" rows are few, one batch per worker, read through the same index)."""
    queued = session.exec(
        select(model.next_attempt_at).where(model.status == "queued", model.next_attempt_at <= now)
        .order_by(col(model.next_attempt_at)).limit(1)).first()
    lost = session.exec(
        select(model.lease_until).where(model.status == "sending", col(model.lease_until) < now)
        .order_by(col(model.lease_until)).limit(1)).first()
    return min((t for t in (queued, lost) if t is not None), default=None)


def queue_ages(session: Session, now: datetime) -> dict[str, int]:
    """Seconds the oldest waiting row of each queue has waited (0 when none waits)."""
    job = session.exec(
        select(Job.created_at).where(Job.status == "queued").order_by(col(Job.id)).limit(1)).first()
    return {"outbox_oldest_due_seconds": _age(_oldest_waiting(session, OutboxMessage, now), now),
            "webhook_oldest_due_seconds": _age(_oldest_waiting(session, WebhookDelivery, now), now),
            "job_oldest_queued_seconds": _age(job, now)}


def check_queue(session: Session, database_ok: bool) -> dict[str, Any]:
    if not database_ok:
        return {"status": "failed", "reason": "database unreachable"}
    try:
        ages = queue_ages(session, datetime.now(UTC))
    except Exception as exc:  # as for the database check
        session.rollback()
        return _failed("queue", "unreadable", exc)
    limit = int(QUEUE_MAX_AGE.total_seconds())
    result: dict[str, Any] = {"status": "ok", **ages, "max_age_seconds": limit}
    if max(ages.values()) > limit:
        result.update(status="failed", reason="work waiting longer than the limit: are the workers running?")
    return result


@router.get("/api/health")
def health(session: DbSession, settings: Annotated[Settings, Depends(health_settings)]) -> JSONResponse:
    database = check_database(session)
    checks = {"database": database, "redis": check_redis(settings),
              "queue": check_queue(session, database.get("reason") != "unreachable")}
    session.rollback()  # read only: nothing to commit, and the statement timeout ends with it
    failed = [name for name, check in checks.items() if check["status"] == "failed"]
    body: dict[str, Any] = {"status": "degraded" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    return JSONResponse(body, status_code=503 if failed else 200, headers={"Cache-Control": "no-store"})
