"""Document lines and totals: Decimal money in the currency's minor units, discounts, refusals."""

from decimal import Decimal

from crm_app.domain.documents import (
    LineInput,
    clean_lines,
    credit_available,
    order_needs_client,
    over_credit_limit,
    totals,
)


def _clean(lines, currency="USD"):
    errors = {}
    return clean_lines(lines, currency, errors), {k: e.code for k, e in errors.items()}


def test_lines_and_totals_with_the_clients_discount():
    lines, errors = _clean([
        LineInput("Cambio de pantalla", "1", "120,50", ""),
        LineInput("Funda", "2", "9.99", "10"),
    ])
    assert errors == {}
    assert [line.line_total for line in lines] == [Decimal("120.50"), Decimal("17.98")]
    result = totals(lines, Decimal("5"), "USD")
    assert (result.subtotal, result.discount_amount, result.total) == (
        Decimal("138.48"), Decimal("6.92"), Decimal("131.56"))


def test_a_currency_without_cents_refuses_them_and_rounds_to_units():
    lines, errors = _clean([LineInput("Corte", "1", "15000,50")], "CLP")
    assert errors == {"lines[0].unit_price": "money_no_decimals"}
    lines, errors = _clean([LineInput("Corte", "3", "9999", "12.5")], "CLP")
    assert lines[0].line_total == Decimal("26247")  # 29997 - 3749.625, half up


def test_bad_values_are_refused_next_to_their_line():
    _, errors = _clean([
        LineInput("", "1", "10"),
        LineInput("Tornillo", "-2", "1"),
        LineInput("Tuerca", "1", "1.005"),
        LineInput("Arandela", "1.0001", "abc", "120"),
    ])
    assert errors == {
        "lines[0].description": "required",
        "lines[1].quantity": "document_quantity_invalid",
        "lines[2].unit_price": "money_decimals",
        "lines[3].quantity": "document_quantity_decimals",
        "lines[3].unit_price": "document_price_invalid",
        "lines[3].discount_percent": "discount_range",
    }


def test_blank_lines_are_dropped_and_one_is_needed():
    lines, errors = _clean([LineInput("", "1", ""), LineInput("  ", "", "")])
    assert lines == [] and errors == {"lines": "document_no_lines"}


def test_an_order_needs_its_client_once_confirmed_unless_walk_in():
    assert not order_needs_client("open", walk_in_allowed=False)
    assert order_needs_client("in_progress", walk_in_allowed=False)
    assert not order_needs_client("delivered", walk_in_allowed=True)
    assert not order_needs_client("cancelled", walk_in_allowed=False)


def test_credit_limit_against_the_open_balance():
    assert credit_available(Decimal("500"), Decimal("120")) == Decimal("380")
    assert credit_available(None, Decimal("0")) is None
    assert not over_credit_limit(Decimal("500"), Decimal("120"), Decimal("380"))
    assert over_credit_limit(Decimal("500"), Decimal("120"), Decimal("380.01"))
    assert over_credit_limit(None, Decimal("0"), Decimal("1"))  # no limit set: no credit granted
