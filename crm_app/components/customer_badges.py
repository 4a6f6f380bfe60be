"""Small pieces shown wherever a customer appears: type, tags and the supplier/conflictive flags."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components import plain
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
    return plain.inline(rx.foreach(tags, plain.badge), wrap=True)


def flags(supplier: Var, conflictive: Var, size: int = 18) -> rx.Component:
    """Supplier: a truck; conflictive: a red face. Each is an image with a name for screen readers."""
    return plain.inline(
        rx.cond(supplier, plain.flag_icon("truck", T["supplier"], "blue", size)),
        rx.cond(conflictive, plain.flag_icon("angry", T["conflictive"], "red", size)),
        gap="2",
    )
