"""A sales user who sends the admin's event handlers over the websocket himself is refused.

Any public Reflex event handler can be called from the websocket with any arguments, whatever the page
shows. This test does what a curious user would do with the browser's devtools:

1. sign in as a sales user in the browser (his HttpOnly ``crm_session`` cookie goes with every websocket
   handshake of this browser, and the page may read its companion ``crm_marker`` cookie, which every
   event must carry as ``router_data.crm_marker``: states/browser_session.py);
2. read the tab's Reflex client token (``sessionStorage["token"]``, utils/state.js ``getToken``);
3. leave the app in the same tab (``/ping``, same origin, so sessionStorage stays) so the app's own
   socket disconnects: Reflex gives a *new* token to a second socket that reuses a connected one
   (``new_token``), which would hand us a fresh, signed-out state;
4. open a WebSocket from that page to ``/_event/?EIO=4&transport=websocket&token=<token>`` and speak
   engine.io v4 / socket.io by hand on the ``/_event`` namespace: the server sends ``0{...}`` (open),
   we send ``40/_event,`` (connect), it answers ``40/_event,{"sid":...}``, then we send
   ``42/_event,["event", {"name": <full handler name>, "payload": {...}, "router_data": {...}}]``,
   the shape ``applyEvent`` in utils/state.js emits (``socket.emit("event", event)``), with the marker
   read from ``document.cookie`` as the app's assets/session_marker.js does;
5. check in the database that nothing changed, and that the server answered with the
   "No tienes permiso para hacer esto." toast.

The same raw call made from an admin's tab does change the role: that proves the forged frames are
well-formed, so the refusal is the server's decision and not a malformed message.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import (
    AppServer,
    Person,
    find_user,
    make_org_with_admin,
    make_user,
    sign_in,
    user_row,
)

pytestmark = pytest.mark.e2e

# State.get_full_name() of crm_app.states.users.UsersState, as compiled into the page's JS
# (e.g. ReflexEvent("reflex___state____state.crm_app___states___session____session_state..."
USERS_STATE = ("reflex___state____state.crm_app___states___session____session_state"
               ".crm_app___states___users____users_state")
FORBIDDEN = "No tienes permiso para hacer esto."

# Runs in the browser: one raw socket.io session; sends the events and collects every frame received
# until ``toasts`` toast events came back (each handler here answers with one) or the time is up.
RAW_SOCKET = r"""
async ({url, events, toasts, timeoutMs}) => {
  const frames = [];
  const ws = new WebSocket(url);
  return await new Promise((resolve) => {
    let sent = false, seen = 0;
    const finish = () => { clearTimeout(timer); try { ws.close(); } catch (e) {} resolve(frames); };
    const timer = setTimeout(finish, timeoutMs);
    ws.onmessage = (message) => {
      const data = String(message.data);
      frames.push(data);
      if (data.startsWith('0')) {                       // engine.io OPEN
        ws.send('40/_event,');                          // socket.io CONNECT to the /_event namespace
      } else if (data === '2') {                        // engine.io PING
        ws.send('3');
      } else if (data.startsWith('40/_event,') && !sent) {  // namespace connected
        sent = true;
        const marker = (document.cookie.match(/(?:^|;\s*)crm_marker=([^;]*)/) || [])[1] || '';
        for (const event of events) {
          event.router_data.crm_marker = marker;
          ws.send('42/_event,' + JSON.stringify(['event', event]));
        }
      } else if (data.startsWith('42/_event,["new_token"')) {
        finish();                                       // token still linked to another socket
      } else if (sent && data.startsWith('42/_event,["event"') && data.includes("__toast")) {
        if (++seen >= toasts) finish();
      }
    };
    ws.onerror = () => { frames.push('WEBSOCKET ERROR'); finish(); };
  });
}
"""


def _event(handler: str, payload: dict, path: str = "/settings/users") -> dict:
    return {"name": f"{USERS_STATE}.{handler}", "payload": payload,
            "router_data": {"pathname": path, "asPath": path}}


def _send_raw_events(page: Page, server: AppServer, events: list[dict], toasts: int) -> list[str]:
    """Send ``events`` on a socket of our own that reuses this tab's Reflex token; return the frames
    received until ``toasts`` toasts came back (10 s at most)."""
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token, "the app saved no Reflex token in this tab"
    page.goto(server.url("/ping"))  # same tab and origin: sessionStorage kept, the app's socket closed
    assert page.evaluate("() => window.sessionStorage.getItem('token')") == token
    for _ in range(20):
        frames = page.evaluate(RAW_SOCKET, {"url": f"{server.ws_url}&token={token}", "events": events,
                                            "toasts": toasts, "timeoutMs": 10_000})
        if not any(f.startswith('42/_event,["new_token"') for f in frames):
            return frames
        time.sleep(0.25)  # the server has not dropped the app's socket yet
    raise AssertionError("the server kept handing out a new token: the app's socket never disconnected")


def _toasts(frames: list[str]) -> str:
    return "\n".join(f for f in frames if '"_call_function"' in f and "__toast" in f)


def _signed_in_tab(page: Page, server: AppServer, person: Person) -> None:
    sign_in(page, server.base_url, person.email, person.password)


def test_sales_user_cannot_call_admin_handlers_over_the_websocket(
    app_server: AppServer, page: Page, new_page,
) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sales = make_user(app_server.db_url, admin, "sales", change_password=True)
    colleague = make_user(app_server.db_url, admin, "sales", change_password=True)
    users_before = {p.email: user_row(app_server.db_url, p.email) for p in (admin, sales, colleague)}

    _signed_in_tab(page, app_server, sales)
    frames = _send_raw_events(page, app_server, [
        _event("change_role", {"user_id": sales.id, "role": "admin"}),        # promote himself
        _event("change_role", {"user_id": admin.id, "role": "sales"}),        # demote the admin
        _event("ask", {"kind": "reset", "user_id": colleague.id, "email": colleague.email}),
        _event("confirm", {}),                                                # reset his password
        _event("create_user", {"form": {"name": "Intruso", "email": "intruso@example.test",
                                        "role": "admin", "language": "es"}}),
    ], toasts=5)

    dump = "\n".join(f[:300] for f in frames)
    toasts = _toasts(frames)
    assert toasts.count(FORBIDDEN) == 5, f"expected 5 refusals, got frames:\n{dump}"
    for email, before in users_before.items():
        after = user_row(app_server.db_url, email)
        assert (after.role, after.is_active, after.password_hash, after.must_change_password) == (
            before.role, before.is_active, before.password_hash, before.must_change_password), email
    assert find_user(app_server.db_url, "intruso@example.test") is None
    # The refused handlers sent no user rows back either.
    everything = "\n".join(frames)
    assert colleague.email not in everything and admin.email not in everything

    # Control: the same forged frames from an admin's tab are obeyed, so they were well-formed.
    admin_tab = new_page()
    _signed_in_tab(admin_tab, app_server, admin)
    frames = _send_raw_events(admin_tab, app_server, [
        _event("change_role", {"user_id": colleague.id, "role": "admin"}),
    ], toasts=1)
    assert "Usuario actualizado." in _toasts(frames), "\n".join(f[:300] for f in frames)
    assert user_row(app_server.db_url, colleague.email).role == "admin"
