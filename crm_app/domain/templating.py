"""Message templates: a small grammar checked on Jinja's syntax tree, rendered in Jinja's sandbox.

Templates are written by staff. :func:`check_template` parses the source (capped at
:data:`MAX_BODY` characters) and refuses, with its line, anything but placeholders, a few text
filters and ``{% if %}`` (crm_app/domain/template_grammar.py): no loops, calls or arithmetic, so the
work of a render is linear in its source. :func:`render` checks again, then renders in a
``SandboxedEnvironment`` with no globals and only the allowed filters, stopping at a size cap; every
failure, RecursionError and MemoryError included, becomes a :class:`TemplateProblemError`.

The ``format_money`` filter writes an amount (a number, or a placeholder's numeric text) in the
organization's currency and locale, ``{{ 1500 | format_money }}`` -> "R$ 1.500,00" in a Brazilian
organization, or in the currency it names: ``{{ 20 | format_money("USD") }}``. The style comes with the
context under :data:`MONEY_STYLE` (services/messaging.template_context), out of the template's reach.

Callers do not render with this module directly: crm_app/services/template_render.py runs it off the
event loop with a time limit. HTML e-mail bodies are autoescaped (a customer named ``<script>`` stays
text); SMS, WhatsApp and subjects are plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from types import TracebackType

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes, pass_context
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from crm_app.domain.locale_format import format_money
from crm_app.domain.money import parse_decimal
from crm_app.domain.template_grammar import FILTERS, TESTS, TemplateProblem, first_problem

__all__ = ["MONEY_STYLE", "MoneyStyle", "TemplateProblem", "TemplateProblemError", "check_template", "render"]

CHANNELS = ("email", "sms", "whatsapp")

# Placeholder name -> catalogue key of its menu label. The values come from messaging.template_context.
PLACEHOLDERS = (
    "first_name",
    "last_name",
    "full_name",
    "company",
    "discount",
    "loyalty_id",
    "credit_limit",
    "organization",
    "staff_name",
    "invitation_link",
)

MAX_BODY = 20_000  # characters of a template's source (subject: MAX_SUBJECT)
MAX_SUBJECT = 200
# Characters of a rendered message: an HTML e-mail of 100 KB; ten SMS segments (the providers'
# 1,600); WhatsApp's 4,096 per text message; an e-mail header line's 998 (RFC 5322) for a subject.
MAX_RENDERED = {"email": 100_000, "sms": 1_600, "whatsapp": 4_096}
MAX_RENDERED_SUBJECT = 998


# The context key of the money style: a name the grammar never lets a template use (not a placeholder).
MONEY_STYLE = "_money_style"


@dataclass(frozen=True)
class MoneyStyle:
    """How ``format_money`` writes amounts: the organization's currency, language and country."""

    currency: str = "USD"
    lang: str = "es"
    country: str = ""


@pass_context
def _format_money(context: Context, value: object, currency: str = "") -> str:
    """An amount in the reader's locale; a value that is no number (an empty placeholder, a sample
    value while the editor checks) is left as it is."""
    style = context.get(MONEY_STYLE)
    style = style if isinstance(style, MoneyStyle) else MoneyStyle()
    code = currency.upper() if isinstance(currency, str) and len(currency) == 3 and currency.isalpha() else ""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    try:
        amount = value if isinstance(value, Decimal | int | float) else parse_decimal(str(value))
        return format_money(amount, code or style.currency, style.lang, style.country)
    except (ValueError, ArithmeticError):
        return str(value)


class TemplateProblemError(ValueError):
    def __init__(self, problem: TemplateProblem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


def _environment(html: bool) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        autoescape=html,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Behind the grammar, the environment itself offers nothing else: no range, lipsum, cycler,
    # dict or namespace, and only the allowed filters and tests.
    env.globals.clear()
    own = {"format_money": _format_money}
    env.filters = {name: own.get(name) or env.filters[name] for name in FILTERS}
    env.tests = {name: env.tests[name] for name in TESTS}
    return env


_PLAIN = _environment(False)
_HTML = _environment(True)


def _checked(text: str, html: bool) -> tuple[nodes.Template | None, TemplateProblem | None]:
    """The syntax tree of a template the grammar accepts, or the first problem found."""
    if len(text) > MAX_BODY:
        return None, TemplateProblem("template_too_long", 0, str(MAX_BODY))
    try:
        ast = (_HTML if html else _PLAIN).parse(text)
    except TemplateSyntaxError as exc:
        return None, TemplateProblem("template_syntax", exc.lineno or 0, exc.message or "")
    except (RecursionError, MemoryError):  # e.g. thousands of nested brackets
        return None, TemplateProblem("template_too_nested", 0, "")
    problem = first_problem(ast, PLACEHOLDERS)
    return (None, problem) if problem else (ast, None)


def check_template(text: str, *, html: bool = False) -> list[TemplateProblem]:
    """Problems of a template's source (at most one: the first in reading order), found without
    running it: too long, a syntax error, an unknown placeholder or a construct not allowed.

    Linear in the source, so the editor may call it as the user types.
    """
    return [problem] if (problem := _checked(text or "", html)[1]) else []


def render(
    text: str, context: dict[str, object], *, html: bool = False, max_chars: int = MAX_RENDERED["email"]
) -> str:
    """Render a template for ``context`` (missing placeholders are empty), at most ``max_chars`` long.

    Raises TemplateProblemError for any problem: the grammar's, an over-size result, or a failure
    while running. Use crm_app.services.template_render, which calls this off the event loop.
    """
    env = _HTML if html else _PLAIN
    ast, problem = _checked(text or "", html)
    if problem is not None:
        raise TemplateProblemError(problem)
    values = {name: context.get(name, "") for name in PLACEHOLDERS}
    values[MONEY_STYLE] = context.get(MONEY_STYLE) or MoneyStyle()
    try:
        template = env.template_class.from_code(env, env.compile(ast), env.make_globals(None), None)
        chunks, size = [], 0
        for chunk in template.generate(**values):  # stops as soon as the output is too long
            size += len(chunk)
            if size > max_chars:
                raise TemplateProblemError(TemplateProblem("template_output_too_long", 0, str(max_chars)))
            chunks.append(chunk)
        return "".join(chunks)
    except TemplateProblemError:
        raise
    except (RecursionError, MemoryError, SyntaxError) as exc:  # beyond Python's stack, memory or compiler
        raise TemplateProblemError(TemplateProblem("template_too_complex", 0, "")) from exc
    except SecurityError as exc:
        raise TemplateProblemError(TemplateProblem("template_forbidden", 0, str(exc))) from exc
    except UndefinedError as exc:
        raise TemplateProblemError(TemplateProblem("template_unknown_placeholder", 0, str(exc))) from exc
    except Exception as exc:  # TemplateError, or e.g. a filter given a value of the wrong type
        line = _template_line(exc.__traceback__)
        raise TemplateProblemError(TemplateProblem("template_syntax", line, str(exc))) from exc


def _template_line(tb: TracebackType | None) -> int:
    """The template line a runtime error happened on (Jinja maps its frames to template lines)."""
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_BLOCK_TAG = re.compile(r"<(p|br|div|table|ul|ol|h[1-6])\b", re.IGNORECASE)


def as_html_body(text: str) -> str:
    """An e-mail body as HTML: a body written as plain lines gets ``<br>`` line breaks; one that
    already has block tags is taken as written."""
    if _BLOCK_TAG.search(text or ""):
        return text
    return (text or "").replace("\r\n", "\n").replace("\n", "<br>\n")


def placeholder_tag(name: str) -> str:
    """What the editor inserts for a placeholder (the ``</>`` button inserts the invitation link)."""
    return "{{ " + name + " }}"


# --------------------------------------------------------------------------- SMS length

# GSM 03.38 basic character set and its extension table (each extension character costs two septets).
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int
    per_segment: int


def sms_length(text: str) -> SmsLength:
    """Characters and segments an SMS takes: 160/153 septets in GSM-7, else 70/67 UTF-16 units."""
    if all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text):
        units = sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if units <= single:
        return SmsLength(encoding, units, 1 if units else 0, single)
    return SmsLength(encoding, units, -(-units // multi), multi)
