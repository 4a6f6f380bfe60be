"""The placeholder menu and the ``</>`` invitation-link button of the template editors."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from crm_app.domain.templating import PLACEHOLDERS
from crm_app.states.session import SessionState

T = SessionState.tr


def placeholder_menu(on_pick: Callable[[str], object], *, disabled=False) -> rx.Component:
    """A "Insert placeholder" menu; ``on_pick(name)`` gives the event inserting ``{{ name }}``."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon("braces", size=16, aria_hidden="true"), T["insert_placeholder"],
                      type="button", variant="soft", size="1", disabled=disabled),
        ),
        rx.menu.content(
            *[rx.menu.item(T[f"placeholder_{name}"], on_select=on_pick(name))
              for name in PLACEHOLDERS if name != "invitation_link"],
        ),
    )


def link_button(on_click, *, disabled=False) -> rx.Component:
    """``</>``: inserts ``{{ invitation_link }}`` at the cursor (or at the end)."""
    return rx.tooltip(
        rx.button(rx.icon("code_xml", size=16, aria_hidden="true"), type="button", variant="soft",
                  size="1", on_click=on_click, disabled=disabled, aria_label=T["insert_invitation_link"]),
        content=T["insert_invitation_link"],
    )
