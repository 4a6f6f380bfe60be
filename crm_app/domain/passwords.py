"""Password policy and hashing (libpass, imported as ``passlib``, argon2id at OWASP parameters)."""

from __future__ import annotations

import secrets
import unicodedata

from passlib.hash import argon2

from crm_app.domain.errors import FieldError

MIN_LENGTH = 8
MAX_LENGTH = 256

# OWASP Password Storage Cheat Sheet: argon2id, 19 MiB of memory, 2 iterations, 1 lane.
_hasher = argon2.using(type="ID", memory_cost=19456, time_cost=2, parallelism=1)

# Verified against when the e-mail is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash("clientela-dummy-password-for-timing")


def _normalized(password: str) -> str:
    # NFC so the same password typed on two keyboards (composed vs decomposed accents) matches.
    return unicodedata.normalize("NFC", password)


def check_policy(password: str) -> None:
    length = len(_normalized(password))
    if length < MIN_LENGTH:
        raise FieldError("password_too_short", min=MIN_LENGTH)
    if length > MAX_LENGTH:
        raise FieldError("password_too_long", max=MAX_LENGTH)


def hash_password(password: str) -> str:
    check_policy(password)
    return _hasher.hash(_normalized(password))


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-work check: with no hash, a dummy hash is verified and False returned."""
    if len(password) > MAX_LENGTH * 4:
        password = password[: MAX_LENGTH * 4]  # bound the work an attacker can ask for
    if not password_hash:
        _hasher.verify(_normalized(password), _DUMMY_HASH)
        return False
    try:
        return _hasher.verify(_normalized(password), password_hash)
    except ValueError:
        return False


def temporary_password() -> str:
    """A readable one-time password an admin hands over; it must be changed at first sign-in."""
    return secrets.token_urlsafe(12)
