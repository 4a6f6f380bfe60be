"""Small controls: a labelled checkbox and the up/down buttons of a sortable row (admin screens), and
the Edit / Delete buttons of a record's page."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.states.session import SessionState

T = SessionState.tr


def check(label: Var | str, checked: Var | bool, on_change, *, aria_label: Var | str | None = None,
          disabled: Var | bool = False) -> rx.Component:
    """A native checkbox with its short visible text; ``aria_label`` names it in full where several rows
    repeat the same text ("Obligatorio Fecha de nacimiento")."""
    extra = {"aria_label": aria_label} if aria_label is not None else {}
    return rx.el.label(
        rx.el.input(type="checkbox", checked=checked, on_change=on_change, disabled=disabled, **extra),
        rx.text(label, as_="span", size="2"),
        class_name="crm-check",
    )


def _move_button(icon: str, key: str, name: Var | str, on_click, disabled: Var | bool) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=16),
        size="1",
        variant="soft",
        color_scheme="gray",
        type="button",
        on_click=on_click,
        disabled=disabled,
        aria_label=T[key].to(str) + " " + name,
    )


def move_buttons(name: Var | str, up, down, *, first: Var | bool = False, last: Var | bool = False,
                 class_name: str = "crm-row-move") -> rx.Component:
    """"Subir <name>" / "Bajar <name>"; the first row cannot go up nor the last one down."""
    return rx.el.div(
        _move_button("arrow_up", "move_up", name, up, first),
        _move_button("arrow_down", "move_down", name, down, last),
        class_name=class_name,
    )


def edit_delete_buttons(on_edit, on_delete, *, spacing: str = "2") -> rx.Component:
    """Edit, then a red Delete (which should ask for confirmation), for the record a page shows."""
    return rx.hstack(
        rx.button(rx.icon("pencil", size=16, aria_hidden="true"), T["edit"], on_click=on_edit),
        rx.button(
            rx.icon("trash_2", size=16, aria_hidden="true"),
            T["delete"],
            color_scheme="red",
            variant="soft",
            on_click=on_delete,
        ),
        spacing=spacing,
    )


def link_button(icon: str, label: Var | str, href: Var | str, *, download: bool = False,
                **props) -> rx.Component:
    """A link that looks like a button (one element: an <a>, never a button inside a link), for a page
    to go to or a file to download. A download loads the address as a document (``reloadDocument``):
    React Router would otherwise take it for one of the app's pages and never fetch the file."""
    extra = {"download": True, "reload_document": True} if download else {}
    return rx.button(
        rx.el.a(rx.icon(icon, size=16, aria_hidden="true"), label, href=href, **extra),
        as_child=True,
        **{"variant": "soft", **props},
    )
