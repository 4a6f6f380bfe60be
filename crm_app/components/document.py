"""The document follows the UI language: ``<html lang>`` and the tab's title.

Reflex writes one static ``<html lang>`` for every page. ``document_language()``, rendered once by every
page (the shell, the public pages, the 404), sets ``document.documentElement.lang`` from the language
state on load and whenever the user switches language, so screen readers pronounce the page in the right
language. ``page_title(key)`` is a page's title as a state var: the prerendered page carries the Spanish one,
React replaces it with the reader's language once hydrated.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var, VarData

from crm_app.states.session import SessionState

APP_TITLE = "Clientela"
# The code of the catalogue in use: always a valid language, whatever the language cookie says ("xx").
UI_LANG: Var = SessionState.tr["html_lang"].to(str)


def _lang_effect() -> Var:
    lang = UI_LANG
    code = lang._js_expr  # the expression itself; str(var) would embed its metadata
    effect = f"useEffect(() => {{ document.documentElement.lang = {code}; }}, [{code}]);"
    return Var(
        _js_expr="null",
        _var_type=None,
        _var_data=VarData.merge(lang._get_all_var_data(),
                                VarData(imports={"react": "useEffect"}, hooks={effect: None})),
    )


def document_language() -> rx.Component:
    """Renders nothing; keeps ``<html lang>`` equal to the UI language."""
    return rx.fragment(_lang_effect())


def page_title(key: str) -> Var:
    """``"<title in the reader's language> · Clientela"``, the tab title of the page named by ``key``."""
    return SessionState.tr[key].to(str) + f" · {APP_TITLE}"
