"""Session/invitation tokens: unguessable in the browser, stored only as a keyed hash."""

from __future__ import annotations

import base64

from crm_app.domain.tokens import new_token, token_hash


def _decoded_bytes(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def test_token_has_at_least_128_bits_of_entropy():
    token = new_token()
    assert len(_decoded_bytes(token)) * 8 >= 128
    assert len(token) * 6 >= 128  # URL-safe base64: 6 bits per character
    assert token.isascii() and all(c.isalnum() or c in "-_" for c in token)


def test_tokens_are_unique():
    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000


def test_hash_is_deterministic_hex_and_hides_the_token():
    token = new_token()
    digest = token_hash(token, "secret-one")
    assert digest == token_hash(token, "secret-one")
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert token not in digest


def test_hash_depends_on_the_secret():
    token = new_token()
    assert token_hash(token, "secret-one") != token_hash(token, "secret-two")


def test_hash_depends_on_the_token():
    assert token_hash(new_token(), "secret") != token_hash(new_token(), "secret")
