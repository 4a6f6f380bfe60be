"""What the create/edit dialogs of a record (customer, account) share: save or refuse, then refresh.

A save runs the service's create (``mode == "create"``) or update in one transaction. A refused one
shows its field errors through the form's own ``show`` (each form knows its field names) and moves
focus to the first of them; a conflict (someone saved the record since it was opened, or a rule
that is no field's) shows above the form in ``form_error``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import reflex as rx
from sqlmodel import Session

from crm_app.db import session_scope
from crm_app.domain.errors import Conflict, FieldError, ValidationFailed
from crm_app.states.dialogs import Refusals

T = TypeVar("T")


class RecordForm(Refusals, mixin=True):
    """Mixin of a form dialog state that declares ``mode`` and ``form_error`` (and is a SessionState)."""

    def _save(
        self,
        errors: dict[str, FieldError],
        show: Callable[[ValidationFailed], None],
        *,
        create: Callable[[Session], T],
        update: Callable[[Session], T],
    ) -> T | None:
        """The saved record, or None when the save was refused (errors already shown)."""
        try:
            if errors:
                raise ValidationFailed(errors)
            with session_scope() as session:
                return (update if self.mode == "edit" else create)(session)
        except ValidationFailed as exc:
            show(exc)
            self._refused()
        except Conflict as exc:
            self.form_error = self._err(exc)
        return None

    def _reload_here(self) -> rx.event.EventSpec:
        """Re-open the current address: its page's on_load shows the saved record (list or profile)."""
        url = self.router.url
        return rx.redirect(url.path + (f"?{url.query}" if url.query else ""), replace=True)
