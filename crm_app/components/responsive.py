"""One of two layouts chosen by the screen's width in the browser.

Radix's responsive ``display=[...]`` hides a layout with CSS, but React still builds it: a list with a
table for wide screens and cards for phones rendered both, twice the elements to create before the
first rows appear. ``wide_or_narrow`` renders only the one that shows, and switches when the window
crosses the breakpoint (``matchMedia`` through React's ``useSyncExternalStore``).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var, VarData

# Radix's "md" breakpoint: display=["none", "none", "table"] showed the table from there on.
WIDE_QUERY = "(min-width: 48em)"

_HOOK = (
    "const crmWideScreen = useSyncExternalStore("
    "(notify) => { const query = window.matchMedia(" + repr(WIDE_QUERY).replace("'", '"') + "); "
    'query.addEventListener("change", notify); return () => query.removeEventListener("change", notify); }, '
    "() => window.matchMedia(" + repr(WIDE_QUERY).replace("'", '"') + ").matches, "
    "() => true);"  # prerendering has no window: wide, as the CSS layout's default
)

wide_screen: Var[bool] = Var(
    _js_expr="crmWideScreen",
    _var_type=bool,
    _var_data=VarData(imports={"react": "useSyncExternalStore"}, hooks={_HOOK: None}),
)


def wide_or_narrow(wide: rx.Component, narrow: rx.Component) -> rx.Component:
    """``wide`` from the md breakpoint on, else ``narrow``; only the one shown is rendered."""
    return rx.cond(wide_screen, wide, narrow)
