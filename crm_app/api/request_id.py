"""Every HTTP request gets an id: the proxy's X-Request-ID when it is safe, else a fresh one.

The id is set in crm_app.logs' contextvar for the request, so every log line written while it is
handled carries ``request_id``, and it is echoed in the answer's X-Request-ID header for the operator
(or the user reporting a problem) to quote. Websocket connections are left to the per-event ids
(crm_app/event_ids.py): one connection carries hundreds of events.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_app import logs

HEADER = "x-request-id"


class RequestId:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((value.decode("latin-1") for name, value in scope.get("headers", [])
                         if name == HEADER.encode()), None)
        request_id = logs.accepted_id(incoming)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        with logs.bound(request_id=request_id):
            await self.app(scope, receive, send_with_id)
