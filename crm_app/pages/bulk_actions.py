"""/customers/bulk: the history of bulk actions, with Undo while it can be undone (states/bulk_history.py)."""

from __future__ import annotations

import reflex as rx

from crm_app.components.data_list import card_list, data_table, page_header
from crm_app.components.empty_state import empty_state
from crm_app.components.responsive import wide_or_narrow
from crm_app.pages.base import page
from crm_app.states.bulk_history import BulkHistoryState, HistoryRow

S = BulkHistoryState
T = S.tr
STATUS_COLORS = {"running": "blue", "undoing": "blue", "done": "green", "failed": "red", "cancelled": "amber",
                 "undone": "gray"}


def _status(row: HistoryRow) -> rx.Component:
    return rx.badge(row.status_label, color_scheme=rx.match(row.status, *STATUS_COLORS.items(), "gray"),
                    variant="soft")


def _undo(row: HistoryRow) -> rx.Component:
    return rx.cond(
        row.can_undo,
        rx.button(rx.icon("undo_2", size=14, aria_hidden="true"), T["bulkui_undo"], size="1", variant="soft",
                  on_click=S.undo(row.id),
                  aria_label=T["bulkui_undo_named"].to(str).replace("{what}", row.description)),
    )


def _outcome(row: HistoryRow) -> rx.Component:
    return rx.vstack(
        rx.text(row.outcome, size="2"),
        rx.cond(row.can_undo, rx.text(T["bulkui_undo_until"].to(str).replace("{when}", row.undo_until),
                                      size="1", color_scheme="gray")),
        _undo(row),
        spacing="1", align="start",
    )


def _table() -> rx.Component:
    headers = ("bulkui_col_what", "bulkui_col_who", "bulkui_col_when", "bulkui_col_customers",
               "bulkui_col_status", "bulkui_col_result")
    return data_table(S, headers, lambda row: [rx.text(row.description, weight="medium"), row.actor_name,
                                               row.when, row.counts, _status(row), _outcome(row)],
                      T["bulkui_history_title"])


def _card(row: HistoryRow) -> list[rx.Component]:
    return [
        rx.hstack(rx.text(row.description, weight="medium"), rx.spacer(), _status(row), width="100%",
                  align="center"),
        rx.text(row.actor_name, " · ", row.when, size="1", color_scheme="gray"),
        rx.text(row.counts, size="2"),
        _outcome(row),
    ]


@page("/customers/bulk", "bulkui_history_title", on_load=[BulkHistoryState.load])
def bulk_actions() -> rx.Component:
    return rx.vstack(
        page_header(T["bulkui_history_title"],
                    rx.button(rx.icon("refresh_cw", size=16, aria_hidden="true"), T["bulkui_refresh"],
                              variant="soft", on_click=S.load),  # a running action's status, read again
                    rx.link(rx.icon("arrow_left", size=16, aria_hidden="true"), T["bulkui_back_to_list"],
                            href="/customers")),
        rx.text(T["bulkui_history_hint"], size="2", color_scheme="gray"),
        rx.cond(
            S.rows.length() > 0,
            wide_or_narrow(_table(), card_list(S, _card)),
            rx.cond(S.loaded, empty_state("history", T["bulkui_history_empty"])),
        ),
        rx.cond(S.has_more, rx.button(T["bulkui_load_more"], variant="soft", on_click=S.more)),
        spacing="4",
        width="100%",
    )
