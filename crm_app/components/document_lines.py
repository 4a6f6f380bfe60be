"""The line editor of an order or a sale: one labelled row per line (a card on phones), the document's
discount with why it is there, and the totals, all driven by a state inheriting
``states/document_lines.DocumentLines``."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.forms import field_error, invalid_props
from crm_app.states.document_lines import LineRow
from crm_app.states.session import SessionState

T = SessionState.tr
# (field, label key, input mode, width on wide screens)
_FIELDS = (
    ("description", "line_description", "text", "1 1 16rem"),
    ("quantity", "line_quantity", "decimal", "0 0 6rem"),
    ("unit_price", "line_unit_price", "decimal", "0 0 8rem"),
    ("discount_percent", "line_discount", "decimal", "0 0 6rem"),
)


def _field(
    state, row: LineRow, number: Var, field: str, label_key: str, mode: str, flex: str
) -> rx.Component:
    control_id = "line-" + row.key + "-" + field
    name = row.key + "." + field
    return rx.vstack(
        rx.el.label(T[label_key].to(str) + " " + number, html_for=control_id, class_name="crm-label"),
        rx.input(
            id=control_id, value=getattr(row, field), input_mode=mode, width="100%",
            on_change=lambda value: state.set_line_field(row.key, field, value), debounce_timeout=300,
            **invalid_props(state.line_errors, name, control_id),
        ),
        field_error(state.line_errors, name, control_id),
        spacing="1", flex=flex, min_width="0",
    )


def _line(state, row: LineRow, index: Var) -> rx.Component:
    number = (index + 1).to_string()
    return rx.el.li(
        rx.flex(
            *[_field(state, row, number, *spec) for spec in _FIELDS],
            rx.vstack(
                rx.text(T["line_total"], class_name="crm-label"),
                rx.text(rx.cond(row.total != "", row.total, "—"), weight="medium", aria_live="polite"),
                spacing="1", flex="0 0 7rem",
            ),
            rx.icon_button(
                rx.icon("trash_2", size=16), variant="ghost", color_scheme="red", type="button",
                aria_label=T["line_remove"].to(str) + " " + number, on_click=state.remove_line(row.key),
                align_self="end",
            ),
            wrap="wrap", spacing="2", align="start", width="100%",
        ),
        class_name="crm-document-line",
    )


def _totals(state) -> rx.Component:
    def figure(label: Var | str, value: Var, **props) -> rx.Component:
        return rx.hstack(rx.text(label), rx.spacer(), rx.text(value, **props), width="100%")

    return rx.vstack(
        figure(T["document_subtotal"], state.subtotal_text),
        rx.cond(state.discount_text != "",
                figure(T["document_discount_amount"], "\u2212 " + state.discount_text.to(str))),
        figure(T["document_total"], state.total_text, weight="bold", size="5"),
        spacing="1", width="100%", max_width="22rem", margin_left="auto", aria_live="polite",
    )


def document_lines(state) -> rx.Component:
    """The lines, the "add a line" button, the discount and the totals of ``state``'s document."""
    return rx.vstack(
        rx.heading(T["document_lines"], size="3", as_="h2"),
        rx.el.ol(rx.foreach(state.lines, lambda row, i: _line(state, row, i)),
                 class_name="crm-document-lines"),
        field_error(state.line_errors, "lines", "document-add-line"),
        rx.button(rx.icon("plus", size=16), T["line_add"], id="document-add-line", type="button",
                  variant="soft", on_click=state.add_line),
        rx.vstack(
            rx.el.label(T["document_discount"], html_for="document-discount", class_name="crm-label"),
            rx.input(id="document-discount", value=state.discount_percent, input_mode="decimal",
                     on_change=state.set_discount_percent, debounce_timeout=300, max_width="8rem",
                     **invalid_props(state.line_errors, "discount_percent", "document-discount")),
            rx.cond(state.discount_hint != "", rx.text(state.discount_hint, size="1", color_scheme="gray")),
            field_error(state.line_errors, "discount_percent", "document-discount"),
            spacing="1",
        ),
        _totals(state),
        spacing="3", width="100%",
    )
