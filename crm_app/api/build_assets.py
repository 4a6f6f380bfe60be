"""The hashed build files (``/assets/``) in single-port production: cached for good, without page headers.

A file under /assets/ is named after its content's hash, so a new build never changes a file under the
same name. Starlette's static files give them no ``Cache-Control``: a browser then guesses their life
from their age and asks again with ``If-None-Match`` (one round trip each, 40-odd per page, 150 ms each
on a 3G network). ``immutable`` with a year's max-age lets a repeat visit use its copies without asking,
as nginx's /assets/ location does (deploy/nginx/).

The Content-Security-Policy (2 KB, with the build's script hashes) governs documents and workers only;
a script, style sheet or font ignores it. Sent on each of the first route's ~40 files it cost more than
100 KB on the wire (HTTP/1.1 does not compress headers), so it is left off these files; ``nosniff`` and
the other headers stay.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/assets/"
IMMUTABLE = "public, max-age=31536000, immutable"


class BuildAssets:
    """Runs outside SecurityHeaders (added after it), so it sees and trims the headers it set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return

        async def send_cached(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if message["status"] in (200, 304):  # a 404 must not be kept for a year
                    headers["Cache-Control"] = IMMUTABLE
                del headers["Content-Security-Policy"]
            await send(message)

        await self.app(scope, receive, send_cached)
