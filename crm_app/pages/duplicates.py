"""/customers/duplicates (admins): scan the base for duplicates and review the candidate groups."""

import reflex as rx

from crm_app.components.data_list import labelled_select, page_header, pager
from crm_app.components.duplicate_group import group_card
from crm_app.components.empty_state import empty_state
from crm_app.components.job_progress import job_progress
from crm_app.domain.duplicates import REASONS
from crm_app.pages.base import loading, page
from crm_app.states.duplicates import DuplicatesState

S = DuplicatesState
T = S.tr


def _scan_buttons() -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("scan_search", size=16, aria_hidden="true"), T["dupui_scan_full"],
                  on_click=S.start_scan("full"), disabled=S.scanning, min_height="44px"),
        rx.button(T["dupui_scan_changed"], variant="soft", on_click=S.start_scan("changed"),
                  disabled=S.scanning | (S.last_scan == ""), min_height="44px"),
        spacing="3", wrap="wrap",
    )


def _last_scan() -> rx.Component:
    return rx.cond(
        S.last_scan != "",
        rx.text(T["dupui_last_scan"], ": ", S.last_scan, " · ", T["dupui_mode_" + S.last_mode.to(str)],
                " · ", S.last_found, size="2", color_scheme="gray"),
        rx.text(T["dupui_never_scanned"], size="2", color_scheme="gray"),
    )


def _progress() -> rx.Component:
    return rx.cond(
        S.scanning,
        job_progress(T["dupui_scanning"], S.percent, S.progress_text, label=T["dupui_scan_progress"],
                     on_cancel=S.cancel_scan),
    )


def _filter() -> rx.Component:
    options = [rx.el.option(T["dupui_reason_all"], value="")]
    options += [rx.el.option(T[f"dupui_reason_{r}"], value=r) for r in REASONS]
    return labelled_select(T["dupui_filter_reason"], "dup-reason", options, S.reason, S.set_reason,
                           min_width="14em")


def _empty() -> rx.Component:
    return rx.cond(
        S.reason != "",
        empty_state("search_x", T["dupui_none_for_reason"]),
        empty_state("users", T["dupui_none"], rx.cond(S.last_scan != "", T["dupui_none_hint_scanned"],
                                                     T["dupui_none_hint"])),
    )


def _groups() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(T["dupui_groups"], size="4", as_="h2"),
            rx.text(T["dupui_total"], ": ", S.total, size="2", color_scheme="gray"),
            rx.spacer(),
            _filter(),
            width="100%", align="end", wrap="wrap", spacing="3",
        ),
        rx.cond(S.groups.length() > 0,
                rx.vstack(rx.foreach(S.groups, group_card), spacing="3", width="100%"),
                _empty()),
        pager(S),
        spacing="3", width="100%",
    )


@page("/customers/duplicates", "title_duplicates", role="admin", on_load=[DuplicatesState.load])
def duplicates() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            rx.hstack(rx.link(T["back_to_customers"], href="/customers", size="2"),
                      rx.link(T["dupui_merge_history"], href="/customers/merges", size="2"), spacing="4"),
            page_header(T["dupui_title"]),
            rx.text(T["dupui_intro"], size="2"),
            _scan_buttons(),
            _last_scan(),
            _progress(),
            _groups(),
            spacing="4", width="100%",
        ),
        loading(),
    )
