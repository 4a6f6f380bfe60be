"""An id for each websocket event, so the log lines its handler writes can be told apart.

Reflex 0.10 runs every event in a task of its own (reflex_base EventProcessor._create_event_task) and
awaits the middlewares' ``preprocess`` in that same task, just before the handler (foreground or
background). A contextvar set here therefore reaches every line the handler logs and ends with the
event's task; an event the handler chains runs in a new task and gets its own id.

The id is Reflex's own transaction id (EventContext.txid, also in Reflex's "Error in ... [txid=...]"
lines). An exception the handler raised is handled in another task, which Reflex gives the event's
EventContext but not our contextvar: the fallback source below names the event there too (without its
name, which only the middleware sees).
The tab is named by a hash of its Reflex token, never the token itself, and never the session cookie.
"""

from __future__ import annotations

from collections.abc import Mapping

from reflex.middleware import Middleware
from reflex_base.event.context import EventContext

from crm_app import logs


def reflex_event_fields() -> Mapping[str, str] | None:
    """The running event's id and hashed tab, from Reflex's context; None outside an event."""
    try:
        context = EventContext.get()
    except LookupError:
        return None
    return {"event_id": context.txid, "tab": logs.token_hash(context.token)}


class EventIdMiddleware(Middleware):
    def __init__(self) -> None:
        logs.add_fallback_source(reflex_event_fields)

    async def preprocess(self, app, state, event):
        fields = dict(reflex_event_fields() or {"event_id": logs.new_id()})
        if "tab" not in fields and (token := state.router.session.client_token):
            fields["tab"] = logs.token_hash(token)
        logs.bind(event=event.name, **fields)
        return None  # the event then runs as usual
