"""Who calls the public API: a Bearer key checked, counted against its per-minute limit, and the
replies remembered for ``Idempotency-Key`` retries.

Decisions worth knowing:
- One UPDATE per request authenticates the key (not revoked, not expired), records its last use and
  counts it in a fixed one-minute window. It runs in its own short transaction, committed at once:
  the count holds across app nodes, survives a request that later fails and rolls back, and the
  key's row is never locked for the length of a request.
- The key acts as the user who created it, with his current role. A key whose creator was
  deactivated (or removed) stops working: a key never outlives the trust in the person behind it.
- Only answers that succeeded are remembered for idempotency (the creation and its remembered
  answer commit together); a refused request may simply be sent again.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from crm_app.domain.api_keys import api_key_hash, clean_scopes, looks_like_api_key
from crm_app.domain.dto import Actor
from crm_app.models import User
from crm_app.models.integrations import ApiIdempotency, ApiKey
from crm_app.models.types import UTCDateTime, utcnow

RATE_WINDOW = timedelta(minutes=1)
IDEMPOTENCY_TTL = timedelta(hours=24)
PURGE_CHANCE = 0.05  # old idempotent replies are deleted by about one POST in twenty


class KeyRefused(Exception):
    """Unknown, revoked or expired key (``code`` api_unauthorized), or its creator inactive."""

    def __init__(self, code: str = "api_unauthorized") -> None:
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class KeyUse:
    """A key that was accepted, and where it stands in its rate window."""

    key_id: int
    key_name: str
    organization_id: int
    scopes: tuple[str, ...]
    user: User
    retry_after: int  # 0 = within the limit; else seconds until the window starts again


def _count_use(session: Session, token_hash: str, now: datetime):
    """The one atomic UPDATE: a new window when the last one is over, else one more in it."""
    over = or_(ApiKey.window_started_at.is_(None), ApiKey.window_started_at <= now - RATE_WINDOW)
    statement = (
        update(ApiKey)
        .where(
            ApiKey.key_hash == token_hash,
            ApiKey.revoked_at.is_(None),
            or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now),
        )
        .values(
            window_count=case((over, 1), else_=ApiKey.window_count + 1),
            window_started_at=case((over, literal(now, UTCDateTime())), else_=ApiKey.window_started_at),
            last_used_at=now,
        )
        .returning(
            ApiKey.id, ApiKey.name, ApiKey.organization_id, ApiKey.scopes, ApiKey.created_by,
            ApiKey.rate_limit, ApiKey.window_count, ApiKey.window_started_at,
        )
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).one_or_none()


def authenticate(session: Session, token: str, *, now: datetime | None = None) -> KeyUse:
    """The key behind ``token`` and its window; raises KeyRefused. ``session`` is the request's: the
    counting UPDATE runs in a session of its own on the same database, committed before returning."""
    if not looks_like_api_key(token):
        raise KeyRefused()
    now = now or utcnow()
    with Session(session.get_bind()) as own:
        row = _count_use(own, api_key_hash(token), now)
        own.commit()
    if row is None:
        raise KeyRefused()
    user = session.get(User, row.created_by)
    if user is None or not user.is_active or user.organization_id != row.organization_id:
        raise KeyRefused("api_key_owner_inactive")
    retry_after = 0
    if row.window_count > row.rate_limit:
        retry_after = max(1, math.ceil((row.window_started_at + RATE_WINDOW - now).total_seconds()))
    return KeyUse(row.id, row.name, row.organization_id, clean_scopes(row.scopes), user, retry_after)


def key_actor(use: KeyUse, language: str) -> Actor:
    """The actor the services see: the key's creator, in the caller's language."""
    user = use.user
    return Actor(user_id=user.id, organization_id=use.organization_id, role=user.role, name=user.name,
                 email=user.email, language=language)


# --------------------------------------------------------------------------- idempotency


class IdempotencyMismatch(Exception):
    """The key was used before with another request."""


class IdempotencyRunning(Exception):
    """The first request with this key has not finished yet."""


@dataclass(frozen=True)
class StoredReply:
    status_code: int
    body: str
    headers: dict[str, str]


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """What tells a retry from another request: method, path and the body's exact bytes."""
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def purge_idempotency(session: Session, *, now: datetime | None = None) -> int:
    """Delete the replies older than 24 hours; returns how many."""
    cutoff = (now or utcnow()) - IDEMPOTENCY_TTL
    result = session.execute(delete(ApiIdempotency).where(ApiIdempotency.created_at < cutoff))
    return result.rowcount or 0


def claim_idempotency(
    session: Session, key_id: int, key: str, fingerprint: str, *, now: datetime | None = None
) -> StoredReply | ApiIdempotency:
    """The remembered reply to replay, or the new placeholder row that ``remember`` fills in.

    Call it before the request writes anything. The placeholder is flushed in the request's
    transaction: a second request with the same key waits on it (PostgreSQL) or finds it, and the
    creation and its reply commit together. No SAVEPOINT (pysqlite would commit on RELEASE): a race
    lost on the unique key rolls back the still empty transaction and reads the winner's row.
    Raises IdempotencyMismatch or IdempotencyRunning.
    """
    now = now or utcnow()
    if random.random() < PURGE_CHANCE:  # not a secret: just spreads the cleanup
        purge_idempotency(session, now=now)
    for _attempt in range(2):
        row = session.exec(
            select(ApiIdempotency).where(ApiIdempotency.api_key_id == key_id, ApiIdempotency.key == key)
        ).first()
        if row is not None and row.created_at <= now - IDEMPOTENCY_TTL:
            session.delete(row)  # expired: the key may be used afresh
            session.flush()
            row = None
        if row is not None:
            if row.request_hash != fingerprint:
                raise IdempotencyMismatch()
            if row.status_code == 0:
                raise IdempotencyRunning()
            return StoredReply(row.status_code, row.response_body, json.loads(row.response_headers))
        placeholder = ApiIdempotency(api_key_id=key_id, key=key, request_hash=fingerprint, created_at=now)
        session.add(placeholder)
        try:
            session.flush()
            return placeholder
        except IntegrityError:  # a concurrent request with the same key committed first: read it
            session.rollback()
    raise IdempotencyRunning()


def remember(session: Session, placeholder: ApiIdempotency, reply: StoredReply) -> None:
    placeholder.status_code = reply.status_code
    placeholder.response_body = reply.body
    placeholder.response_headers = json.dumps(reply.headers)
    session.add(placeholder)
    session.flush()
