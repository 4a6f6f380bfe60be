"""An id for each websocket event, so the log lines its handler writes can be told apart.

Reflex 0.10 runs every event in a task of its own (reflex_base EventProcessor._create_event_task) and
awaits the middlewares' ``preprocess`` in that same task, just before the handler (foreground or
background). A contextvar set here therefore reaches every line the handler logs and ends with the
event's task; an event the handler chains runs in a new task and gets its own id.
The tab is named by a hash of its Reflex token, never the token itself, and never the session cookie.
"""

from __future__ import annotations

from reflex.middleware import Middleware

from crm_app import logs


class EventIdMiddleware(Middleware):
    async def preprocess(self, app, state, event):
        # The state's router data was just updated from this event's (the token is the tab's).
        token = state.router.session.client_token
        logs.bind(event_id=logs.new_id(), event=event.name, tab=logs.token_hash(token) if token else "")
        return None  # the event then runs as usual
