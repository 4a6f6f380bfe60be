"""Refuse upload requests over the limits before Reflex spools them to disk.

Reflex's upload endpoint parses the whole multipart body (into temporary files) before the handler
runs, so a 5 GB request would fill the disk before our 20 MB check, and the browser's 10-files limit
is no limit for a forged request. This middleware answers 413 when an upload request announces, or
turns out to carry, more than the files of one upload may add up to, and 400 as soon as the body
holds more file parts than one upload may have; Reflex's handler then never runs, so none is stored.
"""

from __future__ import annotations

import json

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_app.services.files import MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD

# Every file at the limit, plus room for the multipart headers.
MAX_UPLOAD_REQUEST = MAX_FILES_PER_UPLOAD * MAX_FILE_BYTES + 1024 * 1024
UPLOAD_PATH_SUFFIX = "/_upload"


def is_upload(scope: Scope) -> bool:
    """A POST to Reflex's upload endpoint (GETs under /_upload/ are its public file folder)."""
    return (scope["type"] == "http" and scope.get("method") == "POST"
            and scope["path"].rstrip("/").endswith(UPLOAD_PATH_SUFFIX))


async def refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class FileParts:
    """Counts the file parts of a multipart body as it streams past, with python-multipart (the parser
    Starlette, and so Reflex, reads the same body with)."""

    def __init__(self, boundary: bytes) -> None:
        self.count = 0
        self._field, self._value, self._is_file = b"", b"", False
        self._parser: MultipartParser | None = MultipartParser(boundary, callbacks={
            "on_part_begin": self._begin, "on_header_field": self._add_field,
            "on_header_value": self._add_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
        })

    @classmethod
    def of(cls, headers: Headers) -> FileParts | None:
        kind, options = parse_options_header(headers.get("content-type", ""))
        boundary = options.get(b"boundary")
        return cls(boundary) if kind == b"multipart/form-data" and boundary else None

    def feed(self, chunk: bytes) -> int:
        if self._parser is not None and chunk:
            try:
                self._parser.write(chunk)
            except Exception:  # malformed: Starlette's parser refuses the same bytes with a 400
                self._parser = None
        return self.count

    def _begin(self) -> None:
        self._field, self._value, self._is_file = b"", b"", False

    def _add_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _add_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        if self._field.lower() == b"content-disposition":
            self._is_file = b"filename" in parse_options_header(self._value)[1]
        self._field, self._value = b"", b""

    def _headers_finished(self) -> None:
        self.count += self._is_file


class UploadSizeLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_UPLOAD_REQUEST,
                 max_files: int = MAX_FILES_PER_UPLOAD) -> None:
        self.app, self.limit, self.max_files = app, limit, max_files

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_upload(scope):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await refuse(send, 413, "upload too large")
            return
        parts = FileParts.of(headers)
        received = 0
        refusal: tuple[int, str] | None = None

        async def counted_receive() -> Message:
            # Past a limit the app is told the client left: it stops parsing and spools no more.
            nonlocal received, refusal
            if refusal:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > self.limit:
                    refusal = (413, "upload too large")
                elif parts is not None and parts.feed(chunk) > self.max_files:
                    refusal = (400, f"at most {self.max_files} files per upload")
                if refusal:
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            # Whatever the app answers to a cut-off request, the client gets the refusal.
            if not refusal:
                await send(message)
            elif message["type"] == "http.response.start":
                await refuse(send, *refusal)

        await self.app(scope, counted_receive, guarded_send)
