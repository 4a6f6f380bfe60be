"""A started campaign's report (pages/campaign.py): the preparation's progress, the counts by status,
pause / resume / cancel, and its recipients filterable by status, each failure with its error."""

from __future__ import annotations

import reflex as rx

from crm_app.components.data_list import numbered_pager
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.responsive import wide_or_narrow
from crm_app.domain.campaigns import RECIPIENT_STATUSES
from crm_app.states.campaign_report import COUNTED, CampaignReportState, RecipientRow

R = CampaignReportState
T = R.tr
RECIPIENT_COLORS = {"queued": "gray", "sent": "green", "logged_only": "amber", "failed": "red",
                    "unsubscribed": "orange", "paused": "amber", "cancelled": "gray"}


def _recipient_badge(row: RecipientRow) -> rx.Component:
    return rx.badge(row.status_label, color_scheme=rx.match(row.status, *RECIPIENT_COLORS.items(), "gray"),
                    variant="soft")


def _progress() -> rx.Component:
    return rx.cond(
        R.preparing,
        rx.card(
            rx.vstack(
                rx.text(T["campaign_preparing"], weight="medium"),
                rx.progress(value=R.percent, max=100, width="100%", aria_label=T["campaign_preparing"]),
                rx.text(R.progress_text, size="2", color_scheme="gray", aria_live="polite"),
                spacing="2", width="100%",
            ),
            width="100%",
        ),
    )


def _count(key: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(T[f"campaign_count_{key}"], size="2", color_scheme="gray"),
            rx.text(R.counts.get(key, "0"), size="6", weight="bold", data_count=key),
            spacing="1",
        ),
        role="group", aria_label=T[f"campaign_count_{key}"],
    )


def _counts() -> rx.Component:
    return rx.vstack(
        rx.grid(*[_count(key) for key in COUNTED],
                rx.cond(R.counts.get("logged_only", "0") != "0", _count("logged_only")),
                columns=rx.breakpoints(initial="2", sm="3", md="6"), spacing="3", width="100%"),
        rx.cond(R.summary != "", rx.text(R.summary, size="2", color_scheme="gray")),
        spacing="2", width="100%",
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.cond(R.can_pause, rx.button(rx.icon("pause", size=16, aria_hidden="true"), T["campaign_pause"],
                                       variant="soft", on_click=R.pause)),
        rx.cond(R.can_resume, rx.button(rx.icon("play", size=16, aria_hidden="true"), T["campaign_resume"],
                                        on_click=R.resume)),
        rx.cond(R.can_cancel, rx.button(T["campaign_cancel"], variant="soft", color_scheme="red",
                                        on_click=R.set_confirm_cancel(True))),
        spacing="3", wrap="wrap",
    )


def _customer(row: RecipientRow) -> rx.Component:
    return rx.link(row.customer_name, href="/customers/" + row.customer_id.to_string(), size="2")


def _table() -> rx.Component:
    headers = ("campaign_col_address", "campaign_col_customer", "campaign_col_recipient_status",
               "campaign_col_time", "campaign_col_error")
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[h]) for h in headers])),
        rx.table.body(rx.foreach(R.rows, lambda row: rx.table.row(
            rx.table.row_header_cell(row.address), rx.table.cell(_customer(row)),
            rx.table.cell(_recipient_badge(row)), rx.table.cell(row.when),
            rx.table.cell(rx.text(row.error, size="2", color_scheme="red")),
        ))),
        width="100%", size="1", aria_label=T["campaign_recipients"],
    )


def _cards() -> rx.Component:
    return rx.vstack(rx.foreach(R.rows, lambda row: rx.card(rx.vstack(
        rx.hstack(rx.text(row.address, weight="medium", word_break="break-all"), rx.spacer(),
                  _recipient_badge(row), width="100%", align="center"),
        _customer(row),
        rx.cond(row.when != "", rx.text(row.when, size="2", color_scheme="gray")),
        rx.cond(row.error != "", rx.text(row.error, size="2", color_scheme="red")),
        spacing="1", width="100%",
    ), width="100%")), spacing="2", width="100%")


def _recipients() -> rx.Component:
    options = [rx.el.option(T["campaign_all_statuses"], value="")] + [
        rx.el.option(T[f"campaign_recipient_{s}"], value=s) for s in RECIPIENT_STATUSES]
    return rx.vstack(
        rx.hstack(
            rx.heading(T["campaign_recipients"], size="4", as_="h2"),
            rx.spacer(),
            rx.hstack(
                rx.el.label(T["campaign_filter_status"], html_for="recipient-status", class_name="crm-label"),
                rx.el.select(*options, id="recipient-status", value=R.filter_status,
                             on_change=R.filter_recipients, class_name="crm-select"),
                spacing="2", align="center",
            ),
            width="100%", align="center", wrap="wrap",
        ),
        rx.cond(R.rows.length() == 0,
                rx.text(T["campaign_no_recipients"], size="2", color_scheme="gray"),
                wide_or_narrow(_table(), _cards())),
        rx.cond(R.has_next | (R.page_number > 1),
                numbered_pager(R.page_number, R.previous_recipients, R.next_recipients, R.has_next,
                               size="2")),
        spacing="3", width="100%",
    )


def campaign_report() -> rx.Component:
    return rx.vstack(
        _progress(),
        _counts(),
        _actions(),
        rx.card(_recipients(), width="100%"),
        confirm_dialog(R.confirm_cancel, T["campaign_confirm_cancel"], R.cancel, R.set_confirm_cancel(False)),
        spacing="4", width="100%",
    )
