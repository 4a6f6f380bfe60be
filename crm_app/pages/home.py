"""Home: the CRM panel a signed-in user lands on (``/?from=&to=&by=``): a greeting, the range picker
for the whole panel, and the tiles (components/panel_tiles.py)."""

import reflex as rx

from crm_app.components import panel_tiles as tiles
from crm_app.pages.base import page
from crm_app.states.panel import PanelState
from crm_app.states.session import SessionState, ShellState

S = PanelState
T = SessionState.tr


def _date_field(name: str, label_key: str, value) -> rx.Component:
    control = f"panel-{name}"
    error = S.range_errors.get(name, "")
    return rx.vstack(
        rx.el.label(T[label_key], html_for=control, class_name="crm-label"),
        rx.input(id=control, name=name, type="date", default_value=value, key=value, required=True,
                 aria_invalid=rx.cond(error != "", "true", "false"), aria_describedby=f"{control}-error"),
        rx.text(error, id=f"{control}-error", size="1", color_scheme="red", role="alert"),
        spacing="1",
    )


def _bucket_select() -> rx.Component:
    options = [rx.el.option(T[f"panel_by_{b}"], value=b) for b in ("day", "week", "month")]
    return rx.vstack(
        rx.el.label(T["panel_by"], html_for="panel-by", class_name="crm-label"),
        rx.el.select(*options, id="panel-by", name="by", default_value=S.range_by, key=S.range_by,
                     class_name="crm-select"),
        spacing="1",
    )


def range_picker() -> rx.Component:
    """From/to days and the bucket, applied to the address (so it is shared and the back button works);
    the quick periods are plain links to their addresses."""
    return rx.el.section(
        rx.vstack(
            rx.heading(T["panel_range"], size="4", as_="h2", class_name="sr-only"),
            rx.form(
                rx.hstack(
                    _date_field("from", "panel_from", S.range_from),
                    _date_field("to", "panel_to", S.range_to),
                    _bucket_select(),
                    rx.button(T["panel_apply"], type="submit"),
                    align="end", spacing="3", wrap="wrap",
                ),
                on_submit=S.apply_range,
            ),
            rx.el.nav(
                rx.hstack(
                    rx.foreach(S.quick_ranges, lambda p: rx.link(rx.button(p[0], variant="soft", size="1"),
                                                                 href=p[1])),
                    spacing="2", wrap="wrap",
                ),
                aria_label=T["panel_presets"],
            ),
            rx.text(S.range_label, size="2", color_scheme="gray", role="status"),
            rx.cond(S.stale_note != "", rx.text(S.stale_note, size="2", color_scheme="amber")),
            spacing="3", width="100%",
        ),
        aria_label=T["panel_range"],
        width="100%",
    )


@page("/", "title_home", on_load=[PanelState.load])
def home() -> rx.Component:
    return rx.vstack(
        rx.heading(T["welcome"].to(str).replace("{name}", ShellState.user_name), size="7", as_="h1"),
        rx.text(T["home_intro"].to(str).replace("{org}", ShellState.org_name), color_scheme="gray"),
        range_picker(),
        rx.grid(
            tiles.today_tile(),
            tiles.contact_tile(),
            columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%",
        ),
        tiles.customers_tile(),
        tiles.workload_tile(),
        rx.cond(S.has_leads, tiles.pipeline_tile()),
        spacing="4",
        width="100%",
    )
