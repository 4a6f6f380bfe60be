"""A row's action (delete, revoke) waiting for the user's yes in a confirmation dialog.

The row's button calls ``ask_delete(row_id, name)``; the dialog shows ``confirm_name`` and calls the
page's own confirm handler, which takes the row with ``_confirmed()`` (the dialog closes) and checks
the actor, the organization and the role like every handler; ``cancel_delete`` closes it. The page's
state names ``confirm_id`` in its ``@dialog_flags``, so the dialog never survives a navigation.
"""

from __future__ import annotations

import reflex as rx

MAX_NAME = 300  # shown in the dialog's message only (an e-mail address fits)


class RowConfirmation(rx.State, mixin=True):
    confirm_id: int = 0
    confirm_name: str = ""

    @rx.event
    def ask_delete(self, row_id: int, name: str):
        self.confirm_id, self.confirm_name = int(row_id), str(name)[:MAX_NAME]

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    def _confirmed(self) -> int:
        """The row the user said yes to; the dialog closes."""
        row_id, self.confirm_id = self.confirm_id, 0
        return row_id
