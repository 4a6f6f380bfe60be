"""Money and numbers the way the reader writes them: his language, with his organization's country.

The locale is ``<lang>_<country>`` when Babel (CLDR) knows it, else the language alone: Spanish in
Ecuador writes "$1.234,56", Portuguese in Brazil "R$ 1.234,56", English in the United States
"$1,234.56", and a language Babel has no variant of for that country (English in Brazil) falls back to
the language ("R$1,234.56"). This module is the one place an amount becomes text on a screen, in an
export's text or in a message template's ``format_money`` filter.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from babel.numbers import format_percent as babel_percent

from crm_app.domain.customer_numbers import money_places

FALLBACK_LANGUAGE = "es"
FALLBACK_CURRENCY = "USD"


@lru_cache(maxsize=64)
def reader_locale(lang: str, country: str = "") -> Locale:
    """Parsed once (Babel parses a code again on every call, most of its cost). A pair Babel does not
    know reads as the language; a language it does not know (a tampered cookie) as Spanish."""
    for code in (f"{lang}_{country.upper()}" if lang and country else "", lang, FALLBACK_LANGUAGE):
        if not code:
            continue
        try:
            return Locale.parse(code)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return Locale.parse(FALLBACK_LANGUAGE)


def format_money(amount: Decimal | float | int, currency: str, lang: str, country: str = "") -> str:
    """``amount`` in ``currency`` as the reader writes it: "R$ 1.234,56" (pt, BR), "$1,234.56" (en, US)."""
    return format_currency(amount, currency or FALLBACK_CURRENCY, locale=reader_locale(lang, country))


def format_number(value: Decimal | float | int, lang: str, country: str = "") -> str:
    """A count or a quantity in the reader's digits: "1.234,5" (es, pt), "1,234.5" (en)."""
    return format_decimal(value, locale=reader_locale(lang, country))


def format_percent(value: Decimal | float | int, lang: str, country: str = "") -> str:
    """A percentage (``value`` 12.5 is 12.5 %) as the reader's locale writes it, its decimals kept:
    "12,5%" (es, EC), "12.5%" (en), "12,5%" (pt, BR), "12,5\u00a0%" (es, Spain)."""
    fraction = Decimal(str(value)) / 100  # through str: a float's binary tail must not show
    return babel_percent(fraction, locale=reader_locale(lang, country), decimal_quantization=False)


def excel_money_format(currency: str, lang: str, country: str = "") -> str:
    """The number format of a money cell in a spreadsheet: the reader's currency symbol, where his
    locale puts it, and the currency's decimals; the cell itself stays a number (Excel shows the
    separators of the machine that opens it). '"R$" #,##0.00' for pt-BR, '#,##0 "CLP"' for es."""
    loc = reader_locale(lang, country)
    currency = currency or FALLBACK_CURRENCY
    symbol = get_currency_symbol(currency, locale=loc).replace('"', "")
    places = money_places(currency)
    digits = "#,##0" + ("." + "0" * places if places else "")
    pattern = loc.currency_formats["standard"].pattern.split(";")[0]
    before = pattern.index("¤") < pattern.index("0") if "¤" in pattern else True
    space = " " if any(c.isspace() for c in pattern) else ""
    return f'"{symbol}"{space}{digits}' if before else f'{digits}{space}"{symbol}"'
