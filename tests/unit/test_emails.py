"""E-mail normalization (crm_app.domain.emails)."""

from __future__ import annotations

import pytest

from crm_app.domain.emails import normalize_email
from crm_app.domain.errors import FieldError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ana@example.com", "ana@example.com"),
        ("  Juan.Perez@Example.COM  ", "juan.perez@example.com"),  # trimmed, lower-cased
        ("VENTAS@EMPRESA.COM.EC", "ventas@empresa.com.ec"),
        ("maria+crm@gmail.com", "maria+crm@gmail.com"),
        ("josé@Bücher.de", "josé@bücher.de"),  # unicode domain kept in Unicode form
        ("user@xn--bcher-kva.de", "user@bücher.de"),  # punycode in, same stored value
        ("MAÑANA@EJEMPLO.EC", "mañana@ejemplo.ec"),
        ("info@sub.dominio.co", "info@sub.dominio.co"),
    ],
)
def test_normalize_email(raw, expected):
    assert normalize_email(raw) == expected


def test_same_address_whatever_the_case():
    assert normalize_email("Ana@Example.com") == normalize_email("ANA@EXAMPLE.COM")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "ana",
        "ana@",
        "@example.com",
        "ana@example",  # no dot in domain
        "ana@localhost",
        "ana maria@example.com",
        "ana@@example.com",
        "ana@exa mple.com",
        "ana@.com",
        "ana..b@example.com",
        "ana@example..com",
        "ana@sub.example.test",  # reserved special-use domain
    ],
)
def test_invalid_email_rejected(raw):
    with pytest.raises(FieldError) as info:
        normalize_email(raw)
    assert info.value.code == "email_invalid"


def test_none_rejected():
    with pytest.raises(FieldError):
        normalize_email(None)  # type: ignore[arg-type]
