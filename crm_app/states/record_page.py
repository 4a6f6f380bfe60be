"""One record's own page (a customer's profile, an account's detail): what it shows once the record is
found, and nothing of an earlier record when it is not."""

from __future__ import annotations

import reflex as rx


class RecordPage(rx.State, mixin=True):
    found: bool = False
    loaded: bool = False
    name: str = ""
    fields: list[list[str]] = []  # [label, value] of the record's data section
    tags: list[str] = []
    confirm_delete: bool = False  # the state names it in its @dialog_flags

    def _not_found(self) -> None:
        """Another organization's record, a deleted one or a made-up id: nothing of the record shown
        before stays in the tab."""
        self.reset()
        self.found, self.loaded = False, True

    @rx.event
    def set_confirm_delete(self, value: bool):
        self.confirm_delete = bool(value)
