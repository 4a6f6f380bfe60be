"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps the mails it receives, parsed.

The e2e server is pointed at it (CRM_SMTP_HOST/PORT, no TLS), so the tests read what the outbox
worker really sent over SMTP.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    envelope_to: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    def text(self) -> str:
        """The plain-text part (the worker sends HTML e-mails with a plain alternative)."""
        return self.message.get_body(preferencelist=("plain", "html")).get_content()

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


@dataclass
class Mailbox:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # aiosmtpd handler hook: called for every accepted message.
    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append(Received(tuple(a.lower() for a in envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [m for m in self.received if address.lower() in m.envelope_to]

    def wait_for(self, address: str, match: Callable[[Received], bool] = lambda m: True,
                 timeout: float = 30.0) -> Received:
        """The first mail to ``address`` that ``match`` accepts, waiting for the worker to send it."""
        deadline = time.monotonic() + timeout
        while True:
            found = next((m for m in self.to(address) if match(m)), None)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no matching mail to {address} within {timeout:.0f} s; "
                                     f"got {[m.subject for m in self.to(address)]}")
            time.sleep(0.2)


def start_mailbox(port: int) -> tuple[Mailbox, Controller]:
    mailbox = Mailbox(host="127.0.0.1", port=port)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return mailbox, controller
