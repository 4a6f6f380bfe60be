"""Inserting a placeholder at the cursor of a text field the server keeps the value of.

The browser knows the cursor, the server knows the text: a handler asks the page for the field's
value and selection (``cursor_script``) and gets them back in a callback, which splices the tag in
with :func:`insert_at`. The value the browser reports wins, so text typed in the last few
milliseconds (still inside the input's debounce) is not lost.
"""

from __future__ import annotations

import json

import reflex as rx

from crm_app.domain.templating import PLACEHOLDERS, placeholder_tag
from crm_app.states.session import authorized
from crm_app.states.template_check import TemplateDraft, draft


def cursor_script(control_id: str) -> str:
    """JavaScript evaluating to ``[value, selectionStart, selectionEnd]`` of a field, or null."""
    return (
        "(() => { const el = document.getElementById(" + json.dumps(control_id) + ");"
        " return el ? [el.value, el.selectionStart, el.selectionEnd] : null; })()"
    )


def insert_at(current: str, result: object, tag: str) -> str:
    """``current`` (or the value reported in ``result``) with ``tag`` at the reported selection.

    Without a usable report (field gone, odd values from the browser), the tag goes at the end.
    """
    if isinstance(result, list) and len(result) == 3 and isinstance(result[0], str):
        value, start, end = result
        if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(value):
            return value[:start] + tag + value[end:]
        current = value
    separator = "" if not current or current.endswith((" ", "\n")) else " "
    return current + separator + tag


class PlaceholderDraft(TemplateDraft, mixin=True):
    """A draft with a placeholder menu (the template editor, the invitation): the chosen placeholder goes
    in at the cursor of the field being written."""

    _pending_tag: str = ""

    def _placeholder_field(self) -> str:
        """The draft's field ("subject" or "body") a placeholder goes into."""
        return "body"

    def _control_id(self, field: str) -> str:
        """The id of the page's control that edits ``field``."""
        raise NotImplementedError

    @rx.event
    def insert_placeholder(self, name: str):
        """Ask the page where the cursor is in the field; ``placeholder_at`` inserts."""
        if name not in PLACEHOLDERS:
            return None
        self._pending_tag = placeholder_tag(name)
        control_id = self._control_id(self._placeholder_field())
        return rx.call_script(cursor_script(control_id), callback=type(self).placeholder_at)

    @authorized()
    def placeholder_at(self, actor, result: list | None = None):
        tag, self._pending_tag = self._pending_tag, ""
        if not tag:
            return None
        field = self._placeholder_field()
        setattr(self, field, draft(field, insert_at(getattr(self, field), result, tag)))
        return self._draft_changed()
