"""Pieces of the list pages (/customers, /accounts): heading bar, search box, sort select, a table on
wide screens and cards on phones, row buttons named for their row, pager, delete confirmation.

The list state passed as ``state`` keeps one keyset page: ``rows``, ``loaded``, ``cursor``,
``next_cursor``, ``first_page``/``next_page`` and ``confirm_id``/``confirm_name`` with
``confirm_delete``/``cancel_delete`` (see ``states/list_query.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import reflex as rx
from reflex.vars import Var

from crm_app.components import plain
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.empty_state import list_empty_state
from crm_app.components.mounted import AfterPaint
from crm_app.components.responsive import wide_or_narrow, wide_screen
from crm_app.states.session import SessionState

T = SessionState.tr

# The rows a first screen shows are rendered with the page; the rest of the page of 25 in the next task,
# once those are painted (about 0.2-0.3 s sooner on a phone's CPU, bench/list_page.py --network fast3g).
# A phone shows 3-4 cards; /customers, one row of filters above the table, shows 8-9 rows in a
# 1280 x 720 window and 16 in a 1920 x 1080 one (the rest follow a frame later).
FIRST_CARDS = 6
FIRST_ROWS = 12


def _first_screen(count: int, render: Callable[[Var], rx.Component]) -> Callable[[Var, Var], rx.Component]:
    """``render`` for rx.foreach, the rows past the first ``count`` waiting for the first paint."""
    return lambda row, index: AfterPaint.create(render(row), wait=index >= count)


# (message key, value) of the sort orders every list offers.
SORT_OPTIONS = (("sort_name", "name"), ("sort_name_desc", "-name"), ("sort_created_desc", "-created"),
                ("sort_created", "created"))


def page_header(title: Var, *actions: rx.Component) -> rx.Component:
    """The page's h1 with its buttons on the right (wrapping below it on phones)."""
    return rx.hstack(
        rx.heading(title, size="6", as_="h1"),
        rx.spacer(),
        *actions,
        width="100%",
        align="center",
        wrap="wrap",
        spacing="3",
    )


def search_box(key: str, value: Var, on_change) -> rx.Component:
    """The list's search: the message ``key`` names what it searches, and is its placeholder on a wide
    screen; a phone's field is narrower (beside "Filtros"), so it shows ``<key>_short`` ("Buscar
    clientes"). A wide field shares its row with filters and may cut its hint: its title says it all."""
    label = T[key]
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        placeholder=rx.cond(wide_screen, label, T[f"{key}_short"]),
        aria_label=label,
        title=label,
        type="search",
        value=value,
        on_change=on_change,
        debounce_timeout=250,
        width="100%",
        max_width="40em",
        size="3",
    )


def labelled_select(label: Var, control_id: str, options: Sequence, value: Var, on_change, *,
                    min_width: str = "", **select_props) -> rx.Component:
    """A native <select> with its visible label above (a filter or the sort order)."""
    return rx.vstack(
        rx.el.label(label, html_for=control_id, class_name="crm-label"),
        rx.el.select(*options, id=control_id, value=value, class_name="crm-select", on_change=on_change,
                     **select_props),
        spacing="1",
        **({"min_width": min_width} if min_width else {}),
    )


def sort_select(control_id: str, value: Var, on_change, *, min_width: str = "") -> rx.Component:
    options = [rx.el.option(T[key], value=code) for key, code in SORT_OPTIONS]
    return labelled_select(T["sort_by"], control_id, options, value, on_change, min_width=min_width)


def _named(action_key: str, name: Var) -> Var:
    return T[action_key].to(str) + " " + name


def row_button(icon: str, action_key: str, name: Var, on_click, *, color_scheme: str = "") -> rx.Component:
    """An icon button whose accessible name says what it does to which row ("Editar Ana Díaz")."""
    return plain.icon_button(icon, _named(action_key, name), on_click, color=color_scheme)


def row_link(icon: str, action_key: str, name: Var, href: Var) -> rx.Component:
    """A row's link to its page, looking like the row's buttons ("Abrir Ana Díaz")."""
    return plain.icon_page_link(icon, _named(action_key, name), href)


def labelled_row_button(icon: str, action_key: str, name: Var, on_click, *, size: str = "1",
                        **props) -> rx.Component:
    """A card's action with its label shown; its accessible name also says which row ("Revocar Web")."""
    return rx.button(rx.icon(icon, size=14, aria_hidden="true"), T[action_key], size=size, variant="soft",
                     on_click=on_click, aria_label=_named(action_key, name), **props)


def edit_delete_buttons(name: Var, on_edit, on_delete, *before: rx.Component) -> rx.Component:
    return plain.inline(
        *before,
        row_button("pencil", "edit", name, on_edit),
        row_button("trash_2", "delete", name, on_delete, color_scheme="red"),
    )


def name_link(name: Var, href: Var) -> rx.Component:
    return plain.page_link(name, href, medium=True)


def data_table(state, headers: Sequence[str], cells: Callable[[Var], Sequence[rx.Component]],
               label: Var) -> rx.Component:
    """The page's rows as a table for wide screens (``rows_or_empty`` pairs it with ``card_list``);
    the first cell heads its row (screen readers)."""

    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[h]) for h in headers])),
        rx.table.body(rx.foreach(state.rows, _first_screen(FIRST_ROWS, lambda row: plain.row(*cells(row))))),
        width="100%",
        size="1",
        aria_label=label,
    )


def card_list(state, body: Callable[[Var], Sequence[rx.Component]]) -> rx.Component:
    """The same rows as cards on phones and narrow windows."""
    def card(row: Var) -> rx.Component:
        return rx.card(rx.vstack(*body(row), spacing="1", width="100%"), width="100%")

    return rx.vstack(
        rx.foreach(state.rows, _first_screen(FIRST_CARDS, card)),
        width="100%",
        class_name="crm-cards",
    )


def rows_or_empty(state, table: rx.Component, cards: rx.Component, *, filtered: Var, no_match: Var,
                  empty: rx.Component) -> rx.Component:
    """The rows (table and cards), or once loaded without any: ``no_match`` when a search, a filter or a
    later page emptied the list, ``empty`` (what the list is for and how to fill it) when it is empty."""
    return rx.cond(
        state.rows.length() > 0,
        wide_or_narrow(table, cards),  # only the layout on screen is rendered
        rx.cond(state.loaded, list_empty_state(filtered | (state.cursor != ""), no_match, empty)),
    )


def pager(state) -> rx.Component:
    """First page / next page, only when there is more than one page."""
    return rx.cond(
        (state.cursor != "") | (state.next_cursor != ""),
        rx.hstack(
            rx.button(T["first_page"], variant="soft", on_click=state.first_page,
                      disabled=state.cursor == ""),
            rx.button(T["next_page"], variant="soft", on_click=state.next_page,
                      disabled=state.next_cursor == ""),
            spacing="3",
        ),
    )


def numbered_pager(number: Var, on_previous, on_next, has_next: Var, *, button_size: str = "2",
                   **number_props) -> rx.Component:
    """Previous / page number / next, for the short lists paged by a stack of cursors (settings, users)."""
    buttons = {"variant": "soft", "size": button_size}
    return rx.hstack(
        rx.button(T["previous_page"], on_click=on_previous, disabled=number <= 1, **buttons),
        rx.text(number, **number_props),
        rx.button(T["next_page"], on_click=on_next, disabled=~has_next, **buttons),
        spacing="3",
        align="center",
    )


def delete_dialog(state, key: str) -> rx.Component:
    """Confirmation of the row ``state.ask_delete`` picked; ``key``'s message names it as {name}."""
    return confirm_dialog(
        state.confirm_id != 0,
        T[key].to(str).replace("{name}", state.confirm_name),
        state.confirm_delete,
        state.cancel_delete,
    )
