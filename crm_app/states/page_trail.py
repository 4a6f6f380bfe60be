"""Where a keyset-paged list stands: this page's cursor and the cursors of the pages before it.

A keyset page can only be reached from the one before it, so "previous" needs the way back. The
trail keeps it on the server (a state's backend var), one immutable value instead of a cursor, a
stack and a page number that every pager had to keep in step by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

C = TypeVar("C")


@dataclass(frozen=True)
class PageTrail(Generic[C]):
    cursor: C
    before: tuple[C, ...] = ()

    @property
    def number(self) -> int:
        """The page's number as the user counts it, from 1."""
        return len(self.before) + 1

    @property
    def has_previous(self) -> bool:
        return bool(self.before)

    def forward(self, next_cursor: C) -> PageTrail[C]:
        return PageTrail(next_cursor, (*self.before, self.cursor))

    def back(self) -> PageTrail[C]:
        return PageTrail(self.before[-1], self.before[:-1]) if self.before else self
