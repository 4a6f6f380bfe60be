"""The simulated tabs of bench/faults.py: each signs in, then opens its own customer's profile, the edit
form and saves it, about one event a second, in a thread of its own (Reflex's socket protocol through
bench/reflex_client.py). Every answer is kept as an Outcome: ok, an error toast (its message), refused by
the version check, no answer (the socket dropped or a timeout), reconnected.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from dataclasses import dataclass, field

# The tabs are plain threads here: bench/load_user.py's import of locust must not patch them into greenlets.
os.environ["LOCUST_SKIP_MONKEY_PATCH"] = "1"

from bench.load_seed import PASSWORD
from bench.load_user import FORM, PROFILE, _edit_form
from bench.reflex_client import (
    ON_LOAD,
    EventFailed,
    ReflexTab,
    error_toasts,
    handler,
    has_events,
    hydrated,
    page_state,
)

SHELL = page_state("session", "ShellState")  # the signed-in user the shell shows
TRY_AGAIN = "No se pudo conectar con la base de datos"
GENERIC = "Algo salió mal"
STATE_STORE = "Se interrumpió la conexión con el servidor"


# -- sessions -------------------------------------------------------------------------------------
@dataclass
class Outcome:
    at: float
    kind: str  # "ok", "toast" (an error toast), "failed" (no answer / socket dropped), "reconnected"
    label: str
    detail: str = ""
    seconds: float = 0.0  # from the emit to the answer


@dataclass
class Session:
    number: int
    email: str
    customer_id: int
    outcomes: list[Outcome] = field(default_factory=list)
    acked: int = 0  # saves the tab was told succeeded
    unanswered: int = 0  # saves sent that got no answer (the socket dropped, a timeout)
    refused: int = 0  # saves refused by the version check (the form's message)
    reconnects: list[dict] = field(default_factory=list)


class Load:
    """``sessions`` tabs, each in its own thread, until stop()."""

    def __init__(self, base_url: str, sessions: list[Session], hashes: list[str] | None) -> None:
        self.base_url = base_url
        self.sessions = sessions
        self.hashes = hashes
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared: sessions finish their cycle and wait
        self._running.set()
        self._idle: set[int] = set()
        self._threads: list[threading.Thread] = []
        self.tabs: dict[int, object] = {}

    def start(self) -> None:
        for session in self.sessions:
            thread = threading.Thread(target=self._run, args=(session,), daemon=True)
            thread.start()
            self._threads.append(thread)
            time.sleep(0.1)  # sign-ins spread a little, as people arrive

    def pause(self, timeout: float = 30) -> None:
        """Let every session finish the cycle it is in, so counters and the database agree."""
        self._running.clear()
        deadline = time.monotonic() + timeout
        while len(self._idle) < len(self.sessions) and time.monotonic() < deadline:
            time.sleep(0.1)

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self, session: Session) -> None:

        rng = random.Random(session.number)
        tab = ReflexTab(self.base_url, hashes=self.hashes, timeout=12)
        self.tabs[session.number] = tab
        while not self._stop.is_set():
            try:
                tab.sign_in(session.email, PASSWORD, target=f"/customers/{session.customer_id}")
                break
            except EventFailed as error:
                session.outcomes.append(Outcome(time.monotonic(), "failed", "sign_in", str(error)[:120]))
                time.sleep(1)
        while not self._stop.is_set():
            if not self._running.is_set():
                self._idle.add(session.number)
                self._running.wait()
                self._idle.discard(session.number)
            try:
                self._cycle(tab, session)
            except EventFailed:
                self._reconnect(tab, session)
            time.sleep(rng.uniform(0.3, 0.7))
        tab.close()

    def _record(self, session: Session, call, label: str) -> str:

        toasts = error_toasts(call)
        kind = "toast" if toasts else "ok"
        detail = _toast_text(toasts[0]) if toasts else ""
        session.outcomes.append(Outcome(time.monotonic(), kind, label, detail, call.seconds))
        return kind

    def _cycle(self, tab, session: Session) -> None:

        def page_or_toast(call) -> bool:
            return hydrated(call) or bool(error_toasts(call))

        try:
            call = tab.send(ON_LOAD, {}, until=page_or_toast, label="load profile")
        except EventFailed as error:
            session.outcomes.append(Outcome(time.monotonic(), "failed", "load profile", str(error)[:120]))
            raise
        if self._record(session, call, "load profile") != "ok":
            return
        time.sleep(0.3)
        try:
            call = tab.send(handler(FORM, "open_edit"), {"customer_id": session.customer_id},
                            label="open_edit",
                            until=lambda c: bool(tab.var(FORM, "values") or error_toasts(c)))
        except EventFailed as error:
            session.outcomes.append(Outcome(time.monotonic(), "failed", "open_edit", str(error)[:120]))
            raise
        if self._record(session, call, "open_edit") != "ok":
            return
        time.sleep(0.3)
        note = f"drill {session.number} {time.time():.3f}"
        try:
            call = tab.send(handler(FORM, "submit"), {"form": _edit_form(tab, note)}, label="save",
                            until=lambda c: has_events(c) or bool(tab.var(FORM, "form_error")))
        except EventFailed as error:
            session.unanswered += 1
            session.outcomes.append(Outcome(time.monotonic(), "failed", "save", str(error)[:120]))
            raise
        if any("success" in json.dumps(e.get("payload") or {}) for e in call.events()):
            session.acked += 1
            session.outcomes.append(Outcome(time.monotonic(), "ok", "save", seconds=call.seconds))
        elif tab.var(FORM, "form_error"):
            session.refused += 1
            message = str(tab.var(FORM, "form_error"))
            session.outcomes.append(Outcome(time.monotonic(), "refused", "save", message))
        else:
            self._record(session, call, "save")

    def _reconnect(self, tab, session: Session) -> None:
        """What the browser does when its socket drops: open it again on the same address."""

        if tab.sio is not None and tab.sio.connected:
            return  # a slow answer, not a dropped socket
        began = time.monotonic()
        while not self._stop.is_set():
            try:
                tab.open(tab.path, name="reconnect")
            except EventFailed as error:
                session.outcomes.append(Outcome(time.monotonic(), "failed", "reconnect", str(error)[:120]))
                time.sleep(0.5)
                continue
            session.reconnects.append({
                "seconds": time.monotonic() - began,
                "signed_in": tab.var(SHELL, "user_email") == session.email,
                "page_kept": tab.var(PROFILE, "customer_id") == session.customer_id,
            })
            session.outcomes.append(Outcome(time.monotonic(), "reconnected", "reconnect"))
            return


def _toast_text(payload: str) -> str:
    # The script's string literal escapes accents (\\u00f3), and the JSON around it its backslash again.
    unescaped = payload.replace("\\\\", "\\")
    for marker in (TRY_AGAIN, STATE_STORE, GENERIC):
        if marker in payload or json.dumps(marker)[1:-1] in unescaped:
            return marker
    return payload[:100]
