"""A background job's bar (pages of imports, duplicate scans, bulk actions): a heading, the bar named for
screen readers, the progress in words (announced politely as it changes) and, while it runs, Cancel."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.states.session import SessionState

T = SessionState.tr


def job_progress(heading: Var | str, percent: Var | int, text: Var | str, *, label: Var | str,
                 on_cancel=None, cancel_label: Var | str | None = None) -> rx.Component:
    children = [
        rx.heading(heading, size="4", as_="h2"),
        rx.progress(value=percent, max=100, width="100%", aria_label=label),
        rx.text(text, size="2", aria_live="polite"),
    ]
    if on_cancel is not None:
        children.append(rx.button(cancel_label if cancel_label is not None else T["cancel"], variant="soft",
                                  color_scheme="red", on_click=on_cancel, min_height="44px"))
    return rx.card(rx.vstack(*children, spacing="3", width="100%"), width="100%")
