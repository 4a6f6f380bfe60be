"""Reflex's "connection lost" notice and icon, in the reader's language.

Reflex shows an English toast ("Cannot connect to server: websocket error. Check if server is reachable
at ws://…") when the websocket drops, the notice a phone on a mobile network sees most. This one shows the
same toast at the same moments (two failed attempts in a row; gone once connected again) with our text.
The language is read in the browser from the crm_lang cookie, since the server, where the state's
language lives, is what cannot be reached; without the cookie, the app's default language. The texts of
every catalogue language are put into the page when it is compiled.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex_base.constants import Hooks
from reflex_base.vars import VarData
from reflex_base.vars.base import Var
from reflex_base.vars.function import FunctionStringVar
from reflex_base.vars.sequence import LiteralArrayVar
from reflex_components_core.base.fragment import Fragment
from reflex_components_core.core.banner import (
    WifiOffPulse,
    connect_errors,
    connection_error,
    has_connection_errors,
    has_hydration_payload_error,
    has_too_many_connection_errors,
)
from reflex_components_sonner.toast import toast_ref

from crm_app.i18n import LANGUAGES, t
from crm_app.settings import get_settings

TOAST_ID = "websocket-error"  # Reflex's own id: the same toast, never two


def connection_texts() -> dict[str, dict[str, str]]:
    return {lang: {"title": t("pwa_connection_lost", lang), "hint": t("pwa_connection_hint", lang)}
            for lang in LANGUAGES}


def _pick_text() -> str:
    """A JS expression: the texts of the crm_lang cookie's language, else of the default language."""
    texts = json.dumps(connection_texts(), ensure_ascii=False)
    default = json.dumps(get_settings().default_language)
    return (f"((texts) => {{ const m = document.cookie.match(/(?:^|;\\s*)crm_lang=([^;]*)/); "
            f"const lang = m ? decodeURIComponent(m[1]).slice(0, 2) : {default}; "
            f"return texts[lang] || texts[{default}] || Object.values(texts)[0]; }})({texts})")


class LocalizedConnectionToaster(Fragment):
    """Reflex's ConnectionToaster with our texts (a sibling, not a subclass: Reflex would add the hooks of
    both classes; its cold-start variant is not used here)."""

    def add_hooks(self) -> list[str | Var]:
        effect = f"""
() => {{
    if ({has_hydration_payload_error!s}) {{
        toast?.error({connection_error!s},
            {{id: "hydration-payload-error", closeButton: true, duration: Infinity}});
    }} else if ({has_too_many_connection_errors!s}) {{
        if (!userDismissed) {{
            const text = {_pick_text()};
            toast?.error(text.title, {{id: "{TOAST_ID}", description: text.hint, closeButton: true,
                duration: 120000, onDismiss: () => setUserDismissed(true)}});
        }}
    }} else {{
        toast?.dismiss("{TOAST_ID}");
        setUserDismissed(false);
    }}
}}
"""
        use_effect = FunctionStringVar(
            "useEffect", _var_data=VarData(imports={"react": ("useEffect", "useState")}))
        return [
            Hooks.CONNECT_ERRORS,
            Var(f"const toast = {toast_ref};"),
            "const [userDismissed, setUserDismissed] = useState(false);",
            use_effect.call(Var(_js_expr=effect), LiteralArrayVar.create([connect_errors])),
        ]


def _pulser() -> rx.Component:
    """Reflex's pulsing "wifi off" icon in a corner while disconnected, named in the reader's language
    (Reflex's says "Connection Error: …" in English on hover, and nothing to a screen reader)."""
    title = Var(_js_expr=f"({_pick_text()}).title", _var_type=str)
    # Rendered only while disconnected, in the browser: the prerendered page never reads the cookie.
    return rx.cond(has_connection_errors,
                   rx.el.span(WifiOffPulse.create(role="img", aria_label=title), title=title))


@rx.memo
def connection_notice() -> rx.Component:
    return rx.fragment(_pulser(), LocalizedConnectionToaster.create())


def connection_overlay(stateful: bool) -> rx.Component | None:
    """Replaces rx.App's ``(5, "Overlay")`` wrap: Reflex's pulser and our toaster (memoized, as Reflex's)."""
    return rx.fragment(connection_notice()) if stateful else None
