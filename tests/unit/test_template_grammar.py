"""Issue 19, finding 1 and 6: a template body may not stall the server.

The probe's payloads (a nested loop that took 23 s and 2.9 GB in check_template, ``'a' * 300000000``,
a recursive macro, ``lipsum``, ``''.__class__``, ``{% include %}``) are refused by the grammar when the
template is checked, with a message in the user's language that says what and where; valid
templates still render, and the rendered size is capped.
"""

from __future__ import annotations

import pytest

from crm_app.domain import templating
from crm_app.domain.errors import FieldError
from crm_app.domain.template_grammar import FILTERS
from crm_app.domain.templating import (
    MAX_BODY,
    PLACEHOLDERS,
    TemplateProblemError,
    check_template,
    render,
)
from crm_app.i18n import catalogue, error_text

NESTED_LOOP = "{% for i in range(100000) %}{% for j in range(3000) %}x{% endfor %}{% endfor %}"
RECURSIVE_MACRO = "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"

# payload -> (message key, detail, a piece of the Spanish message, a piece of the English one)
REFUSED = {
    NESTED_LOOP: ("template_no_loop", "for", "repeticiones ({% for %})", "Loops ({% for %})"),
    "{{ 'a' * 300000000 }}": ("template_no_operator", "*", "operaciones («*»)", "Operations (“*”)"),
    RECURSIVE_MACRO: ("template_no_tag", "macro", "{% macro %} no está permitida", "{% macro %} is not"),
    "{{ lipsum(100000, true, 10000, 20000) }}": ("template_no_call", "lipsum", "«lipsum(…)»", "“lipsum(…)”"),
    "{{ ''.__class__ }}": ("template_no_attribute", ".__class__", "«.__class__»", "“.__class__”"),
    "{% include 'base.html' %}": ("template_no_tag", "include", "{% include %}", "{% include %}"),
    "{{ range(10) }}": ("template_no_call", "range", "llamadas", "calls"),
    "{{ first_name.upper() }}": ("template_no_call", "upper", "«upper(…)»", "“upper(…)”"),
    "{{ discount + 1 }}": ("template_no_operator", "+", "«+»", "“+”"),
    "{{ discount - 1 }}": ("template_no_operator", "-", "«-»", "“-”"),
    "{{ discount / 2 }}": ("template_no_operator", "/", "«/»", "“/”"),
    "{{ discount // 2 }}": ("template_no_operator", "//", "«//»", "“//”"),
    "{{ discount % 2 }}": ("template_no_operator", "%", "«%»", "“%”"),
    "{{ discount ** 99999 }}": ("template_no_operator", "**", "«**»", "“**”"),
    "{{ first_name ~ last_name }}": ("template_no_operator", "~", "«~»", "“~”"),
    "{{ -discount }}": ("template_no_operator", "-", "«-»", "“-”"),
    "{{ first_name[0:3] }}": ("template_no_attribute", "[…]", "partes de un dato", "parts of a value"),
    "{% set x = first_name %}{{ x }}": ("template_no_tag", "set", "{% set %}", "{% set %}"),
    "{% with x = 1 %}{% endwith %}": ("template_no_tag", "with", "{% with %}", "{% with %}"),
    "{% filter upper %}x{% endfilter %}": ("template_no_tag", "filter", "{% filter %}", "{% filter %}"),
    "{% extends 'base.html' %}": ("template_no_tag", "extends", "{% extends %}", "{% extends %}"),
    "{% import 'm.html' as m %}": ("template_no_tag", "import", "{% import %}", "{% import %}"),
    "{% from 'm.html' import m %}": ("template_no_tag", "from", "{% from %}", "{% from %}"),
    "{% call first_name() %}x{% endcall %}": ("template_no_tag", "call", "{% call %}", "{% call %}"),
    "{% block b %}x{% endblock %}": ("template_no_tag", "block", "{% block %}", "{% block %}"),
    "{{ first_name|center(300000000) }}": ("template_no_filter", "center", "«center»", "“center”"),
    "{{ first_name|replace('', 'xxxx') }}": ("template_no_filter", "replace", "«replace»", "“replace”"),
    "{{ full_name|safe }}": ("template_no_filter", "safe", "Filtros disponibles", "Available filters"),
    "{{ first_name|default(last_name) }}": ("template_filter_arguments", "default", "fijos", "fixed"),
    "{{ [first_name] * 3 }}": ("template_no_operator", "*", "«*»", "“*”"),
    "{{ [first_name] }}": ("template_no_expression", "[…]", "«[…]» no está permitido", "“[…]” is not"),
    "{{ first_name is divisibleby(3) }}": ("template_no_expression", "is divisibleby", "«is", "“is"),
    "{{ config }}": ("template_unknown_placeholder", "config", "«config»", "“config”"),
    "{{ lipsum }}": ("template_unknown_placeholder", "lipsum", "«lipsum»", "“lipsum”"),
}


@pytest.mark.parametrize("payload", REFUSED)
def test_the_probes_payloads_are_refused_when_checked_in_both_languages(payload):
    code, detail, spanish, english = REFUSED[payload]
    (problem,) = check_template(payload)
    assert (problem.code, problem.line, problem.detail) == (code, 1, detail)
    error = FieldError(problem.code, line=problem.line, detail=problem.detail)
    assert spanish in error_text(error, "es") and english in error_text(error, "en")
    if code != "template_unknown_placeholder":
        assert "línea 1" in error_text(error, "es") and "line 1" in error_text(error, "en")


@pytest.mark.parametrize("payload", REFUSED)
def test_the_probes_payloads_are_refused_when_rendered_too(payload):
    with pytest.raises(TemplateProblemError) as refused:
        render(payload, {name: "x" for name in PLACEHOLDERS}, html=True)
    assert refused.value.problem.code == REFUSED[payload][0]


def test_the_problem_says_on_which_line():
    (problem,) = check_template("Hola {{ first_name }}\n\n{% if discount %}\n{{ discount * 2 }}\n{% endif %}")
    assert (problem.code, problem.line) == ("template_no_operator", 4)
    (problem,) = check_template("Hola\n{% for c in first_name %}{{ c }}{% endfor %}")
    assert (problem.code, problem.line) == ("template_no_loop", 2)


def test_every_message_exists_in_both_catalogues_and_lists_the_allowed_filters():
    keys = [key for key in catalogue("es") if key.startswith("template_")]
    for code in {*(entry[0] for entry in REFUSED.values()), "template_too_long", "template_output_too_long",
                 "template_too_slow", "template_too_nested", "template_too_complex"}:
        assert code in keys and code in catalogue("en")
    for lang in ("es", "en"):
        assert all(name in catalogue(lang)["template_no_filter"] for name in FILTERS)


def test_the_template_globals_offer_nothing():
    for env in (templating._PLAIN, templating._HTML):
        assert "range" not in env.globals and "lipsum" not in env.globals and not env.globals
        assert sorted(env.filters) == sorted(FILTERS)


@pytest.mark.parametrize(
    "text",
    [
        "{{ " + "(" * 400 + "first_name" + ")" * 400 + " }}",  # Jinja's parser runs out of stack
        "{{ " + " and ".join(["first_name"] * 200) + " }}",  # parses, but far too deep for Python
        "{% if first_name %}" * 40 + "x" + "{% endif %}" * 40,
        "{" * 5000,
    ],
)
def test_deep_nesting_is_refused_not_a_recursion_error(text):
    (problem,) = check_template(text)
    assert problem.code in {"template_too_nested", "template_syntax"}
    with pytest.raises(TemplateProblemError):
        render(text, {})


def test_the_source_is_capped_before_it_is_parsed():
    (problem,) = check_template("x" * (MAX_BODY + 1))
    assert (problem.code, problem.detail) == ("template_too_long", str(MAX_BODY))
    assert check_template("x" * MAX_BODY) == []


def test_the_rendered_size_is_capped():
    text = "{{ full_name }} " * 100
    with pytest.raises(TemplateProblemError) as refused:
        render(text, {"full_name": "x" * 200}, max_chars=1_000)
    assert (refused.value.problem.code, refused.value.problem.detail) == ("template_output_too_long", "1000")
    assert len(render(text, {"full_name": "x" * 5}, max_chars=1_000)) == 600


def test_a_memory_or_recursion_error_while_rendering_is_a_template_problem(monkeypatch):
    def exhausted(value):
        raise MemoryError

    monkeypatch.setitem(templating._PLAIN.filters, "upper", exhausted)
    with pytest.raises(TemplateProblemError) as refused:
        render("{{ first_name|upper }}", {"first_name": "ana"})
    assert refused.value.problem.code == "template_too_complex"


def test_a_runtime_error_is_reported_with_its_line():
    with pytest.raises(TemplateProblemError) as refused:
        render("Hola\n{% if discount > 5 %}x{% endif %}", {"discount": "10"})
    assert (refused.value.problem.code, refused.value.problem.line) == ("template_syntax", 2)


VALID = [
    ("Hola {{ first_name }}", "Hola Ana"),
    ("{% if discount %}{{ discount }} %{% elif company %}{{ company }}{% else %}nada{% endif %}", "10 %"),
    ("{% if first_name == 'Ana' and not company or last_name != 'x' %}sí{% endif %}", "sí"),
    ("{% if 'An' in first_name and discount not in ('5', '6') %}sí{% endif %}", "sí"),
    ("{% if loyalty_id is defined and loyalty_id is not none %}{{ loyalty_id|default('-', true) }}"
     "{% endif %}", "-"),
    ("{{ first_name|upper }} {{ last_name|lower|capitalize }} {{ company|default('sin empresa', true) }}",
     "ANA Vera sin empresa"),
    ("{{ full_name|truncate(9, true, '…', 0) }} {{ ' x '|trim }} {{ 'ana vera'|title }}",
     "Ana Vera… x Ana Vera"),
    ("{{ 'VIP' if discount else 'normal' }}", "VIP"),
    ("{# nota interna #}{% raw %}{{ literal }}{% endraw %}", "{{ literal }}"),
]


@pytest.mark.parametrize("text, expected", VALID)
def test_valid_templates_still_pass_and_render(text, expected):
    assert check_template(text) == []
    context = {"first_name": "Ana", "last_name": "VERA", "full_name": "Ana Vera Ruiz", "discount": "10",
               "company": "", "loyalty_id": ""}
    assert render(text, context) == expected


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_default_invitation_e_mail_passes(lang):
    for key in ("invitation_default_subject", "invitation_default_body"):
        assert check_template(catalogue(lang)[key], html=True) == []
