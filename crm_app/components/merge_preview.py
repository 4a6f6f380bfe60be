"""The merge's preview: on wide screens a table, a column per customer (the survivor chosen at its head) and
a row per field with a radio per value; on a phone the same choices stacked per field. Rows whose values
are all the same show the value, with nothing to choose."""

from __future__ import annotations

import reflex as rx

from crm_app.components.forms import check
from crm_app.components.responsive import wide_or_narrow
from crm_app.states.merge import FieldRow, MergeColumn, MergeState, ValueCell

S = MergeState
T = S.tr
FIELDSET = {"border": "none", "padding": "0", "margin": "0", "min_width": "0"}


def _shown(value) -> rx.Var:
    return rx.cond(value != "", value, T["mergeui_empty"])


def _value_radio(row: FieldRow, cell: ValueCell, label) -> rx.Component:
    return check(label, type="radio", name="merge-" + row.field.to(str), value=cell.customer_id.to_string(),
                 checked=cell.chosen, on_change=lambda _: S.choose(row.field, cell.customer_id))


def _survivor_radio(column: MergeColumn, label) -> rx.Component:
    return check(label, type="radio", name="merge-survivor", value=column.id.to_string(),
                 checked=S.survivor_id == column.id, on_change=lambda _: S.set_survivor(column.id))


def _column_head(column: MergeColumn) -> rx.Component:
    return rx.table.column_header_cell(
        rx.vstack(
            rx.link(column.name, href=column.href, weight="bold"),
            rx.text(T["mergeui_created"], ": ", column.created, size="1", color_scheme="gray",
                    weight="regular"),
            rx.cond(column.counts != "", rx.text(column.counts, size="1", color_scheme="gray",
                                                  weight="regular")),
            _survivor_radio(column, T["mergeui_keep_this"]),
            spacing="1",
        ),
        min_width="12em",
    )


def _wide_row(row: FieldRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.label),
        rx.cond(
            row.differs,
            rx.foreach(row.cells, lambda cell: rx.table.cell(_value_radio(row, cell, _shown(cell.value)),
                                                            overflow_wrap="anywhere")),
            rx.table.cell(rx.text(_shown(row.common), " ",
                                  rx.text(T["mergeui_same"], as_="span", color_scheme="gray", size="1")),
                          col_span=S.customers.length()),
        ),
    )


def _wide() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.el.caption(T["mergeui_table_caption"], class_name="sr-only"),
            rx.table.header(rx.table.row(rx.table.column_header_cell(T["mergeui_field"]),
                                         rx.foreach(S.customers, _column_head))),
            rx.table.body(rx.foreach(S.fields, _wide_row)),
            width="100%", size="1",
        ),
        overflow_x="auto", width="100%",
    )


def _narrow_field(row: FieldRow) -> rx.Component:
    return rx.card(
        rx.el.fieldset(
            rx.el.legend(row.label, class_name="crm-label"),
            rx.cond(
                row.differs,
                rx.vstack(rx.foreach(row.cells, lambda cell: _value_radio(
                    row, cell, rx.fragment(_shown(cell.value), " — ", cell.name))), spacing="0"),
                rx.text(_shown(row.common), " ", rx.text(T["mergeui_same"], as_="span", color_scheme="gray"),
                        size="2"),
            ),
            overflow_wrap="anywhere", **FIELDSET,
        ),
        width="100%",
    )


def _narrow() -> rx.Component:
    survivor = rx.card(
        rx.el.fieldset(
            rx.el.legend(T["mergeui_survivor"], class_name="crm-label"),
            rx.vstack(rx.foreach(S.customers, lambda c: rx.vstack(
                _survivor_radio(c, c.name),
                rx.text(c.created, rx.cond(c.counts != "", " · " + c.counts, ""), size="1",
                        color_scheme="gray"),
                spacing="0")), spacing="1"),
            **FIELDSET,
        ),
        width="100%",
    )
    return rx.vstack(survivor, rx.foreach(S.fields, _narrow_field), spacing="2", width="100%")


def merge_table() -> rx.Component:
    return wide_or_narrow(_wide(), _narrow())


def _list(title_key: str, items, empty_key: str = "mergeui_none") -> rx.Component:
    return rx.vstack(
        rx.heading(T[title_key], size="3", as_="h3"),
        rx.cond(items.length() > 0,
                rx.el.ul(rx.foreach(items, lambda i: rx.el.li(rx.text(i, size="2",
                                                                       overflow_wrap="anywhere"))),
                         padding_left="1.2em", margin="0"),
                rx.text(T[empty_key], size="2", color_scheme="gray")),
        spacing="1", min_width="0",
    )


def merge_summary() -> rx.Component:
    """What the surviving customer will hold, and what moves to him."""
    return rx.card(
        rx.vstack(
            rx.heading(T["mergeui_result"], size="4", as_="h2"),
            rx.cond(S.conflictive, rx.callout(T["mergeui_conflictive"], icon="triangle_alert",
                                              color_scheme="amber", width="100%")),
            rx.grid(
                _list("mergeui_phones", S.phones),
                _list("mergeui_emails", S.emails),
                _list("mergeui_tags", S.tags),
                _list("mergeui_moves", S.moves, "mergeui_nothing_moves"),
                columns=rx.breakpoints(initial="1", sm="2", md="4"), spacing="4", width="100%",
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )
