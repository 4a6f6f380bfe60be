"""API keys and public connector keys: their format, their stored hash and their scopes.

A key is ``clk_`` + 43 URL-safe characters (256 random bits). It is shown once; the database keeps its
SHA-256 (a slow hash adds nothing to 256 random bits) and its first characters, so the list can tell
keys apart without holding them.
"""

from __future__ import annotations

import hashlib
import secrets

API_KEY_PREFIX = "clk_"
PREFIX_SHOWN = 12  # "clk_" and 8 characters: enough to tell keys apart, useless to guess one
SCOPES = ("customers:read", "customers:write", "documents:write", "webhooks")
# What a scope also grants: writing customers needs reading them (a write answers with the record).
IMPLIED = {"customers:write": ("customers:read",), "documents:write": ("customers:read",)}


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def shown_prefix(key: str) -> str:
    return key[:PREFIX_SHOWN]


def looks_like_api_key(value: str) -> bool:
    return value.startswith(API_KEY_PREFIX) and 40 <= len(value) <= 100


def new_public_key(kind: str) -> str:
    """The public identifier of a website form (``wf_``) or a lead-ads connector (``la_``): it is in
    pages and URLs, so it grants nothing by itself; 128 bits so it cannot be enumerated."""
    return f"{kind}_{secrets.token_urlsafe(16)}"


def clean_scopes(values: object) -> tuple[str, ...]:
    """The known scopes among ``values`` (a space-separated string or an iterable), in SCOPES order."""
    items = values.split() if isinstance(values, str) else list(values or ())
    return tuple(scope for scope in SCOPES if scope in items)


def granted(scopes: tuple[str, ...] | str, needed: str) -> bool:
    held = set(clean_scopes(scopes))
    for scope in tuple(held):
        held.update(IMPLIED.get(scope, ()))
    return needed in held
