"""Inserting a placeholder at the cursor of a text field the server keeps the value of.

The browser knows the cursor, the server knows the text: a handler asks the page for the field's
value and selection (``cursor_script``) and gets them back in a callback, which splices the tag in
with :func:`insert_at`. The value the browser reports wins, so text typed in the last few
milliseconds (still inside the input's debounce) is not lost.
"""

from __future__ import annotations

import json


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
