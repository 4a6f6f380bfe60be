"""Refuse oversized upload requests before Reflex spools them to disk.

Reflex's upload endpoint parses the whole multipart body (into temporary files) before the handler
runs, so a 5 GB request would fill the disk before our 20 MB check. This middleware answers 413 when
an upload request announces, or turns out to carry, more than the files of one upload may add up to.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_app.services.files import MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD

# Every file at the limit, plus room for the multipart headers.
MAX_UPLOAD_REQUEST = MAX_FILES_PER_UPLOAD * MAX_FILE_BYTES + 1024 * 1024
UPLOAD_PATH_SUFFIX = "/_upload"


class UploadSizeLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_UPLOAD_REQUEST) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].rstrip("/").endswith(UPLOAD_PATH_SUFFIX):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send)
            return
        received = 0
        exceeded = False

        async def counted_receive() -> Message:
            # Past the limit the app is told the client left: it stops parsing and spools no more.
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            # Whatever the app answers to a cut-off request, the client gets a 413.
            if not exceeded:
                await send(message)
            elif message["type"] == "http.response.start":
                await _too_large(send)

        await self.app(scope, counted_receive, guarded_send)


async def _too_large(send: Send) -> None:
    body = b'{"detail":"upload too large"}'
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
