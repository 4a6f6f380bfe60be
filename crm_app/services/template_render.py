"""The one way to turn a message template into a message: checked, off the event loop, time-limited.

Everything that renders a template goes through this module: the template editor's check and
preview, the send dialog's preview, sending, invitations, and the campaigns and webhooks to come.

- Event handlers ``await`` :func:`render_bounded`.
- Service code that already runs in a worker thread (a send inside its transaction, started with
  ``asyncio.to_thread`` by its handler) calls :func:`render_message`.

Never call ``crm_app.domain.templating.render`` from a handler: the grammar (domain/template_grammar.py)
keeps the work linear in the source; this module runs it in a small dedicated pool with a time limit
(``CRM_TEMPLATE_RENDER_SECONDS``), caps the size per channel, and turns every failure into a field
error on ``subject`` or ``body`` (ValidationFailed), never an exception the user sees as a crash.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.templating import (
    MAX_RENDERED,
    MAX_RENDERED_SUBJECT,
    PLACEHOLDERS,
    TemplateProblemError,
    as_html_body,
    render,
)
from crm_app.domain.text import strip_unsafe
from crm_app.settings import get_settings

# What a template is tried with when there is no customer yet (saving, the editor without a preview).
SAMPLE_CONTEXT: dict[str, object] = {name: name for name in PLACEHOLDERS}

# Few threads: a render that hits the time limit cannot be interrupted and finishes in its thread,
# so it must not take the threads the rest of the app uses (asyncio.to_thread's pool).
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="template-render")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def _problem(exc: TemplateProblemError) -> FieldError:
    return FieldError(exc.problem.code, line=exc.problem.line, detail=exc.problem.detail)


def _too_slow() -> ValidationFailed:
    return ValidationFailed({"body": FieldError("template_too_slow", line=0, detail="")})


def _render_now(channel: str, subject: str, body: str, context: dict[str, object]) -> Rendered:
    """The work itself (in a pool thread): an e-mail's subject on one line and its body as HTML."""
    errors: dict[str, FieldError] = {}
    out_subject = out_body = ""
    subject, body = strip_unsafe(subject), strip_unsafe(body)  # no bidi override reaches a customer
    if channel == "email":
        try:
            out_subject = " ".join(render(subject, context, max_chars=MAX_RENDERED_SUBJECT).split())
        except TemplateProblemError as exc:
            errors["subject"] = _problem(exc)
    try:
        out_body = render(
            as_html_body(body) if channel == "email" else body, context,
            html=channel == "email", max_chars=MAX_RENDERED.get(channel, MAX_RENDERED["email"]),
        )
    except TemplateProblemError as exc:
        errors["body"] = _problem(exc)
    if errors:
        raise ValidationFailed(errors)
    return Rendered(out_subject, out_body)


def _limit() -> float:
    return get_settings().messaging.template_render_seconds


def render_message(channel: str, subject: str, body: str, context: dict[str, object]) -> Rendered:
    """Render ``subject`` (e-mail only) and ``body`` for ``channel``; blocks the calling thread.

    For service code running in a worker thread. Raises ValidationFailed with the problem on
    ``subject`` or ``body`` (grammar, size, a failure while running, or the time limit).
    """
    future = _POOL.submit(_render_now, channel, subject or "", body or "", context)
    try:
        return future.result(timeout=_limit())
    except TimeoutError:
        future.cancel()
        raise _too_slow() from None


async def render_bounded(channel: str, subject: str, body: str, context: dict[str, object]) -> Rendered:
    """:func:`render_message` for event handlers: awaits the render without blocking the event loop."""
    future = asyncio.wrap_future(_POOL.submit(_render_now, channel, subject or "", body or "", context))
    try:
        return await asyncio.wait_for(future, _limit())
    except TimeoutError:
        raise _too_slow() from None
