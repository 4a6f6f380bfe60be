"""/leads: the possible customers, newest first, filtered by status, source, owner and creation dates
and searched by name, e-mail or phone; a table on wide screens, cards on phones."""

import reflex as rx
from reflex.vars import Var

from crm_app.components.controls import link_button
from crm_app.components.data_list import (
    card_list,
    data_table,
    name_link,
    page_header,
    pager,
    rows_or_empty,
    search_box,
)
from crm_app.components.document_filters import any_filter, filter_bar, filter_select, option_list
from crm_app.components.empty_state import empty_state
from crm_app.domain.documents import LEAD_STATUSES
from crm_app.pages.base import page
from crm_app.states.leads import LeadListRow, LeadsState

S = LeadsState
T = S.tr
STATUS_COLORS = {"new": "gray", "contacted": "blue", "qualified": "amber", "won": "green", "lost": "red"}


def lead_status_badge(status: Var, label: Var) -> rx.Component:
    """A lead's status as every page shows it."""
    return rx.badge(label, color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"), variant="soft")


def _name_link(row: LeadListRow) -> rx.Component:
    return name_link(row.name, "/leads/" + row.id.to_string())


def _contact(row: LeadListRow) -> rx.Component:
    return rx.vstack(
        rx.cond(row.phone != "", rx.text(row.phone, size="2")),
        rx.cond(row.email != "", rx.text(row.email, size="2", color_scheme="gray")),
        spacing="0", min_width="0",
    )


def _table() -> rx.Component:
    headers = ("col_lead_name", "col_lead_status", "col_lead_contact", "col_lead_source", "col_lead_owner",
               "col_lead_next_step", "col_lead_created")
    return data_table(
        S, headers,
        lambda r: [_name_link(r), lead_status_badge(r.status, r.status_label), _contact(r), r.source, r.owner,
                   r.next_step, r.created],
        T["leads_title"],
    )


def _card(row: LeadListRow) -> list[rx.Component]:
    return [
        rx.hstack(_name_link(row), rx.spacer(), lead_status_badge(row.status, row.status_label),
                  width="100%"),
        _contact(row),
        rx.hstack(
            rx.cond(row.source != "", rx.text(row.source, size="2")),
            rx.spacer(),
            rx.cond(row.next_step != "", rx.text(T["col_lead_next_step"], ": ", row.next_step, size="2")),
            width="100%", wrap="wrap",
        ),
    ]


def _filters() -> rx.Component:
    statuses = [rx.el.option(T[f"lead_status_{s}"], value=s) for s in LEAD_STATUSES]
    return filter_bar(
        S,
        filter_select(S, T["leads_filter_status"], "status", T["all_statuses"], statuses),
        filter_select(S, T["leads_filter_source"], "type", T["leads_all_sources"],
                      option_list(S.source_options)),
        filter_select(S, T["leads_filter_owner"], "owner", T["leads_all_owners"],
                      option_list(S.owner_options)),
    )


def _new_lead(variant: str = "solid") -> rx.Component:
    return link_button("plus", T["new_lead"], "/leads/new", variant=variant)


@page("/leads", "title_leads", on_load=[LeadsState.load])
def leads() -> rx.Component:
    empty = empty_state("user_plus", T["leads_empty"], T["leads_empty_hint"], _new_lead())
    return rx.vstack(
        page_header(T["leads_title"], _new_lead()),
        search_box("search_leads", S.search, S.set_search),
        _filters(),
        rows_or_empty(S, _table(), card_list(S, _card), filtered=(S.search != "") | any_filter(S),
                      no_match=T["no_leads"], empty=empty),
        pager(S),
        spacing="4",
        width="100%",
    )
