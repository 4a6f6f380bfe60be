"""Charts of the panel (rx.recharts) and the table view of the same numbers beside each one.

A chart fills its container's width (recharts' ResponsiveContainer) at a fixed height, so it reads on a
390 px phone; axis and legend text use the theme's high-contrast grey (4.5:1 in light and dark mode).
A chart is a picture to assistive technology (role="img" named by its title, recharts' own keyboard
layer off); the numbers are in the table under "Ver tabla" (a native <details>), with a caption and
header cells, which screen readers and keyboards open like any disclosure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import reflex as rx
from reflex.vars import Var

from crm_app.states.session import SessionState

T = SessionState.tr
TEXT = "var(--gray-11)"  # Radix's step 11: text contrast on the page's background in both modes
MAIN, OTHER = "var(--accent-9)", "var(--gray-9)"
HEIGHT = 240
BAR_ROW = 40  # px per bar of a bar chart
TICK = {"fill": TEXT, "fontSize": 12}
NO_KEYBOARD = {"accessibilityLayer": False}  # a picture; the table holds the numbers
# Recharts colours the legend's text like its series: the readable grey instead.
TABLE = {"border_collapse": "collapse", "width": "100%", "font_size": "var(--font-size-2)",
         "& th, & td": {"padding": "0.25rem 0.5rem", "text_align": "start",
                        "border_bottom": "1px solid var(--gray-a5)"},
         "& td": {"font_variant_numeric": "tabular-nums"}}
STYLE = {"& .recharts-legend-item-text": {"color": f"{TEXT} !important"}, "width": "100%"}


def picture(title: Var | str, chart: rx.Component) -> rx.Component:
    return rx.box(chart, role="img", aria_label=title, style=STYLE)


def _tooltip() -> rx.Component:
    return rx.recharts.graphing_tooltip(content_style={"color": "var(--gray-12)"})


def line_chart(title: Var | str, data: Var, x_key: str, lines: Sequence[tuple[str, Var | str, str, bool]]
               ) -> rx.Component:
    """A line per (data key, legend name, colour, dashed): a series over the buckets of the range."""
    return picture(title, rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", stroke="var(--gray-a5)"),
        *[rx.recharts.line(data_key=key, name=name, stroke=colour, stroke_width=2, dot=False,
                           stroke_dasharray="5 4" if dashed else "", is_animation_active=False)
          for key, name, colour, dashed in lines],
        rx.recharts.x_axis(data_key=x_key, tick=TICK, min_tick_gap=16),
        rx.recharts.y_axis(allow_decimals=False, tick=TICK, width=36),
        _tooltip(),
        rx.recharts.legend(),
        data=data, height=HEIGHT, custom_attrs=NO_KEYBOARD,
    ))


def bar_chart(title: Var | str, data: Var, value_key: str, name: Var | str, *, unit: str = ""
              ) -> rx.Component:
    """Horizontal bars, a label per row on the left (long labels stay readable on a phone); the chart is
    as tall as its rows need."""
    chart = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", stroke="var(--gray-a5)", horizontal=False),
        rx.recharts.bar(data_key=value_key, name=name, fill=MAIN, unit=unit, is_animation_active=False,
                        radius=[0, 4, 4, 0], max_bar_size=28),
        rx.recharts.x_axis(type_="number", allow_decimals=False, tick=TICK, unit=unit),
        rx.recharts.y_axis(type_="category", data_key="label", tick=TICK, width=110, interval=0),
        _tooltip(),
        data=data, layout="vertical", height="100%", custom_attrs=NO_KEYBOARD,
    )
    return picture(title, rx.box(chart, height=(data.length() * BAR_ROW + 40).to_string() + "px",
                                 width="100%"))


def donut(title: Var | str, data: Var, value_key: str = "count") -> rx.Component:
    """A ring of sectors coloured by each datum's ``fill``, with its legend."""
    return picture(title, rx.recharts.pie_chart(
        rx.recharts.pie(data=data, data_key=value_key, name_key="label", inner_radius="55%",
                        outer_radius="80%", is_animation_active=False, stroke="var(--color-background)"),
        _tooltip(),
        rx.recharts.legend(),
        height=HEIGHT, custom_attrs=NO_KEYBOARD,
    ))


def table_view(caption: Var | str, heads: Sequence[Var | str], rows: Var,
               cells: Callable[[Var], Sequence[rx.Component | Var]]) -> rx.Component:
    """The same numbers as a table, behind a "Ver tabla" disclosure: ``cells(row)`` gives the row's
    header cell (its label) first, then its figures."""

    def row(item: Var) -> rx.Component:
        first, *rest = cells(item)
        return rx.el.tr(rx.el.th(first, scope="row"), *[rx.el.td(cell) for cell in rest])

    return rx.el.details(
        rx.el.summary(T["panel_show_table"], class_name="crm-panel-summary",
                      style={"min_height": "44px", "display": "flex", "align_items": "center",
                             "cursor": "pointer", "color": "var(--accent-11)"}),
        rx.box(
            rx.el.table(
                rx.el.caption(caption, style={"text_align": "start", "font_weight": "500"}),
                rx.el.thead(rx.el.tr(*[rx.el.th(head, scope="col") for head in heads])),
                rx.el.tbody(rx.foreach(rows, row)),
                style=TABLE,
            ),
            overflow_x="auto", width="100%",
        ),
        width="100%",
    )
