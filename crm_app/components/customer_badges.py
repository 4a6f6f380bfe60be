"""Small pieces shown wherever a customer appears: type, tags and the supplier/conflictive flags."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.states.session import SessionState

T = SessionState.tr


def type_label(client_type: Var) -> rx.Component:
    return rx.match(
        client_type,
        ("company", T["client_type_company"]),
        ("government", T["client_type_government"]),
        T["client_type_person"],
    )


def tag_badges(tags: Var) -> rx.Component:
    return rx.hstack(
        rx.foreach(tags, lambda t: rx.badge(t, variant="soft", size="1")), spacing="1", wrap="wrap"
    )


def flags(supplier: Var, conflictive: Var, size: int = 18) -> rx.Component:
    """Supplier: a truck; conflictive: a red face. Each is an image with a name for screen readers."""
    return rx.hstack(
        rx.cond(
            supplier,
            rx.tooltip(
                rx.icon("truck", size=size, role="img", aria_label=T["supplier"], color=rx.color("blue", 10)),
                content=T["supplier"],
            ),
        ),
        rx.cond(
            conflictive,
            rx.tooltip(
                rx.icon(
                    "angry", size=size, role="img", aria_label=T["conflictive"], color=rx.color("red", 10)
                ),
                content=T["conflictive"],
            ),
        ),
        spacing="2",
    )
