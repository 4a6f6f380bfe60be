"""The customer list's selection and bulk action bar (states/bulk_selection.py, states/bulk_actions.py).

- ``row_check(row)``: a row's check box, named for the customer ("Seleccionar Ana Díaz"); on phones only in
  checkbox mode.
- ``bulk_bar()``: on wide screens, above the list while rows are ticked: the count, "select all N that match
  this filter", "Quitar selección" and the actions; on phones, in checkbox mode ("Seleccionar" in the
  "Más" menu, or a long press on a card), the same count at the top and the actions in a bar fixed to the
  bottom of the screen (44 px targets, icons with their labels).
- ``long_press_card(row, body)``: a long press on a card (bulk_long_press.jsx: a finger held still, or the
  context menu) enters checkbox mode with that card ticked, instead of the browser's own menu.

The admin-only actions (``domain.bulk.ADMIN_KINDS``) are hidden from sales users; the services refuse
them anyway. The trash offers Restore; the active list everything else.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventHandler, no_args_event_spec
from reflex.vars import Var

from crm_app.components.controls import check
from crm_app.components.responsive import wide_screen
from crm_app.states.bulk_actions import BulkActionState
from crm_app.states.customers import CustomersState, ListRow
from crm_app.states.session import ShellState

S = CustomersState
B = BulkActionState
T = S.tr

# (kind, icon) of the actions on the active list, in the bar's order; "trash" is admins' only.
LIST_ACTIONS = (("tag_add", "tag"), ("tag_remove", "tag"), ("set_channel", "radio_tower"),
                ("set_flag", "flag"), ("add_to_account", "building_2"), ("send_template", "send"))
PHONE_FIRST = 2  # on the phone's bar, the first actions have a button each; the rest go under "Más"
_LONG_PRESS_JS = rx.asset("bulk_long_press.jsx", shared=True)


class LongPress(rx.Component):
    """A <div> that calls ``on_long_press`` when held (touch) or on its context menu."""

    library = _LONG_PRESS_JS.importable_path
    tag = "LongPress"
    on_long_press: EventHandler[no_args_event_spec]


def _named(key: str, name: Var) -> Var:
    return T[key].to(str).replace("{name}", name)


def _counted(key: str, count: Var) -> Var:
    """``count`` is a text var ("1.234") or a number var."""
    return T[key].to(str).replace("{count}", count.to(str) if count._var_type is str else count.to_string())


def row_check(row: ListRow) -> rx.Component:
    ticked = S.selected_ids.contains(row.id)
    box = rx.el.label(
        rx.el.input(type="checkbox", checked=ticked, on_change=S.toggle_row(row.id, ~ticked),
                    aria_label=_named("bulkui_select_row", row.display_name)),
        class_name="crm-check crm-row-check",  # the whole label is the touch target
    )
    return rx.cond(wide_screen | S.select_mode, box)


def long_press_card(row: ListRow, body: rx.Component) -> rx.Component:
    """A card's body that a long press ticks, in checkbox mode (no iOS callout menu over it)."""
    return LongPress.create(body, on_long_press=S.long_press(row.id),
                            style={"WebkitTouchCallout": "none", "width": "100%"})


def _page_check() -> rx.Component:
    return check(T["bulkui_select_page"], S.page_selected, S.toggle_page(~S.page_selected))


def _selection_text() -> rx.Component:
    """"3 seleccionados · Seleccionar los 1.234 que coinciden con este filtro · Quitar selección"."""
    return rx.hstack(
        rx.text(
            rx.cond(S.all_matching, _counted("bulkui_all_selected", S.matching_text),
                    _counted("bulkui_n_selected", S.selected_ids.length())),
            weight="medium", size="2",
        ),
        rx.cond(
            ~S.all_matching & (S.matching_count > S.selected_ids.length()),
            rx.button(_counted("bulkui_select_all_matching", S.matching_text), variant="ghost", size="2",
                      on_click=S.select_all_matching),
        ),
        rx.button(T["bulkui_clear"], variant="ghost", size="2", color_scheme="gray",
                  on_click=S.clear_selection),
        spacing="3", align="center", wrap="wrap", role="status",
    )


def _export_href(file_format: str) -> Var:
    """The list's export with the list's filters, and the ticked ids unless all that match are chosen."""
    ids = rx.cond(S.all_matching, "", "&ids=" + S.selected_ids.join(","))
    return f"/api/customers/export?format={file_format}&" + S.export_query + ids


def _export_items() -> list[rx.Component]:
    return [
        rx.menu.item(rx.el.a(T[f"bulkui_export_{fmt}"], href=_export_href(fmt), download=True,
                             reload_document=True), as_child=True)
        for fmt in ("xlsx", "csv")
    ]


def _export_menu() -> rx.Component:
    return rx.cond(
        S.can_transfer,
        rx.menu.root(
            rx.menu.trigger(rx.button(rx.icon("download", size=16, aria_hidden="true"), T["bulkui_export"],
                                      variant="soft", size="2")),
            rx.menu.content(*_export_items(), aria_label=T["bulkui_export"]),
        ),
    )


def _button(kind: str, icon: str, **props) -> rx.Component:
    return rx.button(rx.icon(icon, size=16, aria_hidden="true"), T[f"bulkui_action_{kind}"], variant="soft",
                     size="2", on_click=B.open_action(kind), **props)


def _wide_bar() -> rx.Component:
    actions = rx.cond(
        S.trash,
        rx.cond(ShellState.is_admin, _button("restore", "undo_2")),
        rx.fragment(
            *[_button(kind, icon) for kind, icon in LIST_ACTIONS],
            _export_menu(),
            rx.cond(ShellState.is_admin, _button("trash", "trash_2", color_scheme="red")),
        ),
    )
    return rx.cond(
        S.selected_count > 0,
        rx.card(
            rx.vstack(
                _selection_text(),
                rx.hstack(actions, spacing="2", wrap="wrap", role="toolbar",
                          aria_label=T["bulkui_toolbar"]),
                spacing="2", width="100%",
            ),
            width="100%",
        ),
    )


def _phone_action(kind: str, icon: str) -> rx.Component:
    return rx.el.button(rx.icon(icon, size=20, aria_hidden="true"), rx.el.span(T[f"bulkui_short_{kind}"]),
                        type="button", class_name="crm-action", on_click=B.open_action(kind))


def _phone_more() -> rx.Component:
    rest = LIST_ACTIONS[PHONE_FIRST:]
    return rx.menu.root(
        rx.menu.trigger(rx.el.button(rx.icon("ellipsis", size=20, aria_hidden="true"),
                                     rx.el.span(T["bulkui_more"]), type="button", class_name="crm-action",
                                     aria_label=T["bulkui_more_actions"])),
        rx.menu.content(
            *[rx.menu.item(T[f"bulkui_action_{kind}"], on_select=B.open_action(kind)) for kind, _ in rest],
            rx.cond(S.can_transfer, rx.fragment(*_export_items())),
            rx.cond(ShellState.is_admin, rx.menu.item(T["bulkui_action_trash"], color="red",
                                                      on_select=B.open_action("trash"))),
            aria_label=T["bulkui_more_actions"],
        ),
    )


def _phone_bar() -> rx.Component:
    """Fixed at the bottom in checkbox mode; the page keeps room for it."""
    actions = rx.cond(
        S.trash,
        rx.cond(ShellState.is_admin, _phone_action("restore", "undo_2")),
        rx.fragment(*[_phone_action(kind, icon) for kind, icon in LIST_ACTIONS[:PHONE_FIRST]], _phone_more()),
    )
    done = rx.el.button(rx.icon("x", size=20, aria_hidden="true"), rx.el.span(T["bulkui_done_selecting"]),
                        type="button", class_name="crm-action", on_click=S.set_select_mode(False))
    return rx.fragment(
        rx.box(height="5rem", aria_hidden="true"),
        rx.el.nav(rx.cond(S.selected_count > 0, actions), done, aria_label=T["bulkui_toolbar"],
                  class_name="crm-action-bar", style={"zIndex": 5}),  # over the cards scrolled under it
    )


def _phone() -> rx.Component:
    """Checkbox mode, entered from "Más" (customer_list_actions) or by a long press on a card."""
    return rx.cond(
        S.select_mode,
        rx.vstack(
            rx.hstack(_page_check(), rx.cond(S.selected_count > 0, _selection_text()), spacing="3",
                      align="center", wrap="wrap"),
            _phone_bar(),
            spacing="2", width="100%",
        ),
    )


def bulk_bar() -> rx.Component:
    """Above the list: the wide screens' bar, or the phones' checkbox mode and bottom bar."""
    return rx.cond(
        S.rows.length() > 0,
        rx.cond(wide_screen, rx.vstack(_page_check(), _wide_bar(), spacing="2", width="100%"), _phone()),
    )
