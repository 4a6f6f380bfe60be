"""The templates' ``format_money`` filter: amounts in the organization's currency and locale."""

from decimal import Decimal

from crm_app.domain.templating import MONEY_STYLE, MoneyStyle, check_template, render

BRAZIL = {MONEY_STYLE: MoneyStyle("BRL", "pt", "BR"), "credit_limit": "1500.5", "first_name": "Ana"}


def test_an_amount_reads_in_the_organizations_locale():
    assert check_template("{{ credit_limit | format_money }}") == []
    assert render("Seu limite: {{ credit_limit | format_money }}", BRAZIL) == "Seu limite: R$\xa01.500,50"
    assert render("{{ 1234.5 | format_money }}", BRAZIL) == "R$\xa01.234,50"
    ecuador = {MONEY_STYLE: MoneyStyle("USD", "es", "EC"), "discount": Decimal("20")}
    assert render("{{ discount | format_money }}", ecuador) == "$20,00"


def test_a_currency_named_in_the_template():
    assert render('{{ 20 | format_money("USD") }}', BRAZIL) == "US$\xa020,00"
    # Not a currency code: the organization's own.
    assert render('{{ 20 | format_money("dollars") }}', BRAZIL) == "R$\xa020,00"


def test_a_value_that_is_no_amount_stays_as_it_is():
    assert render("[{{ first_name | format_money }}]", BRAZIL) == "[Ana]"
    assert render("[{{ loyalty_id | format_money }}]", BRAZIL) == "[]"
    # An amount already written for the reader (the credit_limit placeholder) is not written twice.
    assert render("{{ credit_limit | format_money }}", {**BRAZIL, "credit_limit": "R$\xa01.500,50"}) == (
        "R$\xa01.500,50")


def test_without_a_style_and_in_html():
    assert render("{{ 5 | format_money }}", {}) == "5,00\xa0US$"
    assert render("<p>{{ credit_limit | format_money }}</p>", BRAZIL, html=True) == "<p>R$\xa01.500,50</p>"


def test_the_template_cannot_reach_the_style():
    (problem,) = check_template("{{ _money_style }}")
    assert problem.code == "template_unknown_placeholder"
