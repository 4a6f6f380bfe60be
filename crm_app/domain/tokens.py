"""Random bearer tokens (sessions, invitations): issued once, stored only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 bits


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str, secret: str) -> str:
    """HMAC-SHA256 so a stolen database alone cannot be used to forge or look up tokens."""
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
