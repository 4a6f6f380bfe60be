"""When parts of a page render: ``mounted`` and ``AfterPaint``.

``mounted`` is false while React hydrates the prerendered page, true from the next render on.

The prerendered HTML and React's first render must match (hydration), so anything that should not be
in the static page waits for ``mounted``. Its effect runs in the same flush as the one that opens the
websocket's session (Reflex's ``connect``), so what it shows is rendered while the hydrate request is
on its way to the server and back, not after it.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var, VarData

_HOOK = "const [crmMounted, setCrmMounted] = useState(false); useEffect(() => setCrmMounted(true), []);"

mounted: Var[bool] = Var(
    _js_expr="crmMounted",
    _var_type=bool,
    _var_data=VarData(imports={"react": ["useState", "useEffect"]}, hooks={_HOOK: None}),
)


_AFTER_PAINT_JS = rx.asset("after_paint.jsx", shared=True)


class AfterPaint(rx.Component):
    """Renders its children once what precedes them is on screen: the profile's header is painted
    150 ms sooner on a phone's CPU (bench/list_page.py --network fast3g), its cards and feed follow."""

    library = _AFTER_PAINT_JS.importable_path
    tag = "AfterPaint"

    # False: rendered with what precedes it (a list's rows on the first screen), not after the paint.
    wait: Var[bool]
