"""Password policy and hashing: what a user typing a password would notice."""

from __future__ import annotations

import unicodedata

import pytest

from crm_app.domain import passwords
from crm_app.domain.errors import FieldError


@pytest.mark.parametrize("length", [128, 256])
def test_long_passwords_hash_and_verify(length):
    password = ("Ab1-" * 100)[:length]
    stored = passwords.hash_password(password)
    assert passwords.verify_password(password, stored)
    assert not passwords.verify_password(password[:-1], stored)
    assert not passwords.verify_password(password + "x", stored)


def test_hash_is_argon2id_with_owasp_parameters():
    stored = passwords.hash_password("a perfectly fine password")
    assert stored.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in stored
    assert "a perfectly fine password" not in stored


def test_same_password_hashes_differently_each_time():
    assert passwords.hash_password("same password") != passwords.hash_password("same password")


def test_wrong_password_is_refused():
    stored = passwords.hash_password("the right password")
    assert not passwords.verify_password("the wrong password", stored)
    assert not passwords.verify_password("The right password", stored)


@pytest.mark.parametrize(
    "password", ["contraseña-ñandú", "Ärger über Öl", "🔑🔒 llave segura 🌮", "密码很安全吗?是的"],
    ids=["spanish", "german", "emoji", "chinese"],
)
def test_unicode_passwords(password):
    stored = passwords.hash_password(password)
    assert passwords.verify_password(password, stored)


def test_composed_and_decomposed_accents_are_the_same_password():
    nfc = unicodedata.normalize("NFC", "José Peña años")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    assert passwords.verify_password(nfd, passwords.hash_password(nfc))
    assert passwords.verify_password(nfc, passwords.hash_password(nfd))


def test_length_is_counted_in_characters_after_normalization():
    # 8 emoji are 8 characters (not 32 bytes); 7 decomposed "é" are 14 code points but 7 characters.
    passwords.check_policy("😀" * 8)
    with pytest.raises(FieldError) as short:
        passwords.check_policy(unicodedata.normalize("NFD", "é" * 7))
    assert short.value.code == "password_too_short"


def test_too_short_is_refused_with_its_code():
    with pytest.raises(FieldError) as refused:
        passwords.hash_password("a" * (passwords.MIN_LENGTH - 1))
    assert refused.value.code == "password_too_short"
    assert refused.value.params == {"min": 8}
    passwords.check_policy("a" * passwords.MIN_LENGTH)


def test_too_long_is_refused_with_its_code():
    with pytest.raises(FieldError) as refused:
        passwords.hash_password("a" * (passwords.MAX_LENGTH + 1))
    assert refused.value.code == "password_too_long"
    assert refused.value.params == {"max": 256}


def test_missing_or_broken_hash_never_verifies():
    assert not passwords.verify_password("whatever password", None)
    assert not passwords.verify_password("whatever password", "")
    assert not passwords.verify_password("whatever password", "not-a-hash")


def test_huge_input_is_refused_without_error():
    stored = passwords.hash_password("a normal password")
    assert not passwords.verify_password("x" * 100_000, stored)


def test_temporary_password_meets_the_policy_and_is_random():
    first = passwords.temporary_password()
    passwords.check_policy(first)
    assert len(first) >= 16
    assert first != passwords.temporary_password()
    assert passwords.verify_password(first, passwords.hash_password(first))
