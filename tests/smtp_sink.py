"""A real SMTP server for tests (aiosmtpd on 127.0.0.1): it keeps each mail it accepted, and can be made
slow, so a test can act (kill a worker, stop it) while a mail is in the middle of its DATA."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class SlowMailbox:
    """Keeps every mail whose DATA arrived (the server has it, whether or not the client hears "250"),
    after waiting ``delay`` seconds for the first ``slow`` of them; ``in_data`` is set at the first."""

    def __init__(self, *, delay: float = 0.0, slow: int = 0) -> None:
        self.delay, self.slow = delay, slow
        self.mails: list[EmailMessage] = []
        self.in_data = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
        self.in_data.set()
        if self.slow > 0:
            self.slow -= 1
            await asyncio.sleep(self.delay)
        return "250 OK"

    def message_ids(self) -> list[str]:
        return [mail["Message-ID"] for mail in self.mails]


@contextmanager
def smtp_sink(mailbox: object) -> Iterator[int]:
    """Run ``mailbox`` (an aiosmtpd handler: ``SlowMailbox`` or a test's own) as an SMTP server; yields its
    port."""
    with socket.socket() as probe:  # aiosmtpd checks it is up by connecting: it needs a real port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
