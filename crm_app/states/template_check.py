"""Checking and previewing a template while it is typed: off the event loop and outside the state lock.

A keystroke handler only stores the text and returns :func:`check_soon`. One background event per tab
then checks and renders the newest text through crm_app/services/template_render.py
(:func:`run_checks`) and goes round again if the text changed meanwhile. So a fast typist never
queues renders, parsing a long template never blocks the event loop, and no render holds the lock.
Clicks that render (save, send, invite) run their service in a worker thread with
:func:`crm_app.states.threads.in_thread`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, NotFound, ValidationFailed
from crm_app.services import messaging
from crm_app.services.template_render import SAMPLE_CONTEXT, Rendered, render_bounded
from crm_app.states.session import authorized

TEMPLATE_FIELDS = ("subject", "body")
# What a draft keeps of what is typed or pasted: more than a template may have (domain.templating
# MAX_SUBJECT, MAX_BODY), so an overlong text is refused with its message rather than cut, yet bounded.
DRAFT_LIMITS = {"subject": 300, "body": 25_000}


def draft(field: str, value: str) -> str:
    """``value`` as the ``field`` ("subject" or "body") of a draft holds it."""
    return value[: DRAFT_LIMITS[field]]
T = TypeVar("T")


@dataclass(frozen=True)
class CheckRequest:
    actor: Actor
    customer_id: int  # 0: no customer, the template is tried with sample values and not previewed
    channel: str
    subject: str
    body: str


@dataclass(frozen=True)
class CheckOutcome:
    preview: Rendered | None = None  # what the customer would receive; None without a customer
    errors: dict[str, FieldError] = field(default_factory=dict)


def check_soon(state: Any, event: Any) -> Any:
    """Note that the text changed; returns ``event`` (the state's background check) unless one is
    already running for this tab, which will then go round once more."""
    state._check_seq += 1
    if state._checking:
        return None
    state._checking = True
    return event


class TemplateDraft(rx.State, mixin=True):
    """A subject and a body typed in the template editor, the send dialog or the invitation: stored
    as typed (bounded by :func:`draft`), then checked by the state's background ``live_check``."""

    subject: str = ""
    body: str = ""
    errors: dict[str, str] = {}
    _check_seq: int = 0
    _checking: bool = False

    @authorized()
    def set_subject(self, actor, value: str):
        self.subject = draft("subject", value)
        return self._draft_changed()

    @authorized()
    def set_body(self, actor, value: str):
        self.body = draft("body", value)
        return self._draft_changed()

    def _draft_changed(self):
        """What follows a change of the text: the background check, soon."""
        return check_soon(self, type(self).live_check)

    @rx.event(background=True)
    async def live_check(self):
        """The text's problems as typed (see the module docstring), for ``_check_request``."""
        await run_checks(self, self._check_request, self._show_check)

    def _check_request(self) -> CheckRequest | None:
        """What to check and for whom; None when the dialog closed or the session ended."""
        raise NotImplementedError

    def _show_check(self, outcome: CheckOutcome) -> None:
        self.errors = with_template_errors(self, outcome)


def _context(actor: Actor, customer_id: int) -> dict[str, object]:
    with session_scope() as session:
        return messaging.customer_context(session=session, actor=actor, customer_id=customer_id)


async def check(request: CheckRequest) -> CheckOutcome:
    """The template's problems and, with a customer, the message he would receive."""
    context = SAMPLE_CONTEXT
    if request.customer_id:
        try:
            context = await asyncio.to_thread(_context, request.actor, request.customer_id)
        except NotFound:  # not one of the actor's customers (a forged id): check without preview
            request = CheckRequest(request.actor, 0, request.channel, request.subject, request.body)
    try:
        rendered = await render_bounded(request.channel, request.subject, request.body, context)
    except ValidationFailed as exc:
        return CheckOutcome(errors=exc.errors)
    return CheckOutcome(preview=rendered if request.customer_id else None)


async def run_checks(
    state: Any, read: Callable[[], CheckRequest | None], show: Callable[[CheckOutcome], None]
) -> None:
    """The body of a state's background check event.

    ``read`` (called under the state lock) gives what to check, or None to stop (signed out, dialog
    closed); ``show`` (under the lock) puts the outcome on the state, only if the text is unchanged.
    """
    try:
        while True:
            async with state:
                seq, request = state._check_seq, read()
                if request is None:
                    state._checking = False
                    return
            outcome = await check(request)
            async with state:
                if state._check_seq == seq:
                    show(outcome)
                    state._checking = False
                    return
    except BaseException:
        async with state:
            state._checking = False
        raise


def with_template_errors(state: Any, outcome: CheckOutcome) -> dict[str, str]:
    """The state's field errors, with those of the subject and body replaced by the check's."""
    kept = {name: text for name, text in state.errors.items() if name not in TEMPLATE_FIELDS}
    return kept | {name: state._err(error) for name, error in outcome.errors.items()}

