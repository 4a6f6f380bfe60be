"""Sending an e-mail, SMS or WhatsApp from a customer's profile, and the messages sent to him.

The buttons are computed from the customer's consent (e-mail: "accepts e-mail"; phones: their SMS and
WhatsApp flags) and explain themselves when disabled; the service checks consent again when sending.
Sending only enqueues: a background event then re-reads the statuses until the worker has delivered
(or given up), so the list shows "sent", "logged only (not sent)" or "failed" without a reload.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customers import CustomerDTO
from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound, ValidationFailed
from crm_app.models.messaging import LOGGED_ONLY
from crm_app.services import customers as customer_service
from crm_app.services import feed, messaging
from crm_app.services import templates as template_service
from crm_app.settings import get_settings
from crm_app.states.clock import clock_for
from crm_app.states.customer_feed import CustomerFeedState
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.feed_items import logged_only_note
from crm_app.states.session import SessionState, authorized
from crm_app.states.template_check import CheckRequest
from crm_app.states.templates import PreviewedDraft, sms_summary
from crm_app.states.threads import in_thread

RECENT = 10
PENDING = ("queued", "sending")
WATCH_SECONDS = 180
WATCH_EVERY = 1.5


@dataclasses.dataclass
class SendOption:
    """One button: a channel to one address or number, enabled or with the reason it is not."""

    key: str
    channel: str
    target_id: int
    recipient: str
    enabled: bool
    reason: str


@dataclasses.dataclass
class MessageView:
    id: int
    channel: str
    recipient: str
    subject: str
    status: str
    error: str
    note: str  # only logged, never sent: the reason, and that the customer got nothing
    when: str


def _options(state: SessionState, c: CustomerDTO) -> list[SendOption]:
    options = [
        SendOption(f"email-{e.id}", "email", e.id, e.address, e.accepts_email,
                   "" if e.accepts_email else state._t("no_email_consent", address=e.address))
        for e in c.emails
    ]
    for p in c.phones:
        for channel, allowed in (("sms", p.sms), ("whatsapp", p.whatsapp)):
            reason = "" if allowed else state._t(f"no_{channel}_flag", number=p.international)
            options.append(SendOption(f"{channel}-{p.id}", channel, p.id, p.international, allowed, reason))
    return options


def _recent(actor: Actor, customer_id: int, lang: str) -> list[MessageView]:
    with session_scope() as session:
        page = feed.list_feed(session=session, actor=actor, customer_id=customer_id, category="messages",
                              limit=RECENT)
    clock = clock_for(actor, lang)
    return [
        MessageView(
            id=entry.id,
            channel=entry.ref["channel"],
            recipient=entry.ref["recipient"],
            subject=entry.ref["subject"] or _first_line(entry.ref["body"]),
            status=entry.ref["status"],
            error=entry.ref["error"] or "",
            note=logged_only_note(entry.ref["status"], entry.ref["channel"], lang),
            when=clock.exact(entry.created_at),
        )
        for entry in page.entries
        if entry.kind == "message" and entry.ref
    ]


def _first_line(body: str) -> str:
    line = (body or "").strip().splitlines()[0] if (body or "").strip() else ""
    return line if len(line) <= 80 else line[:79] + "…"


@dialog_flags("open")
class SendMessageState(Refusals, PreviewedDraft, SessionState):
    customer_id: int = 0
    options: list[SendOption] = []
    messages: list[MessageView] = []
    email_log_only: bool = False
    phone_log_only: bool = False

    open: bool = False
    channel: str = "email"
    recipient: str = ""
    templates: list[list[str]] = []
    template_id: str = ""
    watching: bool = False

    _target_id: int = 0

    @authorized()
    def load(self, actor):
        """on_mount of the panel: the customer is the profile's, read from the address."""
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.open, self.options, self.messages = False, [], []
        try:
            with session_scope() as session:
                customer = customer_service.get_customer(
                    session=session, actor=actor, customer_id=int(raw) if raw.isdigit() else 0)
        except NotFound:
            self.customer_id = 0
            return None
        settings = get_settings().messaging
        self.email_log_only, self.phone_log_only = not settings.email_configured, not settings.sms_configured
        self.customer_id = customer.id
        self.options = [] if customer.deleted_at is not None else _options(self, customer)
        self.messages = _recent(actor, customer.id, self.lang)
        return self._watch_if_pending()

    def _watch_if_pending(self):
        if not self.watching and any(m.status in PENDING for m in self.messages):
            self.watching = True
            return SendMessageState.watch
        return None

    @authorized()
    def open_dialog(self, actor, key: str):
        option = next((o for o in self.options if o.key == key and o.enabled), None)
        if option is None:
            return None
        self.channel, self._target_id, self.recipient = option.channel, option.target_id, option.recipient
        with session_scope() as session:
            found = template_service.list_templates(session=session, actor=actor, channel=option.channel)
        self.templates = [[str(t.id), t.name] for t in found]
        self.template_id, self.subject, self.body = "", "", ""
        self.errors, self.preview_subject, self.preview_body = {}, "", ""
        self.sms_info = sms_summary(self, "") if self.channel == "sms" else ""
        self.open, self._checking = True, False
        return None

    @rx.event
    def set_open(self, value: bool):
        self.open = value

    @authorized()
    def pick_template(self, actor, template_id: str):
        self.template_id = template_id
        if not template_id.isdigit():
            return None
        with session_scope() as session:
            chosen = template_service.get_template(session=session, actor=actor, template_id=int(template_id))
        if chosen.channel != self.channel:
            return None
        self.subject, self.body = chosen.subject, chosen.body
        return self._draft_changed()

    def _check_request(self) -> CheckRequest | None:
        actor = self._actor() if self.open and self.customer_id else None
        if actor is None:
            return None
        return CheckRequest(actor, self.customer_id, self.channel, self.subject, self.body)

    @authorized()
    async def send(self, actor):
        try:
            await in_thread(
                messaging.send_to_customer, actor=actor, customer_id=self.customer_id, channel=self.channel,
                target_id=self._target_id, subject=self.subject, body=self.body,
            )
        except ValidationFailed as exc:
            self.errors = {field: self._err(error) for field, error in exc.errors.items()}
            self._refused()
            return None
        self.open = False
        self.messages = _recent(actor, self.customer_id, self.lang)
        watch = self._watch_if_pending()
        return [self._sent_toast(), CustomerFeedState.refresh, *([watch] if watch else [])]

    def _sent_toast(self):
        """Queued; or, on a channel with no server configured, only logged: the dialog said so, the toast
        says it again."""
        log_only = self.email_log_only if self.channel == "email" else self.phone_log_only
        if not log_only:
            return rx.toast.success(self._t("message_queued", recipient=self.recipient))
        reason = logged_only_note(LOGGED_ONLY, self.channel, self.lang)
        return rx.toast.warning(self._t("message_logged_only", recipient=self.recipient, reason=reason))

    @rx.event(background=True)
    async def watch(self):
        """Re-read the messages while some are queued or sending (the worker delivers them)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WATCH_SECONDS
        try:
            while loop.time() < deadline:
                await asyncio.sleep(WATCH_EVERY)
                async with self:
                    actor, customer_id, lang = self._actor(), self.customer_id, self.lang
                if actor is None or not customer_id:
                    return
                fresh = await asyncio.to_thread(_recent, actor, customer_id, lang)
                async with self:
                    if self.customer_id != customer_id:
                        return
                    self.messages = fresh
                if not any(m.status in PENDING for m in fresh):
                    yield CustomerFeedState.refresh  # the feed shows the final status too
                    return
        finally:
            async with self:
                self.watching = False
