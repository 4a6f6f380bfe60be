"""The survivor's profile banner after a merge (admins): who was merged here and when, a link to the
history, "Deshacer fusión" with a confirmation; the refusal or the outcome right beside it."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import confirm_dialog
from crm_app.states.profile_merge import ProfileMergeState, RestoredLink

S = ProfileMergeState
T = S.tr


def _restored(link: RestoredLink) -> rx.Component:
    return rx.link(link.name, href=link.href, size="2")


def _banner() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("git_merge", aria_hidden="true")),
        rx.flex(
            rx.callout.text(S.banner),
            rx.link(T["pmerge_history"], href="/customers/merges", size="2"),
            rx.button(rx.icon("undo_2", size=16, aria_hidden="true"), T["pmerge_undo"], variant="soft",
                      on_click=S.ask_undo, min_height="44px"),
            spacing="3", align="center", wrap="wrap",
        ),
        color_scheme="blue", width="100%", role="region", aria_label=T["pmerge_region"],
    )


def profile_merge_banner() -> rx.Component:
    """Nothing for a sales user or a customer no undoable merge went into."""
    return rx.fragment(
        rx.cond(S.banner != "", _banner()),
        rx.cond(S.undo_error != "",
                rx.callout(S.undo_error, icon="triangle_alert", color_scheme="red", role="alert",
                           width="100%")),
        rx.cond(
            S.done_text != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("circle_check", aria_hidden="true")),
                rx.flex(rx.callout.text(S.done_text), rx.foreach(S.restored, _restored),
                        spacing="3", align="center", wrap="wrap"),
                color_scheme="green", width="100%", role="status",
            ),
        ),
        confirm_dialog(S.confirm_undo, S.confirm_text, S.undo, S.cancel_undo),
    )
