"""A list's filters on a phone: a "Filtros" button that says how many are set and opens the controls in a
dialog (the customer list, orders, sales, leads).

A row of filters filled half a phone's first screen or more before any row of the list. In the dialog
the controls sit in two columns; each change reloads the list under it and the dialog stays open (its
open state is the browser's, not the server's) until "Ver resultados", or "Quitar filtros", which clears
them and closes it. Its controls are built only when it opens.
"""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.vars import Var

from crm_app.components.dialogs import TITLE_LEVEL, dialog_content
from crm_app.states.session import SessionState

T = SessionState.tr


def set_count(values: Sequence[Var]) -> Var:
    """How many of ``values`` (the filters' texts in the state) are not empty, counted in the browser."""
    count: Var = rx.cond(values[0] != "", 1, 0)
    for value in values[1:]:
        count = count + rx.cond(value != "", 1, 0)
    return count


def filters_dialog(controls: Sequence[rx.Component], count: Var, on_clear, *,
                   done_label: Var | None = None, label_key: str = "list_filters_button",
                   active_key: str = "list_filters_active") -> rx.Component:
    """``label_key`` names the button and the dialog ("Filtros"); ``active_key`` names the button when
    ``count`` of its filters are set ("Filtros: 2 activos")."""
    badge = rx.el.span(count, class_name="rt-reset rt-Badge rt-r-size-1 rt-variant-solid", aria_hidden="true")
    name = rx.cond(count > 0, T[active_key].to(str).replace("{count}", count.to_string()),
                   T[label_key])
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("sliders_horizontal", size=16, aria_hidden="true"), T[label_key],
                      rx.cond(count > 0, badge), variant="soft", aria_label=name),
        ),
        dialog_content(
            rx.dialog.title(T[label_key], custom_attrs=TITLE_LEVEL),
            rx.dialog.description(T["list_filters_hint"], size="2", color_scheme="gray"),
            rx.el.div(*controls, class_name="crm-filter-sheet"),
            rx.hstack(
                rx.cond(count > 0, rx.dialog.close(rx.button(T["clear_filters"], variant="soft",
                                                             color_scheme="gray", on_click=on_clear))),
                rx.dialog.close(rx.button(T["list_filters_results"] if done_label is None else done_label)),
                spacing="3", justify="end", margin_top="1em", wrap="wrap",
            ),
        ),
    )
