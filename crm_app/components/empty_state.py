"""What an empty list shows instead of an empty table: why it is empty and, when useful, what to do next."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def empty_state(icon: str, title: Var | str, hint: Var | str | None = None,
                *actions: rx.Component) -> rx.Component:
    """A quiet box with an icon, one sentence, an optional hint and the actions that fill the list.

    The sentence is a live status: screen readers hear it when a search empties the list."""
    return rx.vstack(
        rx.icon(icon, size=28, class_name="crm-empty-icon", aria_hidden="true"),
        rx.text(title, size="3", weight="medium", role="status"),
        rx.text(hint, size="2", color_scheme="gray") if hint is not None else rx.fragment(),
        rx.hstack(*actions, spacing="3", wrap="wrap", justify="center") if actions else rx.fragment(),
        align="center",
        spacing="2",
        class_name="crm-empty",
    )


def list_empty_state(filtered: Var, no_match: Var | str, empty: rx.Component) -> rx.Component:
    """``empty`` when nothing exists yet; when a search or filter hides every row, just say so."""
    return rx.cond(filtered, empty_state("search_x", no_match), empty)
