"""How a webhook delivery is signed, and how a receiver checks it (the same scheme as Stripe's).

The sender adds ``Clientela-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.
Signing the timestamp with the body lets a receiver refuse a replayed delivery (older than the
tolerance) as well as a forged one. ``verify`` is written to be copied into a receiver as it is
(docs/webhooks.md): standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "Clientela-Signature"
EVENT_ID_HEADER = "Clientela-Event-Id"
EVENT_TYPE_HEADER = "Clientela-Event-Type"
SECRET_PREFIX = "whsec_"
EVENT_PREFIX = "evt_"


def new_secret() -> str:
    """A fresh signing secret (256 random bits), shown to the admin once."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def new_event_id() -> str:
    """An event's id: the same for every endpoint and every retry, the receiver's de-duplication key."""
    return EVENT_PREFIX + secrets.token_hex(12)


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def signature(secret: str, timestamp: int, body: bytes | str) -> str:
    """hex HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed with the endpoint's secret."""
    message = f"{int(timestamp)}.".encode() + _as_bytes(body)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes | str, timestamp: int | None = None) -> str:
    """The ``Clientela-Signature`` value for a delivery sent now (or at ``timestamp``)."""
    stamp = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={stamp},v1={signature(secret, stamp, body)}"


def verify(
    secret: str, header: str, body: bytes | str, tolerance: int = 300, now: float | None = None
) -> bool:
    """True when ``header`` is a valid signature of the raw ``body`` made within ``tolerance`` seconds.

    Pass the body exactly as received (bytes), before any JSON parsing. Several ``v1`` values are
    accepted (any one matching is enough), so a sender may sign with an old and a new secret at once.
    """
    stamp, candidates = None, []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            stamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if stamp is None or not candidates:
        return False
    current = time.time() if now is None else now
    if tolerance and abs(current - stamp) > tolerance:
        return False
    expected = signature(secret, stamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
