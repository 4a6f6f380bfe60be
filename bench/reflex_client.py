"""A browser tab of Clientela without a browser: Reflex's Socket.IO event protocol (python-socketio).

What a tab does, as Reflex 0.10's frontend does it (reflex_base/.templates/web/utils/state.js):

- it opens namespace ``/_event`` at path ``/_event`` (Socket.IO, websocket transport) with
  ``?token=<tab token>`` and, in the CONNECT packet's auth, ``{"event": <hydrate_and_load event>}``
  (the page's first event rides in the connect);
- an event is ``{"name": "<full state path>.<handler>", "payload": {...}, "router_data": {"pathname",
  "asPath", "query", "crm_marker"}}`` emitted as ``"event"``; the server answers with ``"event"``
  messages ``{"delta": {state: {var: value}}, "events": [...]}`` (frontend events such as ``_redirect``
  or ``_call_script``); Reflex 0.10 sends no "final" flag, so each call says what ends it (``until``);
- a page load is ``on_load_internal`` (after a navigation) or the connect's ``hydrate_and_load``; it is
  over when the root state's ``is_hydrated_rx_state_`` comes back true;
- signing in is the sign-in form's event, whose answer is a script that trades a one-time code for the
  HttpOnly ``crm_session`` cookie and its readable ``crm_marker`` at ``POST /api/session``
  (crm_app/api/session.py); the tab then reconnects with the cookie in the handshake and sends the
  marker in every event's router data (assets/session_marker.js).

Each call is measured from the emit to the last message the server sent for it (messages that arrive
after ``until`` was met, before the next call, still count), with the bytes both ways.

    tab = ReflexTab("http://127.0.0.1:8401")
    tab.sign_in("load-staff-0001@bench.test", "bench-password-123", target="/customers")
    tab.send(handler(CUSTOMERS, "set_search"), {"value": "ana"}, until=redirected)

Works with plain threads and under gevent's monkey-patching (Locust): the socket.io client is the
synchronous one, whose reader runs in a thread (a greenlet once patched).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import engineio
import requests
import socketio

# socket.io-client reads the URL's path ("/_event") as the namespace, and Reflex serves that path too.
NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
HYDRATED_VAR = "is_hydrated_rx_state_"
SESSION_STATE = f"{ROOT_STATE}.crm_app___states___session____session_state"
LOGIN_STATE = f"{SESSION_STATE}.crm_app___states___auth____login_state"
SESSION_COOKIE, MARKER_COOKIE = "crm_session", "crm_marker"
# The exchange script's request body: a JSON string literal holding {"code", "client_token"}.
_EXCHANGE_BODY = re.compile(r'body: ("(?:[^"\\]|\\.)*")')


_HASHES_SCRIPT = """
import asyncio, json, os, sys
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("CRM_SECRET_KEY", "hashes-only-" + "0" * 40)
import crm_app.crm_app  # every page and its states, as the server registers them
from reflex.state import State, _resolve_delta, state_snapshot_hashes
snapshot = asyncio.run(_resolve_delta(State(_reflex_internal_init=True).dict(initial=True)))
print(json.dumps(state_snapshot_hashes(snapshot)))
"""


def initial_state_hashes(root: str | None = None) -> list[str]:
    """The hashes a freshly loaded page sends with its first hydrate (the compiled ``initialStateHashes``):
    the server then sends only the vars that differ from the defaults, as to a real browser. Computed the
    way the server does when it did not compile the frontend, in a child process of the app's Python
    (the app's modules stay out of the load generator)."""
    from pathlib import Path

    root = root or str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-c", _HASHES_SCRIPT, root], capture_output=True, text=True,
                          check=True, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])


def page_state(module: str, class_name: str) -> str:
    """Full name of a page state under SessionState: ``page_state("customers", "CustomersState")``."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()
    return f"{SESSION_STATE}.crm_app___states___{module}____{snake}"


def handler(state: str, name: str) -> str:
    return f"{state}.{name}"


class EventFailed(Exception):
    """The server did not answer an event as expected in time, or the socket dropped."""


@dataclass
class Call:
    """One event sent and what came back for it."""

    name: str
    sent_at: float
    bytes_out: int
    bytes_in: int = 0
    last_at: float = 0.0
    counters_at_start: tuple[int, int] = (0, 0)  # the socket's (bytes in, bytes out) when it was sent
    reported: bool = False
    messages: list[dict] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return (self.last_at or self.sent_at) - self.sent_at

    def events(self) -> list[dict]:
        return [e for m in self.messages for e in (m.get("events") or [])]


# -- what ends a call -----------------------------------------------------------------------------
def hydrated(call: Call) -> bool:
    """A page load is over: the root state says it is hydrated."""
    return any((m.get("delta") or {}).get(ROOT_STATE, {}).get(HYDRATED_VAR) is True for m in call.messages)


def redirected(call: Call) -> bool:
    return any(e.get("name") == "_redirect" for e in call.events())


def has_events(call: Call) -> bool:
    return bool(call.events())


def any_message(call: Call) -> bool:
    return bool(call.messages)


def redirect_target(call: Call) -> str:
    for e in call.events():
        if e.get("name") == "_redirect":
            return str((e.get("payload") or {}).get("path", ""))
    raise EventFailed(f"{call.name}: no redirect in the answer")


def error_toasts(call: Call) -> list[str]:
    """Texts of error toasts in the answer (a refused or failed event, shown to the user)."""
    found = []
    for e in call.events():
        # Reflex 0.10 writes the call as refs['__toast']?.["error"](...), escaped once more by json.dumps.
        text = json.dumps(e.get("payload") or {}, ensure_ascii=False).replace('\\"', '"')
        if "toast" in text and (".error(" in text or '["error"](' in text):
            found.append(text[:200])
    return found


class _CountingEngineIO(engineio.Client):
    """engine.io client that counts the bytes of the packets it sends and receives."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bytes_in = 0
        self.bytes_out = 0

    def _receive_packet(self, pkt):
        data = pkt.data
        self.bytes_in += 1 + (len(data.encode()) if isinstance(data, str) else len(data or b""))
        return super()._receive_packet(pkt)

    def _send_packet(self, pkt):
        data = pkt.data
        self.bytes_out += 1 + (len(data.encode()) if isinstance(data, str) else len(data or b""))
        return super()._send_packet(pkt)


class _Client(socketio.Client):
    def _engineio_client_class(self):
        return _CountingEngineIO


class ReflexTab:
    """One browser tab: its own Reflex token, cookies, socket and view of the state (merged deltas)."""

    def __init__(self, base_url: str, *, origin: str | None = None, timeout: float = 15.0,
                 hashes: list[str] | None = None) -> None:
        """``hashes``: initial_state_hashes(), sent with a page's first hydrate as a browser does (without
        them every page load receives the whole state tree)."""
        self.base_url = base_url.rstrip("/")
        self.origin = (origin or self.base_url).rstrip("/")
        self.timeout = timeout
        self.hashes = hashes
        self.token = str(uuid.uuid4())
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}
        self.state: dict[str, dict[str, Any]] = {}
        self.path, self.query = "/", {}
        self.sio: _Client | None = None
        self._call: Call | None = None
        self._changed = threading.Condition()
        self.on_call: Callable[[Call, Exception | None], None] | None = None

    # -- socket -----------------------------------------------------------------------------
    def _router_data(self, as_path: str) -> dict[str, Any]:
        parts = urlsplit(as_path)
        data: dict[str, Any] = {"pathname": parts.path or "/", "asPath": as_path}
        if parts.query:
            data["query"] = dict(parse_qsl(parts.query))
        if MARKER_COOKIE in self.cookies:
            data["crm_marker"] = self.cookies[MARKER_COOKIE]
        return data

    def _on_message(self, data: Any) -> None:
        now = time.perf_counter()
        if not isinstance(data, dict):
            return
        for state, changes in (data.get("delta") or {}).items():
            self.state.setdefault(state, {}).update(changes)
        with self._changed:
            call = self._call
            if call is not None:
                call.messages.append(data)
                call.last_at = now
            self._changed.notify_all()

    def _on_new_token(self, token: str) -> None:
        self.token = token

    def _counters(self) -> tuple[int, int]:
        eio = self.sio.eio if self.sio is not None else None
        return (eio.bytes_in, eio.bytes_out) if eio is not None else (0, 0)

    def open(self, as_path: str, *, name: str | None = None) -> Call:
        """(Re)connect the tab's socket on page ``as_path`` (a full page load): hydrate, then the page's
        on_load events, until the page is hydrated."""
        self._finish_previous()
        self.close_socket()
        self.path = as_path
        self.state.clear()  # a full page load starts from the compiled defaults again
        payload = {"hashes": self.hashes} if self.hashes else {}
        event = {"name": HYDRATE, "payload": payload, "router_data": self._router_data(as_path)}
        # No Origin here: websocket-client sends the URL's own, a second one would be refused.
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sio = _Client(reconnection=False, ssl_verify=False)
        sio.on("event", self._on_message, namespace=NAMESPACE)
        sio.on("new_token", self._on_new_token, namespace=NAMESPACE)
        self.sio = sio
        call = self._begin(name or f"open {as_path}", len(json.dumps(event)))
        try:
            sio.connect(f"{self.base_url}?token={self.token}", headers=headers, auth={"event": event},
                        transports=["websocket"], socketio_path="_event", namespaces=[NAMESPACE],
                        wait_timeout=self.timeout)
        except Exception as exc:  # socketio.exceptions.ConnectionError and transport errors alike
            return self._end(call, EventFailed(f"connect failed: {exc}"))
        return self._wait(call, hydrated)

    def close_socket(self) -> None:
        # A socket whose connect timed out has no read loop: engine.io's disconnect would fail on it.
        sio, self.sio = self.sio, None
        if sio is not None and sio.connected:
            sio.disconnect()

    def close(self) -> None:
        self._finish_previous()
        self.close_socket()
        self.http.close()

    def _begin(self, name: str, bytes_out: int) -> Call:
        self._finish_previous()
        call = Call(name=name, sent_at=time.perf_counter(), bytes_out=bytes_out,
                    counters_at_start=self._counters())
        with self._changed:
            self._call = call
        return call

    def _finish_previous(self) -> None:
        """The previous call's late messages have arrived by now: report it."""
        with self._changed:
            call, self._call = self._call, None
        if call is not None and not call.reported:
            self._report(call, None)

    def _report(self, call: Call, error: Exception | None) -> None:
        call.reported = True
        (bytes_in, bytes_out), (in0, out0) = self._counters(), call.counters_at_start
        call.bytes_in = max(0, bytes_in - in0)
        call.bytes_out = max(call.bytes_out, bytes_out - out0)
        if self.on_call is not None:
            self.on_call(call, error)

    def _wait(self, call: Call, until: Callable[[Call], bool]) -> Call:
        deadline = time.perf_counter() + self.timeout
        with self._changed:
            while not until(call):
                left = deadline - time.perf_counter()
                if left <= 0 or self.sio is None or not self.sio.connected:
                    why = "timed out" if left <= 0 else "socket closed"
                    break
                self._changed.wait(min(left, 0.5))
            else:
                return call  # reported at the next call, with the messages that come meanwhile
        return self._end(call, EventFailed(f"{call.name}: {why} after {len(call.messages)} messages"))

    def _end(self, call: Call, error: Exception) -> Call:
        with self._changed:
            if self._call is call:
                self._call = None
        call.last_at = time.perf_counter()
        self._report(call, error)
        raise error

    def send(self, name: str, payload: dict | None = None, *, label: str | None = None,
             until: Callable[[Call], bool] = any_message, as_path: str | None = None) -> Call:
        """Emit event ``name`` with ``payload`` from the current page (or ``as_path``); wait for ``until``."""
        if self.sio is None or not self.sio.connected:
            raise EventFailed(f"{label or name}: the socket is not connected")
        router_data = self._router_data(as_path or self.path)
        event = {"name": name, "payload": payload or {}, "router_data": router_data}
        call = self._begin(label or name, len(json.dumps(event)))
        try:
            self.sio.emit("event", event, namespace=NAMESPACE)
        except Exception as exc:  # a dropped socket raises from the emit
            return self._end(call, EventFailed(f"emit failed: {exc}"))
        return self._wait(call, until)

    def navigate(self, as_path: str, *, label: str | None = None) -> Call:
        """A client-side navigation (a link, a redirect): the page's on_load events on the same socket."""
        self.path = as_path
        return self.send(ON_LOAD, {}, until=hydrated, label=label or f"load {as_path}")

    # -- signing in ---------------------------------------------------------------------------
    def sign_in(self, email: str, password: str, *, target: str = "/") -> Call:
        """The sign-in page, its form, the cookie exchange over HTTP, then ``target`` with the cookie."""
        self.cookies.clear()
        self.open(f"/login?next={target}", name="open /login")
        call = self.send(handler(LOGIN_STATE, "submit"), {"form": {"email": email, "password": password}},
                         until=has_events, label="sign_in")
        answer = self.http.post(f"{self.base_url}/api/session", json=self._exchange_body(call),
                                headers={"Origin": self.origin}, timeout=self.timeout)
        if answer.status_code != 204:
            raise EventFailed(f"POST /api/session answered {answer.status_code}: {answer.text[:200]}")
        self.cookies.update({k: v for k, v in answer.cookies.items() if k in (SESSION_COOKIE, MARKER_COOKIE)})
        if set(self.cookies) != {SESSION_COOKIE, MARKER_COOKIE}:
            raise EventFailed(f"POST /api/session set {sorted(answer.cookies.keys())}, not the session's")
        return self.open(target)

    def _exchange_body(self, call: Call) -> dict[str, str]:
        """What the sign-in answer's script would POST to /api/session: the code and the tab's token."""
        for event in call.events():
            script = str((event.get("payload") or {}).get("javascript_code", ""))
            match = _EXCHANGE_BODY.search(script) if event.get("name") == "_call_script" else None
            if match is not None:
                return json.loads(json.loads(match.group(1)))
        raise EventFailed(f"sign_in: no session code in the answer ({self.state.get(LOGIN_STATE, {})})")

    def var(self, state: str, name: str, default: Any = None) -> Any:
        """A state var as the tab last saw it (``name`` without Reflex's ``_rx_state_`` suffix)."""
        return self.state.get(state, {}).get(f"{name}_rx_state_", default)
