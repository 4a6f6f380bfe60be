"""Who may send a body to Reflex's upload endpoint, decided from the headers alone.

Reflex parses an upload (up to ~200 MB, into temporary files) and creates server-side state for any
client token before the handler's own checks run. So, before one byte of the body is read:

- 401 without a valid session: the ``crm_session`` cookie of the request, checked like every API
  route (services/auth.resolve_session);
- 400 unless the ``Reflex-Event-Handler`` header names one of the app's upload handlers (an event
  handler taking ``list[rx.UploadFile]``); any other handler would reach Reflex's 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from crm_app.api.auth import SESSION_COOKIE
from crm_app.api.upload_limit import is_upload, refuse
from crm_app.db import session_scope
from crm_app.services import auth as auth_service


def _state_classes(state: type) -> Iterator[type]:
    yield state
    for sub in state.get_substates():
        yield from _state_classes(sub)


@lru_cache(maxsize=1)
def upload_handler_names() -> frozenset[str]:
    """The full names (as the browser sends them) of every event handler Reflex accepts an upload for.

    Read once, on the first upload: by then every state class of the app is imported.
    """
    from reflex.state import State
    from reflex.utils.format import format_event_handler
    from reflex_base.event import resolve_upload_handler_param
    from reflex_base.utils.exceptions import UploadTypeError, UploadValueError

    names = set()
    for state in _state_classes(State):
        for handler in state.event_handlers.values():
            try:
                resolve_upload_handler_param(handler)
            except (UploadTypeError, UploadValueError):
                continue
            names.add(format_event_handler(handler))
    return frozenset(names)


def _signed_in(token: str) -> bool:
    with session_scope() as session:
        return auth_service.resolve_session(session=session, token=token) is not None


class UploadAccess:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_upload(scope):
            await self.app(scope, receive, send)
            return
        request = Request(scope)  # headers and cookies only: the body is left to the app
        token = request.cookies.get(SESSION_COOKIE, "")
        # The database lookup runs in a thread: the event loop serves the other users meanwhile.
        if not token or not await run_in_threadpool(_signed_in, token):
            await refuse(send, 401, "not signed in")
            return
        if request.headers.get("reflex-event-handler", "") not in upload_handler_names():
            await refuse(send, 400, "not an upload handler")
            return
        await self.app(scope, receive, send)
