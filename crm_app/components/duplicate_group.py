"""One candidate group of /customers/duplicates: its score and reasons, the customers side by side, a link
to review and merge them, and "No son duplicados" for each pair."""

from __future__ import annotations

import reflex as rx

from crm_app.components.controls import link_button
from crm_app.states.duplicates import DuplicatesState, GroupRow, MemberRow, PairRow

S = DuplicatesState
T = S.tr


def _detail(label_key: str, value) -> rx.Component:
    return rx.cond(
        value != "",
        rx.text(rx.text(T[label_key], ": ", as_="span", color_scheme="gray"), value, size="2",
                overflow_wrap="anywhere"),
    )


def member_card(member: MemberRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.link(member.name, href=member.href, weight="medium"),
            _detail("dupui_phone", member.phone),
            _detail("dupui_email", member.email),
            _detail("dupui_tax_id", member.tax_id),
            _detail("dupui_created", member.created),
            spacing="1", width="100%",
        ),
        width="100%", min_width="0",
    )


def pair_line(pair: PairRow) -> rx.Component:
    return rx.hstack(
        rx.text(pair.names, " · ", pair.score, " · ", pair.reasons, size="2", overflow_wrap="anywhere"),
        rx.spacer(),
        rx.button(rx.icon("x", size=14, aria_hidden="true"), T["dupui_not_duplicates"], size="2",
                  variant="soft", color_scheme="gray", min_height="44px",
                  aria_label=T["dupui_not_duplicates"].to(str) + ": " + pair.names,
                  on_click=S.dismiss(pair.a_id, pair.b_id)),
        width="100%", align="center", wrap="wrap", spacing="2",
    )


def group_card(group: GroupRow) -> rx.Component:
    title = T["dupui_score"].to(str) + " " + group.score.to_string()
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(title, size="3", as_="h3"),
                rx.text(group.reasons, size="2", color_scheme="gray"),
                rx.spacer(),
                link_button("git_merge", T["dupui_review_merge"], group.merge_href, min_height="44px"),
                width="100%", align="center", wrap="wrap", spacing="3",
            ),
            rx.grid(rx.foreach(group.members, member_card),
                    columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="3", width="100%"),
            rx.vstack(rx.foreach(group.pairs, pair_line), spacing="1", width="100%"),
            spacing="3", width="100%",
        ),
        width="100%", role="group", aria_label=title,
    )
