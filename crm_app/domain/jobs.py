"""A background job as pages see it: its status and progress, with the rate and time left worked out
from them (rows done, rows per second, seconds to go)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# A job that is over: no worker holds it, its bar no longer moves.
ENDED = frozenset({"done", "failed", "cancelled", "interrupted"})


@dataclass(frozen=True)
class JobDTO:
    id: int
    kind: str
    status: str  # queued | running | done | failed | cancelled | interrupted
    done: int
    total: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool
    error: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def ended(self) -> bool:
        return self.status in ENDED

    def seconds(self, now: datetime) -> float:
        """How long it has run (until it ended)."""
        if self.started_at is None:
            return 0.0
        return max(((self.finished_at or now) - self.started_at).total_seconds(), 0.0)

    def rate(self, now: datetime) -> float:
        """Items per second so far (0 before the first second's work)."""
        elapsed = self.seconds(now)
        return self.done / elapsed if elapsed > 0 and self.done else 0.0

    def seconds_left(self, now: datetime) -> float | None:
        """At the rate so far; None while there is no rate yet or once it ended."""
        rate = self.rate(now)
        if self.ended or not rate or self.total <= self.done:
            return None
        return (self.total - self.done) / rate

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else (100 if self.ended else 0)
