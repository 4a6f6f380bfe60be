"""The grammar a message template may use, checked on Jinja's own syntax tree before anything runs.

A template shows values: placeholders, a few text filters with fixed arguments, ``{% if %}`` /
``{% elif %}`` / ``{% else %}`` and inline ``a if b else c``, with comparisons, ``and``, ``or`` and
``not`` on placeholders and constants (and tuples of constants, for ``in``). Nothing else: no
loops, macros, calls, arithmetic or ``~``, attribute or item access, ``set``/``with``/``include``/
``import``/``extends``/``filter`` blocks. With
this grammar rendering is linear in the length of the source, so one template can never stall the
server (issue 19, finding 1); the sandbox stays underneath as a second fence.

The walk is iterative and refuses trees deeper than :data:`MAX_DEPTH`, so checking is linear in the
(capped) source too and Python's compiler never meets a tree it cannot handle.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from jinja2 import nodes

# Text filters whose output is never much longer than their input (no center, indent, replace,
# wordwrap or format: they can multiply a short source into megabytes). ``safe`` is left out on
# purpose: a customer's name must never become HTML in an e-mail. ``format_money`` writes an amount in
# the organization's currency and locale (domain/templating.py).
FILTERS = ("capitalize", "default", "format_money", "lower", "title", "trim", "truncate", "upper")
TESTS = ("defined", "none", "undefined")
COMPARISONS = ("eq", "ne", "lt", "lteq", "gt", "gteq", "in", "notin")
MAX_DEPTH = 30  # {% if %} blocks and expressions nested inside each other, counted together

_TAGS = {
    "For": "for", "Macro": "macro", "CallBlock": "call", "FilterBlock": "filter", "With": "with",
    "Block": "block", "Include": "include", "Import": "import", "FromImport": "from",
    "Extends": "extends", "Assign": "set", "AssignBlock": "set", "ExprStmt": "do",
    "Continue": "continue", "Break": "break", "ScopedEvalContextModifier": "autoescape",
    "EvalContextModifier": "autoescape",
}
_LITERALS = {"List": "[…]", "Tuple": "(…)", "Dict": "{…}"}


@dataclass(frozen=True)
class TemplateProblem:
    """A problem found in a template: a catalogue code, the line (0 if unknown) and a detail."""

    code: str  # a template_* message key (crm_app/i18n/areas/messaging.py, template_rules.py)
    line: int
    detail: str


def first_problem(ast: nodes.Template, placeholders: Collection[str]) -> TemplateProblem | None:
    """The first construct, in reading order, that a message template may not use; None if all is well."""
    stack: list[tuple[nodes.Node, int]] = [(ast, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return TemplateProblem("template_too_nested", node.lineno, str(MAX_DEPTH))
        problem = _problem_of(node, placeholders)
        if problem is not None:
            return problem
        stack.extend((child, depth + 1) for child in reversed(list(_children(node))))
    return None


def _children(node: nodes.Node) -> Iterator[nodes.Node]:
    if isinstance(node, nodes.Filter | nodes.Test):
        yield node.node  # its arguments are constants, checked by _problem_of
    else:
        yield from node.iter_child_nodes()


# Nodes a template may hold as they are: text, constants, conditions and the {% if %} around them.
_PLAIN = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.If,
    nodes.And, nodes.Or, nodes.Not, nodes.CondExpr, nodes.Compare,
)  # fmt: skip


def _problem_of(node: nodes.Node, placeholders: Collection[str]) -> TemplateProblem | None:
    if _is_plain(node):
        return None
    if isinstance(node, nodes.Operand | nodes.Name | nodes.Filter | nodes.Test):
        return _value_problem(node, placeholders)
    return _construct_problem(node)


def _is_plain(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Tuple | nodes.List):
        return all(isinstance(item, nodes.Const) for item in node.items)  # {% if discount in ('10', '15') %}
    return isinstance(node, _PLAIN)


def _value_problem(
    node: nodes.Operand | nodes.Name | nodes.Filter | nodes.Test, placeholders: Collection[str]
) -> TemplateProblem | None:
    """The values a template may use, within their limits: comparisons, placeholders, allowed filters."""
    line = node.lineno
    if isinstance(node, nodes.Operand):
        return None if node.op in COMPARISONS else TemplateProblem("template_no_operator", line, node.op)
    if isinstance(node, nodes.Name):
        if node.ctx == "load" and node.name in placeholders:
            return None
        return TemplateProblem("template_unknown_placeholder", line, node.name)
    return _filter_problem(node)


def _construct_problem(node: nodes.Node) -> TemplateProblem:
    """What a template may never hold: loops, calls, operators, attributes, other tags and expressions."""
    line = node.lineno
    match node:
        case nodes.For():
            return TemplateProblem("template_no_loop", line, "for")
        case nodes.Call():
            return TemplateProblem("template_no_call", line, _called(node.node))
        case nodes.BinExpr() | nodes.UnaryExpr():
            return TemplateProblem("template_no_operator", line, node.operator)
        case nodes.Concat():
            return TemplateProblem("template_no_operator", line, "~")
        case nodes.Getattr():
            return TemplateProblem("template_no_attribute", line, "." + node.attr)
        case nodes.Getitem() | nodes.Slice():
            return TemplateProblem("template_no_attribute", line, "[…]")
        case nodes.Stmt():
            tag = _TAGS.get(type(node).__name__, type(node).__name__.lower())
            return TemplateProblem("template_no_tag", line, tag)
    return TemplateProblem("template_no_expression", line, _LITERALS.get(type(node).__name__, "…"))


def _filter_problem(node: nodes.Filter | nodes.Test) -> TemplateProblem | None:
    line, is_filter = node.lineno, isinstance(node, nodes.Filter)
    allowed = FILTERS if is_filter else TESTS
    if node.name not in allowed or node.node is None:
        code = "template_no_filter" if is_filter else "template_no_expression"
        return TemplateProblem(code, line, node.name if is_filter else f"is {node.name}")
    values = [*node.args, *(keyword.value for keyword in node.kwargs)]
    if node.dyn_args or node.dyn_kwargs or not all(isinstance(v, nodes.Const) for v in values):
        return TemplateProblem("template_filter_arguments", line, node.name)
    return None


def _called(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return node.attr
    return "…"
