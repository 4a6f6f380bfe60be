"""``mounted``: false while React hydrates the prerendered page, true from the next render on.

The prerendered HTML and React's first render must match (hydration), so anything that should not be
in the static page waits for ``mounted``. Its effect runs in the same flush as the one that opens the
websocket's session (Reflex's ``connect``), so what it shows is rendered while the hydrate request is
on its way to the server and back, not after it.
"""

from __future__ import annotations

from reflex.vars.base import Var, VarData

_HOOK = "const [crmMounted, setCrmMounted] = useState(false); useEffect(() => setCrmMounted(true), []);"

mounted: Var[bool] = Var(
    _js_expr="crmMounted",
    _var_type=bool,
    _var_data=VarData(imports={"react": ["useState", "useEffect"]}, hooks={_HOOK: None}),
)
