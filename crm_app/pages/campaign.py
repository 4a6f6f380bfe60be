"""/campaigns/new and /campaigns/[campaign_id] (admins): a draft's form (components/campaign_form.py); once
started, the same address shows its report (components/campaign_report.py)."""

import reflex as rx

from crm_app.components.campaign_form import campaign_form
from crm_app.components.campaign_report import campaign_report
from crm_app.components.campaign_status import campaign_status_badge
from crm_app.components.controls import link_button
from crm_app.components.empty_state import empty_state
from crm_app.pages.base import loading, page
from crm_app.states.campaign import CampaignState
from crm_app.states.campaign_report import CampaignReportState

S = CampaignState
R = CampaignReportState
T = S.tr
DRAFT = S.status == "draft"
LOADS = [CampaignState.load, CampaignReportState.load]


def _heading() -> rx.Component:
    return rx.vstack(
        rx.link(T["campaign_back"], href="/campaigns", size="2"),
        rx.hstack(
            rx.heading(rx.cond(S.campaign_id == 0, T["campaign_new"], S.title), size="6", as_="h1"),
            # A started campaign's status moves while the report watches it.
            rx.cond(S.campaign_id != 0, rx.cond(DRAFT, campaign_status_badge(S.status, S.status_label),
                                                campaign_status_badge(R.status, R.status_label))),
            spacing="3", align="center", wrap="wrap",
        ),
        rx.cond(S.subtitle != "", rx.text(S.subtitle, size="2", color_scheme="gray")),
        spacing="2", width="100%",
    )


def _campaign_page() -> rx.Component:
    not_found = empty_state("search_x", T["campaign_not_found"], T["campaign_not_found_hint"],
                            link_button("arrow_left", T["campaign_back"], "/campaigns"))
    content = rx.vstack(
        _heading(),
        rx.cond(DRAFT, campaign_form(), campaign_report()),
        spacing="4", width="100%", max_width="64em",
    )
    return rx.cond(S.loaded, rx.cond(S.found, content, not_found), loading())


@page("/campaigns/new", "title_new_campaign", role="admin", on_load=LOADS)
def new_campaign() -> rx.Component:
    return _campaign_page()


@page("/campaigns/[campaign_id]", "title_campaign", role="admin", on_load=LOADS)
def campaign() -> rx.Component:
    return _campaign_page()
