from decimal import Decimal

import pytest

from crm_app.domain.money import parse_decimal


@pytest.mark.parametrize("raw, expected", [
    ("1500", "1500"), ("1500,50", "1500.50"), ("1500.50", "1500.50"), ("1.234,56", "1234.56"),
    ("1,234.56", "1234.56"), ("1,000,000", "1000000"), (" 12,5 ", "12.5"), ("0", "0"), ("-3.5", "-3.5"),
])
def test_amounts_typed_either_way(raw, expected):
    assert parse_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["", "abc", "1..2", "NaN", "Infinity", "12a"])
def test_garbage_is_refused(raw):
    with pytest.raises(ValueError):
        parse_decimal(raw)
