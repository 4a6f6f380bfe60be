"""/customers/merge?ids=1,2[,...] (admins): merge customers after seeing them side by side."""

import reflex as rx

from crm_app.components.dialogs import confirm_dialog
from crm_app.components.merge_preview import merge_summary, merge_table
from crm_app.pages.base import loading, page
from crm_app.states.merge import MergeState

S = MergeState
T = S.tr


def _refusal() -> rx.Component:
    return rx.callout(S.error, icon="triangle_alert", color_scheme="red", role="alert", width="100%")


def _merge_error() -> rx.Component:
    return rx.cond(
        S.merge_error != "",
        rx.callout(
            rx.vstack(
                rx.text(S.merge_error),
                rx.cond(S.stale, rx.button(T["mergeui_reload"], variant="soft", on_click=S.reload,
                                           min_height="44px")),
                spacing="2",
            ),
            icon="triangle_alert", color_scheme="red", role="alert", width="100%",
        ),
    )


def _preview() -> rx.Component:
    return rx.vstack(
        rx.text(T["mergeui_intro"], size="2"),
        merge_table(),
        merge_summary(),
        _merge_error(),
        rx.hstack(
            rx.button(rx.icon("git_merge", size=16, aria_hidden="true"), T["mergeui_merge"],
                      color_scheme="red", on_click=S.ask_merge, min_height="44px"),
            rx.link(T["cancel"], href="/customers/duplicates", size="2"),
            spacing="4", align="center", wrap="wrap",
        ),
        confirm_dialog(S.confirm_merge, S.confirm_text, S.merge, S.cancel_merge),
        spacing="4", width="100%",
    )


@page("/customers/merge", "title_merge", role="admin", on_load=[MergeState.load])
def merge() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            rx.hstack(rx.link(T["dupui_title"], href="/customers/duplicates", size="2"),
                      rx.link(T["dupui_merge_history"], href="/customers/merges", size="2"), spacing="4"),
            rx.heading(T["mergeui_title"], size="6", as_="h1"),
            rx.cond(S.error != "", _refusal(), _preview()),
            spacing="4", width="100%",
        ),
        loading(),
    )
