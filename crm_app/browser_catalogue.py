"""Which messages the pages look up in the browser: ``python -m crm_app.browser_catalogue`` (``make
browser-keys``) compiles every page as the build does and writes the message names its code looks up to
crm_app/i18n/browser_keys.txt, the list ``SessionState.tr`` keeps (crm_app/i18n/browser.py).
tests/unit/test_browser_catalogue.py checks that the file is current and that every other lookup (a
prefix and a value, a name the server sends) is covered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from crm_app.i18n.browser import KEYS_FILE


@dataclass
class Lookups:
    names: set[str] = field(default_factory=set)  # tr["save"]
    computed: set[str] = field(default_factory=set)  # tr[<an expression>], as the browser evaluates it


def _subscripts(code: str, opening: str) -> list[str]:
    """What follows each ``opening`` (``…tr_rx_state_?.[``) up to its closing bracket, strings skipped."""
    found = []
    start = code.find(opening)
    while start != -1:
        i = start + len(opening)
        depth, quote = 1, ""
        while depth:
            char = code[i]
            if quote:
                if char == "\\":
                    i += 1
                elif char == quote:
                    quote = ""
            elif char in "\"'`":
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                depth -= 1
            i += 1
        found.append(code[start + len(opening):i - 1])
        start = code.find(opening, i)
    return found


def lookups() -> Lookups:
    """The lookups in the compiled code of every page of the app (its 404 included) and in their titles."""
    from reflex.compiler.compiler import compile_page

    import crm_app.crm_app as wired
    from crm_app.states.session import SessionState

    opening = f"{SessionState.tr._js_expr}?.["
    found = Lookups()
    for route, page in wired.app._unevaluated_pages.items():
        component = page.component() if callable(page.component) else page.component
        code = compile_page(route, component)[1] + str(page.title)
        for subscript in _subscripts(code, opening):
            if subscript.startswith('"') and subscript.endswith('"'):
                found.names.add(json.loads(subscript))
            else:
                found.computed.add(subscript)
    return found


def write_keys() -> int:
    names = sorted(lookups().names)
    KEYS_FILE.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
    return len(names)


if __name__ == "__main__":
    print(f"{write_keys()} message names looked up by the pages -> {KEYS_FILE}")
