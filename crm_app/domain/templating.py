"""Message templates: Jinja2 in its sandbox, checked while editing so that sending never fails on them.

Templates are written by staff, so they run in ``SandboxedEnvironment`` (no attribute tricks reach
Python internals) with ``StrictUndefined`` and a fixed set of placeholders: :func:`check_template`
reports syntax errors and unknown placeholders with their line, the editor shows them at once, and a
saved template renders with any customer. HTML e-mail bodies are autoescaped (a customer named
``<script>`` stays text); SMS, WhatsApp and subjects are plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

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

MAX_BODY = 20_000
MAX_SUBJECT = 200


@dataclass(frozen=True)
class TemplateProblem:
    """A problem found in a template: a catalogue code, its parameters and the line (0 if unknown)."""

    code: str  # template_syntax | template_unknown_placeholder | template_forbidden
    line: int
    detail: str


def _environment(html: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        autoescape=html,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_PLAIN = _environment(False)
_HTML = _environment(True)


def _line_of(ast: nodes.Template, name: str) -> int:
    for node in ast.find_all(nodes.Name):
        if node.name == name:
            return node.lineno
    return 0


def check_template(text: str, *, html: bool = False) -> list[TemplateProblem]:
    """Problems of a template's source: a syntax error, or placeholders that are not offered."""
    env = _HTML if html else _PLAIN
    try:
        ast = env.parse(text or "")
    except TemplateSyntaxError as exc:
        return [TemplateProblem("template_syntax", exc.lineno or 0, exc.message or "")]
    unknown = sorted(meta.find_undeclared_variables(ast) - set(PLACEHOLDERS))
    if unknown:
        return [
            TemplateProblem("template_unknown_placeholder", _line_of(ast, name), name) for name in unknown
        ]
    # A trial render with sample values catches what only shows when running (an unsafe attribute the
    # sandbox refuses, a filter on the wrong type), so it is reported now rather than at send time.
    try:
        render(text, {name: name for name in PLACEHOLDERS}, html=html)
    except TemplateProblemError as exc:
        return [exc.problem]
    return []


def render(text: str, context: dict[str, object], *, html: bool = False) -> str:
    """Render a template checked by :func:`check_template`. Raises TemplateProblemError otherwise."""
    env = _HTML if html else _PLAIN
    try:
        return env.from_string(text or "").render(**{name: context.get(name, "") for name in PLACEHOLDERS})
    except TemplateSyntaxError as exc:
        raise TemplateProblemError(
            TemplateProblem("template_syntax", exc.lineno or 0, exc.message or "")
        ) from exc
    except SecurityError as exc:
        raise TemplateProblemError(TemplateProblem("template_forbidden", 0, str(exc))) from exc
    except UndefinedError as exc:
        raise TemplateProblemError(TemplateProblem("template_unknown_placeholder", 0, str(exc))) from exc
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:  # e.g. a filter on the wrong type
        raise TemplateProblemError(TemplateProblem("template_syntax", 0, str(exc))) from exc


class TemplateProblemError(ValueError):
    def __init__(self, problem: TemplateProblem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


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
