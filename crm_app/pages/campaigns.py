"""/campaigns (admins): the e-mail campaigns, newest first; a table on wide screens, cards on phones."""

import reflex as rx

from crm_app.components.campaign_status import campaign_status_badge
from crm_app.components.controls import link_button
from crm_app.components.data_list import card_list, data_table, name_link, page_header, pager, rows_or_empty
from crm_app.components.empty_state import empty_state
from crm_app.pages.base import page
from crm_app.states import campaign_segments  # noqa: F401 the customer list's segment actions' state, registered with the campaigns' pages
from crm_app.states.campaigns import CampaignListRow, CampaignsState

S = CampaignsState
T = S.tr


def _name_link(row: CampaignListRow) -> rx.Component:
    return name_link(row.name, "/campaigns/" + row.id.to_string())


def _table() -> rx.Component:
    headers = ("campaign_col_name", "campaign_col_status", "campaign_col_segment", "campaign_col_when",
               "campaign_col_sent")
    return data_table(
        S, headers,
        lambda r: [_name_link(r), campaign_status_badge(r.status, r.status_label), r.segment, r.when,
                   r.progress],
        T["campaigns_title"],
    )


def _card(row: CampaignListRow) -> list[rx.Component]:
    return [
        rx.hstack(_name_link(row), rx.spacer(), campaign_status_badge(row.status, row.status_label),
                  width="100%", align="center"),
        rx.text(row.segment, size="2"),
        rx.hstack(
            rx.cond(row.when != "", rx.text(row.when, size="2", color_scheme="gray")),
            rx.spacer(),
            rx.cond(row.progress != "",
                    rx.text(T["campaign_col_sent"], ": ", row.progress, size="2")),
            width="100%", wrap="wrap",
        ),
    ]


def _new_campaign() -> rx.Component:
    return link_button("plus", T["campaign_new"], "/campaigns/new", variant="solid")


@page("/campaigns", "title_campaigns", role="admin", on_load=[CampaignsState.load])
def campaigns() -> rx.Component:
    empty = empty_state("megaphone", T["campaigns_empty"], T["campaigns_empty_hint"], _new_campaign())
    return rx.vstack(
        page_header(T["campaigns_title"], _new_campaign()),
        rows_or_empty(S, _table(), card_list(S, _card), filtered=S.cursor != "",
                      no_match=T["campaigns_no_more"], empty=empty),
        pager(S),
        spacing="4",
        width="100%",
    )
