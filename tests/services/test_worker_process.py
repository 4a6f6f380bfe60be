"""``python -m crm_app worker`` as a real process against a real SMTP server (aiosmtpd) on SQLite and
PostgreSQL: ``kill -9`` while a mail is in the middle of its DATA, and SIGTERM. A lease of one second
keeps them short."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from crm_app.models import OutboxMessage
from crm_app.settings import PROJECT_ROOT
from tests.services.test_outbox_lease import queue
from tests.smtp_sink import SlowMailbox, smtp_sink

SENDER = "Acme <ventas@acme.example>"


def start_worker(db_url: str, smtp_port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "CRM_DATABASE_URL": db_url, "CRM_SMTP_HOST": "127.0.0.1",
           "CRM_SMTP_PORT": str(smtp_port), "CRM_SMTP_SECURITY": "none", "CRM_SMTP_SENDER": SENDER,
           "CRM_OUTBOX_LEASE_SECONDS": "1", "CRM_OUTBOX_POLL_SECONDS": "0.2"}
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "crm_app", "worker"], cwd=PROJECT_ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)


def outbox_rows(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_kill_9_while_the_server_takes_a_mail_sends_each_message_once_or_twice_with_one_message_id(
    session, db_url, tmp_path
):
    """Exactly once is impossible over SMTP: the server may have taken a mail (end of DATA) when the
    worker dies before it hears "250" or records it. Nothing then tells the next worker whether it
    went, so it is sent again: at least once. What the stable Message-ID buys is that the second copy
    is the same message: mail servers and clients that de-duplicate on it (and every client's thread)
    show one, and a bounce or reply names the outbox row either way. Every other message of the dead
    worker's batch is sent once, after its lease."""
    ids = queue(session, 4)
    mailbox = SlowMailbox(delay=3, slow=1)  # the first mail hangs in DATA: the worker is killed there
    log = tmp_path / "worker.log"
    with smtp_sink(mailbox) as port:
        first = start_worker(db_url, port, log)
        try:
            assert mailbox.in_data.wait(30), log.read_text()
        finally:
            first.kill()  # SIGKILL: no handler, no clean-up
            first.wait()
        assert [row.status for row in outbox_rows(session)] == ["sending"] * 4  # all claimed by the dead one
        second = start_worker(db_url, port, log)
        try:
            all_sent = wait_until(lambda: all(r.status == "sent" for r in outbox_rows(session)), 30)
            assert all_sent, log.read_text()
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(30) == 0
    rows = outbox_rows(session)
    assert [row.id for row in rows] == ids and {row.status for row in rows} == {"sent"}
    received = Counter(mailbox.message_ids())
    assert set(received) == {row.provider_id for row in rows}  # one Message-ID per message, every copy
    assert sorted(received.values()) == [1, 1, 1, 2]  # only the mail in hand at the kill went twice
    (twice,) = [row for row in rows if received[row.provider_id] == 2]
    assert twice.attempts == 2 and twice.id == ids[0]


def test_sigterm_finishes_the_mail_in_hand_gives_the_rest_back_and_exits_0(session, db_url, tmp_path):
    ids = queue(session, 3)
    mailbox = SlowMailbox(delay=1.5, slow=1)
    log = tmp_path / "worker.log"
    with smtp_sink(mailbox) as port:
        worker = start_worker(db_url, port, log)
        try:
            assert mailbox.in_data.wait(30), log.read_text()
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(30) == 0
        finally:
            worker.kill()
    rows = outbox_rows(session)
    assert [(row.status, row.attempts) for row in rows] == [("sent", 1), ("queued", 0), ("queued", 0)]
    assert [row.id for row in rows] == ids and mailbox.message_ids() == [rows[0].provider_id]
    text = log.read_text()
    assert "received SIGTERM" in text and "2 claimed outbox_message given back" in text
    assert "worker stopped" in text
