"""Log lines for operators: one JSON object per line (CRM_LOG_FORMAT=json) or plain text.

Every line written while an HTTP request or a websocket event is handled carries its id
(``request_id`` or ``event_id``, with the event's name and the tab's hashed token), so the lines of
one request can be found among several nodes' logs. The id lives in a contextvar: asyncio copies it
into the tasks a request starts, and each request or event sets its own.

``configure(settings)`` is called once per process: by the app (crm_app/crm_app.py) and by the worker
command. It replaces the root logger's handlers and routes the web servers' loggers (uvicorn, granian)
through the same formatter.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from crm_app.settings import Settings

# The fields of the request or event being handled: {"request_id": ...} or {"event_id": ..., "event": ...}.
_context: ContextVar[Mapping[str, str] | None] = ContextVar("crm_log_context", default=None)

# An incoming X-Request-ID is kept only when it is short and plain: it ends up in every log line.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

# Loggers of the servers that run the app; their own handlers are replaced by ours.
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "granian", "granian.access", "_granian")

_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def new_id() -> str:
    return secrets.token_hex(8)


def accepted_id(value: str | None) -> str:
    """``value`` when it is a safe request id (as a proxy sends in X-Request-ID), else a fresh id."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    return new_id()


def token_hash(token: str) -> str:
    """A short, stable name for a tab's token: lines of one tab can be grouped, the token not read back."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


# Asked when no id was bound: a framework's own notion of the running event (crm_app/event_ids.py adds
# Reflex's), for lines written outside the code that binds ids (an event's exception handler).
_fallback_sources: list[Callable[[], Mapping[str, str] | None]] = []


def add_fallback_source(source: Callable[[], Mapping[str, str] | None]) -> None:
    if source not in _fallback_sources:
        _fallback_sources.append(source)


def current() -> Mapping[str, str]:
    """The id fields of the request or event being handled (empty outside one)."""
    fields = _context.get()
    if fields:
        return fields
    for source in _fallback_sources:
        if found := source():
            return found
    return {}


def bind(**fields: str) -> None:
    """Set the id fields for the rest of the current task (an event's task ends with its event)."""
    _context.set(dict(fields))


@contextmanager
def bound(**fields: str) -> Iterator[None]:
    """The id fields for the block only."""
    token = _context.set(dict(fields))
    try:
        yield
    finally:
        _context.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC ISO), level, logger, message, pid, the ids, exception text."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,  # granian runs several workers per node
        }
        line.update(current())
        # Fields given with extra={...} (counts, ids of rows), after ours so they cannot hide them.
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key not in line and not key.startswith("_"):
                line[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger [id] message`` for a developer's terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(ids)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        fields = current()
        record.ids = " [" + " ".join(f"{k}={v}" for k, v in fields.items()) + "]" if fields else ""
        return super().format(record)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at each line (a test runner swaps it after the app's import)."""

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _value: IO[str]) -> None:
        pass


def configure(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """Send every log line of this process to ``stream`` (stderr) in the format the settings ask for."""
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        for old in list(server_logger.handlers):
            server_logger.removeHandler(old)
        server_logger.propagate = True
    return handler
