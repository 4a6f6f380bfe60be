"""/customers/merges (admins): the merges, who did them and what moved, with Undo for 24 hours."""

import reflex as rx

from crm_app.components.data_list import card_list, data_table, name_link, page_header, pager, rows_or_empty
from crm_app.components.empty_state import empty_state
from crm_app.pages.base import loading, page
from crm_app.states.merge_history import MergeHistoryState, MergeRow

S = MergeHistoryState
T = S.tr


def _undo(row: MergeRow) -> rx.Component:
    return rx.cond(
        row.can_undo,
        rx.button(rx.icon("undo_2", size=14, aria_hidden="true"), T["mergeui_undo"], size="2", variant="soft",
                  on_click=S.undo(row.id), min_height="44px",
                  aria_label=T["mergeui_undo"].to(str) + ": " + row.survivor + ", " + row.merged),
    )


def _status(row: MergeRow) -> rx.Component:
    return rx.vstack(rx.text(row.status, size="1", color_scheme="gray"), _undo(row), spacing="1")


def _table() -> rx.Component:
    headers = ("mergeui_col_when", "mergeui_col_survivor", "mergeui_col_merged", "mergeui_col_moved",
               "mergeui_col_by", "mergeui_col_undo")
    return data_table(S, headers, lambda r: [r.when, name_link(r.survivor, r.survivor_href), r.merged,
                                             r.moved, r.actor, _status(r)], T["mergeui_history"])


def _card(row: MergeRow) -> list[rx.Component]:
    return [
        rx.hstack(name_link(row.survivor, row.survivor_href), rx.spacer(),
                  rx.text(row.when, size="1", color_scheme="gray"), width="100%", wrap="wrap"),
        rx.text(T["mergeui_col_merged"], ": ", row.merged, size="2"),
        rx.cond(row.moved != "", rx.text(row.moved, size="2")),
        rx.text(T["mergeui_col_by"], ": ", row.actor, size="2", color_scheme="gray"),
        _status(row),
    ]


@page("/customers/merges", "title_merges", role="admin", on_load=[MergeHistoryState.load])
def merge_history() -> rx.Component:
    empty = empty_state("git_merge", T["mergeui_history_empty"], T["mergeui_history_empty_hint"])
    return rx.cond(
        S.loaded,
        rx.vstack(
            rx.hstack(rx.link(T["back_to_customers"], href="/customers", size="2"),
                      rx.link(T["dupui_title"], href="/customers/duplicates", size="2"), spacing="4"),
            page_header(T["mergeui_history"]),
            rx.text(T["mergeui_history_hint"], size="2"),
            rx.cond(S.undo_error != "", rx.callout(S.undo_error, icon="triangle_alert", color_scheme="red",
                                                   role="alert", width="100%")),
            rows_or_empty(S, _table(), card_list(S, _card), filtered=S.cursor != "",
                          no_match=T["mergeui_history_no_more"], empty=empty),
            pager(S),
            spacing="4", width="100%",
        ),
        loading(),
    )
