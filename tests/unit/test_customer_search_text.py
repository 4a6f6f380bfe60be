"""Search text normalization: stored text and typed queries go through the same function."""

from __future__ import annotations

from datetime import UTC

import pytest

from crm_app.domain.search_text import SearchTerms, customer_search_text, normalize, parse_query, sort_key
from crm_app.services.customer_search import decode_cursor, encode_cursor


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Pérez", "perez"),
        ("  José   PÉREZ\t", "jose perez"),
        ("Núñez", "nunez"),
        ("Ãçé", "ace"),
        ("ＡＢＣ", "abc"),  # noqa: RUF001 fullwidth letters on purpose: the folding under test
        ("ﬁ", "fi"),
        ("", ""),
        ("Ñandú", "nandu"),
        ("über", "uber"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_customer_search_text_holds_names_ids_emails_and_phone_digits():
    text = customer_search_text(
        names=("María José", "Pérez", "", "Pérez"),
        tax_id="0926687856",
        loyalty_id="FID-9",
        emails=["Maria@Example.com"],
        phones_e164=["+593991234567", "+16502530000"],
        region="EC",
    )
    assert text == (
        "maria jose perez 0926687856 fid-9 maria@example.com 593991234567 0991234567 "
        "16502530000 6502530000 0016502530000"
    )
    for query in ("perez", "rez", "0991", "9912", "593 99", "fid-9", "@example", "0926687"):
        terms = parse_query(query)
        assert all(term in text for term in terms.long), query


def test_sort_key_is_the_normalized_display_name():
    assert sort_key("Álvarez, Ángel") == "alvarez, angel"
    assert sort_key("x" * 300) == "x" * 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Pérez", SearchTerms("perez", ("perez",), ())),
        ("  jose   PEREZ ", SearchTerms("jose perez", ("jose", "perez"), ())),
        ("perez per", SearchTerms("perez per", ("perez",), ())),  # a term inside another adds nothing
        ("ana m", SearchTerms("ana m", ("ana",), ("m",))),
        ("ma", SearchTerms("ma", (), ("ma",))),
        ("+593 (99) 123-4567", SearchTerms("593991234567", ("593991234567",), ())),
        ("12.531.909-2", SearchTerms("125319092", ("125319092",), ())),
        ("09", SearchTerms("09", (), ("09",))),
        ("a@b.co", SearchTerms("a@b.co", ("a@b.co",), ())),
        ("   ", SearchTerms("", (), ())),
    ],
)
def test_parse_query(query, expected):
    assert parse_query(query) == expected
    assert bool(parse_query(query)) == bool(expected.long or expected.short)


def test_cursor_round_trip_and_tampering():
    from datetime import datetime

    from crm_app.domain.errors import ValidationFailed

    cursor = encode_cursor("name", "josé pérez", 42)
    assert "=" not in cursor and decode_cursor(cursor, "name") == ("josé pérez", 42)
    moment = datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert decode_cursor(encode_cursor("created", moment, 7), "created") == (moment, 7)
    for bad in ("", "!!!", cursor[:-3], encode_cursor("name", "x", 1)):
        with pytest.raises(ValidationFailed):
            decode_cursor(bad, "created")


def test_name_codes_keep_the_order_and_name_their_range():
    import random

    from crm_app.domain.search_text import name_code, name_code_range, name_key

    rng = random.Random(4)
    alphabet = " abcdefghijklmnopqrstuvwxyz0123456789.,-@&'~{}[]_:ñü"
    names = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for _ in range(20_000)}
                   | {"", "a", "zzzzzzzzz", "maria jose", "maria josefa", "\U0010ffff"})
    codes = [name_code(name) for name in names]
    assert codes == sorted(codes)  # a <= b  =>  code(a) <= code(b)
    for code in set(codes):
        low, high = name_code_range(code)
        inside = [name for name in names if name >= low and (high is None or name < high)]
        assert inside and all(name_code(name) == code for name in inside)
    assert name_code("maria jose") == name_code("maria josefa")  # 7 characters: one group
    assert name_key("maria jose", 5) < name_key("maria k", 1) < 2**63  # groups first, then ids
    with pytest.raises(ValueError):
        name_key("x", 2**28)
