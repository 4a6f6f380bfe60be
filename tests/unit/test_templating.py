"""Message templates: sandboxed rendering, autoescape, problems found while editing, SMS segments."""

from __future__ import annotations

import pytest

from crm_app.domain.templating import (
    TemplateProblemError,
    check_template,
    render,
    sms_length,
)


def test_renders_placeholders():
    text = "Hola {{ first_name }}, tu descuento es {{ discount }} % en {{ organization }}."
    out = render(text, {"first_name": "José", "discount": "10", "organization": "Acme"})
    assert out == "Hola José, tu descuento es 10 % en Acme."


def test_html_email_is_autoescaped_plain_text_is_not():
    context = {"full_name": "<script>alert(1)</script> & Cía"}
    assert render("<p>{{ full_name }}</p>", context, html=True) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cía</p>"
    )
    assert render("{{ full_name }}", context) == "<script>alert(1)</script> & Cía"


def test_syntax_errors_and_unknown_placeholders_are_reported_with_their_line():
    (problem,) = check_template("Hola\n{{ first_name ")
    assert problem.code == "template_syntax" and problem.line == 2
    (problem,) = check_template("Hola\n\n{{ nombre }}")
    assert (problem.code, problem.line, problem.detail) == ("template_unknown_placeholder", 3, "nombre")
    assert check_template("{% if discount %}{{ discount }} %{% endif %}") == []


@pytest.mark.parametrize(
    "escape, code",
    [
        ("{{ first_name.__class__.__mro__[1].__subclasses__() }}", "template_no_call"),
        ("{{ ''.__class__.__mro__ }}", "template_no_attribute"),
        ("{{ first_name.__init__.__globals__ }}", "template_no_attribute"),
        ("{{ cycler.__init__.__globals__.os }}", "template_no_attribute"),
        ("{{ cycler }}", "template_unknown_placeholder"),
    ],
)
def test_sandbox_escapes_are_refused_while_editing_and_when_rendering(escape, code):
    (problem,) = check_template(escape)
    assert (problem.code, problem.line) == (code, 1)
    with pytest.raises(TemplateProblemError):
        render(escape, {"first_name": "x"})


def test_sms_length_gsm7_and_unicode():
    assert (sms_length("Hola José").encoding, sms_length("Hola José").segments) == ("GSM-7", 1)
    assert sms_length("a" * 160).segments == 1 and sms_length("a" * 161).segments == 2
    assert sms_length("€" * 80).units == 160 and sms_length("€" * 81).segments == 2
    emoji = sms_length("Hola 😀")
    assert emoji.encoding == "UCS-2" and emoji.units == 7 and emoji.per_segment == 70
    assert sms_length("ó" * 71).segments == 2 and sms_length("ó" * 71).per_segment == 67
    assert sms_length("").segments == 0
