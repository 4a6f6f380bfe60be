"""A campaign's status as every campaign page shows it: a coloured badge with its word."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

STATUS_COLORS = {"draft": "gray", "scheduled": "blue", "preparing": "amber", "sending": "indigo",
                 "paused": "orange", "done": "green", "cancelled": "red"}


def campaign_status_badge(status: Var, label: Var) -> rx.Component:
    return rx.badge(label, color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"), variant="soft")
