"""``Cache-Control: no-cache`` on the files that make the app installable (single-port production).

The browser must see a new service worker, manifest or offline page as soon as it is deployed: with
``no-cache`` it asks the server every time (a 304 when nothing changed), instead of keeping the copy
Starlette's static files would let it reuse by heuristic. The hashed build files (/assets/) keep their
long life. Behind nginx the template's ``location /`` says the same (deploy/nginx/).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALWAYS_FRESH = frozenset({"/sw.js", "/pwa.js", "/manifest.webmanifest", "/offline.html", "/offline.js"})


class PwaFiles:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in ALWAYS_FRESH:
            await self.app(scope, receive, send)
            return

        async def send_fresh(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Cache-Control"] = "no-cache"
            await send(message)

        await self.app(scope, receive, send_fresh)
