"""Money and numbers as the reader writes them: his language in his organization's country."""

from decimal import Decimal

from crm_app.domain.locale_format import (
    excel_money_format,
    format_money,
    format_number,
    format_percent,
    reader_locale,
)

AMOUNT = Decimal("1234.56")


def test_money_in_brazilian_portuguese():
    assert format_money(AMOUNT, "BRL", "pt", "BR") == "R$\xa01.234,56"
    assert format_money(Decimal("-5"), "BRL", "pt", "BR") == "-R$\xa05,00"
    # CLDR's "pt" is Brazilian Portuguese: without a country it writes the same.
    assert format_money(AMOUNT, "BRL", "pt") == "R$\xa01.234,56"


def test_money_in_ecuadorian_spanish_and_us_english():
    # Ecuador pays in dollars and writes them "$1.234,56"; Spanish alone writes "1.234,56 US$".
    assert format_money(AMOUNT, "USD", "es", "EC") == "$1.234,56"
    assert format_money(AMOUNT, "USD", "es") == "1.234,56\xa0US$"
    assert format_money(AMOUNT, "USD", "en", "US") == "$1,234.56"


def test_a_currency_without_cents_and_an_unknown_pair():
    assert format_money(Decimal("15000"), "CLP", "es", "CL") == "$15.000"
    # English in Brazil is not a CLDR locale: English it is, with the real's symbol.
    assert reader_locale("en", "BR") == reader_locale("en")
    assert format_money(AMOUNT, "BRL", "en", "BR") == "R$1,234.56"
    # A tampered language reads as Spanish rather than failing.
    assert format_money(AMOUNT, "USD", "xx", "ZZ") == "1.234,56\xa0US$"


def test_numbers():
    assert format_number(Decimal("1234.5"), "pt", "BR") == "1.234,5"
    assert format_number(Decimal("1234.5"), "en", "US") == "1,234.5"


def test_spreadsheet_money_format_keeps_the_symbol_where_the_reader_puts_it():
    assert excel_money_format("BRL", "pt", "BR") == '"R$" #,##0.00'
    assert excel_money_format("USD", "en", "US") == '"$"#,##0.00'
    assert excel_money_format("PEN", "es") == '#,##0.00 "PEN"'
    assert excel_money_format("CLP", "es", "CL") == '"$"#,##0'


def test_percentages_as_each_locale_writes_them_with_their_decimals_kept():
    # A discount of 12.5 %: CLDR's pattern for the reader's language and country, no rounding.
    assert format_percent(Decimal("12.50"), "es", "EC") == "12,5%"
    assert format_percent(Decimal("12.5"), "en", "US") == "12.5%"
    assert format_percent(Decimal("12.5"), "pt", "BR") == "12,5%"
    assert format_percent(Decimal("12.5"), "es") == "12,5\xa0%"  # Spain's Spanish puts a space
    assert format_percent(Decimal("0.25"), "es", "EC") == "0,25%"
    assert format_percent(10, "es", "EC") == "10%"
    assert format_percent(round(100 / 3, 1), "en", "US") == "33.3%"  # a float's binary tail never shows
