"""How a browser tab's session reaches the server, and how the tab gets and drops its cookie.

The session token lives only in the HttpOnly ``crm_session`` cookie. No state var, delta or script ever
holds it; the server reads it from the Cookie header of the websocket's handshake (Reflex keeps request
headers in router data and never sends the cookie to the browser).

Signing in (the sign-in, setup and password-change forms stay Reflex forms, with their throttling and
field errors in the user's language):

1. the event checks the password and opens a *pending* session keyed by a one-time code, bound to the
   tab's Reflex client token and valid for services.auth.SIGN_IN_CODE_SECONDS (only its hash is stored);
2. it resets every state of the tab and answers with a script (``exchange_script``) that POSTs the code
   and the client token to ``/api/session`` (same origin, credentials included), which sets the cookies;
3. the script then loads the target page in full, so a new websocket is opened with the cookie.

The code passes through the websocket, but it is spent at once and worth nothing to another tab. A
script injected into the sign-in page could take it, as it could take the typed password.

The handshake's Cookie header does not change while the socket lives. Sign-out revokes the token on
the server, which covers that case. For cookies cleared behind the server's back (devtools, the browser's
"clear cookies"), ``crm_marker`` is a readable companion cookie derived from the token:
assets/session_marker.js copies its current value into the router data of every event the page sends,
and an event whose marker does not match the handshake's token is treated as signed out.
"""

from __future__ import annotations

import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from reflex_base.constants import RouteVar
from reflex_base.event.context import EventContext
from starlette.requests import cookie_parser

from crm_app.services import auth as auth_service
from crm_app.settings import get_settings

# The router data key assets/session_marker.js fills on every event.
MARKER_KEY = "crm_marker"


def _event_router_data() -> dict[str, Any]:
    """Router data of the event being processed (empty outside an event)."""
    try:
        return EventContext.get().router_data or {}
    except LookupError:
        return {}


def _connection_data(stored_router_data: dict[str, Any]) -> dict[str, Any]:
    """An event that came over the socket carries the handshake's headers and the page's marker: both are
    taken from that event, so a forged event cannot borrow an earlier marker. Events the server chains
    itself, and uploads (their HTTP request is checked on its own), read what the tab's last socket event
    left in the state's router data."""
    event = _event_router_data()
    return event if RouteVar.HEADERS in event else stored_router_data


def _cookie_token(data: dict[str, Any]) -> str:
    headers = data.get(RouteVar.HEADERS) or {}
    return cookie_parser(str(headers.get("cookie", ""))).get(auth_service.SESSION_COOKIE, "")


def session_token(stored_router_data: dict[str, Any]) -> str:
    """The session token of the browser behind this event, or "" when it has none or lost its cookies."""
    data = _connection_data(stored_router_data)
    token, marker = _cookie_token(data), data.get(MARKER_KEY)
    if not token or not isinstance(marker, str):
        return ""
    return token if hmac.compare_digest(marker, auth_service.session_marker(token)) else ""


def had_session_cookie(stored_router_data: dict[str, Any]) -> bool:
    """Whether the browser sent a session cookie at all (valid or not) when this socket opened."""
    return bool(_cookie_token(_connection_data(stored_router_data)))


def exchange_script(code: str, client_token: str, target: str) -> str:
    """JavaScript: trade the sign-in code for the cookie, then load ``target`` in full (new socket).

    Evaluates to a promise of ``true`` when the cookie was set (the page is leaving), else ``false``.
    """
    body = json.dumps({"code": code, "client_token": client_token})
    return (
        "fetch('/api/session', {method: 'POST', credentials: 'same-origin', cache: 'no-store', "
        f"headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(body)}}})"
        f".then((r) => {{ if (r.ok) {{ window.location.replace({json.dumps(target)}); }} return r.ok; }})"
        ".catch(() => false)"
    )


def end_script(target: str) -> str:
    """JavaScript: clear the cookies (the server revoked the token already), then load ``target`` in full."""
    return (
        "fetch('/api/session/end', {method: 'POST', credentials: 'same-origin', cache: 'no-store'})"
        f".catch(() => null).finally(() => window.location.replace({json.dumps(target)}))"
    )



# A notice for the page a full load opens next (password changed, signed out, session ended) rides in
# that page's address, signed and short-lived. Not in the tab's state: a page loaded while the old
# one's socket is still linked gets a fresh client token (Reflex's duplicate-tab check), and with it
# a fresh state, so a notice kept there was sometimes never seen. Signed, so that a link cannot make
# the app say something that did not happen.
NOTICE_PARAM = "notice"
NOTICE_TTL = 120  # seconds between the event that ends a page and the next page's load


def _notice_mac(notice: str, issued: int) -> str:
    key = (get_settings().secret_key + "|notice").encode()
    return hmac.new(key, f"{notice}|{issued}".encode(), "sha256").hexdigest()[:20]


def with_notice(target: str, notice: str) -> str:
    """``target`` (a path, maybe with a query) carrying ``notice`` for the page it loads."""
    if not notice:
        return target
    issued = int(time.time())
    value = f"{notice}.{issued}.{_notice_mac(notice, issued)}"
    return target + ("&" if "?" in target else "?") + urlencode({NOTICE_PARAM: value})


def read_notice(value: str) -> str:
    """The notice an address carries: "" unless the server signed it in the last NOTICE_TTL seconds."""
    notice, _, rest = value.partition(".")
    issued_text, _, mac = rest.partition(".")
    if not issued_text.isdigit() or not 0 <= time.time() - int(issued_text) <= NOTICE_TTL:
        return ""
    return notice if hmac.compare_digest(mac, _notice_mac(notice, int(issued_text))) else ""


def notice_script(kind: str, text: str) -> str:
    """JavaScript: a ``kind`` toast ("success", "info", "warning") once the page's toaster is up, and
    the notice out of the address (a reload does not repeat it).

    A page's first events are answered while it may still be mounting, and Reflex's own toast is then
    dropped without a word (``refs['__toast']?.…``); this one waits up to five seconds. One toast id:
    the page's two first loads (hydrate, route) show it once.
    """
    return (
        "(function show(tries) { const toast = refs['__toast'];"
        f" if (toast) {{ toast[{json.dumps(kind)}]({json.dumps(text)}, {{id: 'crm-notice'}}); }}"
        " else if (tries > 0) { setTimeout(() => show(tries - 1), 100); } })(50);"
        " (() => { const url = new URL(window.location.href);"
        f" url.searchParams.delete({json.dumps(NOTICE_PARAM)});"
        " window.history.replaceState(window.history.state, '', url); })()"
    )
