"""The panel's tiles (pages/home.py lays them out): each a card with its h2, its export link, its
figures, and for each chart the table of the same numbers. Every count that stands for a list links to
it; a count with no list (customers without a channel) is plain text."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components import charts
from crm_app.states.panel import Cell, Item, PanelState, WorkRow

S = PanelState
T = S.tr
TARGET = {"min_height": "44px", "min_width": "44px", "display": "inline-flex", "align_items": "center"}


def export_link(tile: str, title: Var) -> rx.Component:
    """The tile's CSV for the range shown (api/panel_export.py): loaded as a document, not a page."""
    return rx.el.a(
        rx.icon("download", size=16, aria_hidden="true"), T["panel_export"],
        href=f"/api/panel/export/{tile}.csv?" + S.export_query, download=True, reload_document=True,
        aria_label=T["panel_export_of"].to(str).replace("{tile}", title.to(str)),
        style={**TARGET, "gap": "0.35rem", "color": "var(--accent-11)", "font_size": "var(--font-size-2)"},
    )


def tile(name: str, title: Var, loaded: Var, *body: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.heading(title, size="4", as_="h2"), rx.spacer(), export_link(name, title),
                      width="100%", align="center", wrap="wrap"),
            rx.cond(loaded, rx.vstack(*body, spacing="3", width="100%"),
                    rx.hstack(rx.spinner(size="2"), rx.text(T["panel_loading"], size="2"), role="status")),
            spacing="3", width="100%",
        ),
        width="100%", min_width="0",
    )


def count_link(count: Var, href: Var) -> rx.Component:
    href = href.to(str)
    return rx.cond(href != "", rx.link(count, href=href, style=TARGET), rx.text(count, as_="span"))


def subheading(key: str) -> rx.Component:
    return rx.heading(T[key], size="3", as_="h3")


def _table(data: Var, caption_key: str, *columns: str) -> rx.Component:
    return charts.table_view(T[caption_key], [T[c] for c in ("panel_label", *columns)], data,
                             lambda row: [count_link(row["label"], row["href"]),
                                          *[row[key] for key in ("count",)]])


# -- today --------------------------------------------------------------------------------------------
def _item(item: Item) -> rx.Component:
    return rx.el.li(
        rx.link(item.title, href=item.href, weight="medium",
                color_scheme=rx.cond(item.overdue, "red", "accent")),
        rx.text(item.detail, size="1", color_scheme="gray"),
        style={"display": "flex", "flex_direction": "column"},
    )


def _birthday(item: Item) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.vstack(rx.link(item.title, href=item.href, weight="medium"),
                      rx.text(item.detail, size="1", color_scheme="gray"), spacing="0"),
            rx.spacer(),
            # The profile's "Mensajes" card sends through a template; consent is checked by the send service.
            rx.link(rx.button(rx.icon("gift", size=14, aria_hidden="true"), T["panel_greet"], size="1",
                              variant="soft"),
                    href="/customers/" + item.customer_id.to_string() + "?tab=messages",
                    aria_label=T["panel_greet_label"].to(str).replace("{name}", item.title)),
            width="100%", align="center",
        ),
    )


def _list(key: str, rows: Var, render=_item) -> rx.Component:
    return rx.cond(rows.length() > 0,
                   rx.vstack(subheading(key), rx.el.ul(rx.foreach(rows, render), class_name="crm-panel-list",
                                                       style={"list_style": "none", "padding": 0, "margin": 0,
                                                              "display": "grid", "gap": "0.5rem"}),
                             spacing="1", width="100%"))


def today_tile() -> rx.Component:
    nothing = (S.overdue.length() + S.due_today.length() + S.birthdays.length() + S.orders_due.length()
               + S.comments.length()) == 0
    return tile(
        "today", T["panel_today"], S.today_loaded,
        rx.cond(nothing, rx.text(T["panel_nothing"], color_scheme="gray")),
        _list("panel_overdue", S.overdue),
        _list("panel_due_today", S.due_today),
        _list("panel_birthdays", S.birthdays, _birthday),
        rx.cond(S.has_orders, _list("panel_orders_due", S.orders_due)),
        _list("panel_comments", S.comments),
    )


# -- customers ----------------------------------------------------------------------------------------
def _split(key: str, data: Var, donut: bool = False) -> rx.Component:
    chart = charts.donut(T[key], data) if donut else charts.bar_chart(
        T[key], data, "count", T["panel_count"])
    return rx.cond(data.length() > 0, rx.vstack(subheading(key), chart, _table(data, key, "panel_count"),
                                                spacing="2", width="100%", min_width="0"))


def customers_tile() -> rx.Component:
    return tile(
        "customers", T["panel_customers"], S.customers_loaded,
        rx.hstack(
            rx.link(rx.text(S.customers_total, size="8", weight="bold"), href=S.customers_href, style=TARGET,
                    aria_label=T["panel_see_list"].to(str) + ": " + S.customers_total.to_string() + " "
                    + T["panel_customers"].to(str)),
            rx.vstack(rx.text(S.customers_change, weight="medium"),
                      rx.text(S.customers_previous, size="2", color_scheme="gray"), spacing="0"),
            align="center", spacing="4", wrap="wrap",
        ),
        charts.line_chart(T["panel_series_chart"], S.series, "label",
                          [("count", T["panel_this_period"], charts.MAIN, False),
                           ("previous", T["panel_previous_period"], charts.OTHER, True)]),
        charts.table_view(T["panel_series_chart"],
                          [T["panel_bucket"], T["panel_this_period"], T["panel_previous_period"]], S.series,
                          lambda row: [row["label"], row["count"], row["previous"]]),
        rx.grid(_split("panel_by_type", S.by_type, donut=True), _split("panel_by_channel", S.by_channel),
                _split("panel_by_source", S.by_source), _split("panel_by_tag", S.by_tag),
                columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
    )


# -- contactability -----------------------------------------------------------------------------------
def contact_tile() -> rx.Component:
    return tile(
        "contact", T["panel_contact"], S.contact_loaded,
        rx.text(S.contact_total, size="2", color_scheme="gray"),
        charts.bar_chart(T["panel_contact_chart"], S.contact, "pct", T["panel_share"], unit="%"),
        charts.table_view(T["panel_contact_chart"], [T["panel_label"], T["panel_count"], T["panel_share"]],
                          S.contact, lambda row: [row["label"], row["count"], row["share"]]),
        rx.cond(S.unreachable_href != "",
                rx.link(T["panel_unreachable"].to(str).replace("{count}", S.unreachable.to_string()),
                        href=S.unreachable_href, weight="medium")),
    )


# -- workload -----------------------------------------------------------------------------------------
def _cell(cell: Cell) -> rx.Component:
    return rx.el.td(count_link(cell.count, cell.href))


def _work_row(row: WorkRow) -> rx.Component:
    return rx.el.tr(rx.el.th(row.name, scope="row", style={"font_weight": rx.cond(row.total, "700", "500")}),
                    rx.foreach(row.cells, _cell))


def workload_tile() -> rx.Component:
    return tile(
        "workload", T["panel_workload"], S.workload_loaded,
        rx.box(
            rx.el.table(
                rx.el.caption(T["panel_workload"], class_name="sr-only"),
                rx.el.thead(rx.el.tr(rx.el.th(T["panel_user"], scope="col"),
                                     rx.foreach(S.workload_heads, lambda h: rx.el.th(h, scope="col")))),
                rx.el.tbody(rx.foreach(S.workload_rows, _work_row)),
                style=charts.TABLE,
            ),
            overflow_x="auto", width="100%", tab_index=0, role="region", aria_label=T["panel_workload"],
        ),
        rx.cond(S.workload_more != "", rx.text(S.workload_more, size="2", color_scheme="gray")),
    )


# -- pipeline -----------------------------------------------------------------------------------------
def pipeline_tile() -> rx.Component:
    return tile(
        "pipeline", T["panel_pipeline"], S.pipeline_loaded,
        rx.text(S.pipeline_summary, weight="medium"),
        charts.bar_chart(T["panel_pipeline_chart"], S.stages, "count", T["panel_count"]),
        charts.table_view(T["panel_pipeline_chart"],
                          [T["panel_stage"], T["panel_count"], T["panel_reached"], T["panel_rate"]], S.stages,
                          lambda row: [count_link(row["label"], row["href"]), row["count"], row["reached"],
                                       row["rate"]]),
    )
