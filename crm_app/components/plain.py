"""Radix Themes' look without its components, for what a list repeats on every row.

A Radix Themes component (Table.Cell, Link, Badge, IconButton, Tooltip) runs its prop extraction, a
Slot and an emotion style of Reflex's on every render. A row of the customer list held about twenty of
them: rendering a page of 50 rows took 700 ms on a phone's CPU (``bench/list_page.py --network
fast3g``, a 4x slower CPU), most of the time from navigation to the first rows on a repeat visit.

These render the same elements with Radix Themes' own class names, so they look the same (its style
sheet is on every page) and cost one element each. Only class names: a ``style`` prop would bring the
emotion wrapper back. Their own rules are in ``assets/styles.css`` (``.crm-inline``, ``.crm-icon-button``).
"""

from __future__ import annotations

import reflex as rx
from reflex.components.react_router.dom import ReactRouterLink
from reflex.vars import Var

LINK = "rt-Text rt-reset rt-Link rt-underline-auto crm-link"
ICON_BUTTON = "rt-reset rt-BaseButton rt-r-size-1 rt-variant-ghost rt-IconButton crm-icon-button"
# The icon inside a size-1 icon button, as Radix Themes sizes it.
ICON_BUTTON_ICON = 12


def row(*cells: rx.Component) -> rx.Component:
    """A table row: the first cell heads it (screen readers say it with each cell)."""
    first, *rest = cells
    return rx.el.tr(rx.el.th(first, class_name="rt-TableCell rt-TableRowHeaderCell", scope="row"),
                    *[rx.el.td(cell, class_name="rt-TableCell") for cell in rest],
                    class_name="rt-TableRow")


def inline(*children: rx.Component, gap: str = "1", align: str = "center", wrap: bool = False,
           spread: bool = False) -> rx.Component:
    """Side by side, on one line unless ``wrap`` (an ``rx.hstack`` without its component); ``spread``
    puts the free space between them (the first at the start, the last at the end)."""
    extra = (" crm-wrap" if wrap else "") + (" crm-spread" if spread else "")
    return rx.el.div(*children, class_name=f"crm-inline crm-gap-{gap} crm-align-{align}{extra}")


def stacked(*children: rx.Component) -> rx.Component:
    """One under the other, without a gap (an ``rx.vstack(spacing="0")``)."""
    return rx.el.div(*children, class_name="crm-stacked")


def page_link(text, href: Var, *, medium: bool = False, **props) -> rx.Component:
    """A link to a page of the app, followed without reloading it (React Router's own link)."""
    weight = " rt-r-weight-medium" if medium else ""
    return ReactRouterLink.create(text, to=href, class_name=LINK + weight, **props)


def outside_link(*children, href: Var, new_tab: bool = False, class_name: str = "", **props) -> rx.Component:
    """A link that leaves the app: a phone's app (``tel:``, ``sms:``…) or another site."""
    if new_tab:
        props.update(target="_blank", rel="noopener noreferrer")
    return rx.el.a(*children, href=href, class_name=f"{LINK} {class_name}".strip(), **props)


def text(value: Var, *, muted: bool = False, small: bool = False) -> rx.Component:
    size = " rt-r-size-1" if small else ""
    return rx.el.p(value, class_name=f"rt-Text{size}", **({"data_accent_color": "gray"} if muted else {}))


def badge(value: Var) -> rx.Component:
    """A small soft badge (``rx.badge(variant="soft", size="1")``)."""
    return rx.el.span(value, class_name="rt-reset rt-Badge rt-r-size-1 rt-variant-soft")


def icon_button(icon: str, label: Var, on_click, *, color: str = "") -> rx.Component:
    """A ghost icon button named for what it does (``rx.icon_button(variant="ghost", size="1")``)."""
    return rx.el.button(
        rx.icon(icon, size=ICON_BUTTON_ICON, aria_hidden="true"),
        type="button", on_click=on_click, aria_label=label, class_name=ICON_BUTTON,
        **({"data_accent_color": color} if color else {}),
    )


def icon_page_link(icon: str, label: Var, href: Var) -> rx.Component:
    """A link to a page that looks like an icon button (a link, not a button inside a link)."""
    return ReactRouterLink.create(rx.icon(icon, size=ICON_BUTTON_ICON, aria_hidden="true"), to=href,
                                  aria_label=label, class_name=ICON_BUTTON)


def flag_icon(icon: str, label: Var, color: str, size: int) -> rx.Component:
    """An icon that says something about the row: an image with a name, and the name on hover (the
    browser's own tooltip, not a Radix Tooltip for each row)."""
    return rx.el.span(rx.icon(icon, size=size, role="img", aria_label=label),
                      title=label, class_name=f"crm-flag crm-flag-{color}")
