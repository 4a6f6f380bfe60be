"""What a customer would receive, shown in the template editor and in the send dialog."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def message_body_preview(channel: Var, body: Var, label: Var) -> rx.Component:
    """An e-mail's staff-written HTML goes in a sandboxed frame (no scripts, no access to the app); SMS and
    WhatsApp text as it is.

    The frame is re-created for each new text (``key``): Chromium may drop a ``srcdoc`` change that arrives
    while the frame still loads the previous one, and the preview then stays blank.
    """
    return rx.cond(
        channel == "email",
        rx.el.iframe(src_doc=body, sandbox="", title=label, class_name="crm-preview-frame", key=body),
        rx.text(body, white_space="pre-wrap", class_name="crm-preview-text"),
    )
