"""Security headers on every HTTP response, the pages of the production build included.

With ``reflex run --env prod --single-port`` the built frontend is served by the same ASGI app that
``api_transformer`` wraps, so this one middleware covers pages, API routes and uploads. A header a route
set itself (the sandboxing CSP of /api/files) is left alone.

The Content-Security-Policy, source by source:

- ``script-src 'self'`` + the SHA-256 of each inline ``<script>`` of the build. React Router's
  prerendered pages carry inline scripts (theme, scroll restoration, the router context, React's
  streaming helpers); they are read from the built HTML once, so no other inline script runs.
  ``'unsafe-eval'``: Reflex runs what a server event returns to the browser (``rx.toast``,
  ``rx.call_script``, ``rx.scroll_to``, their callbacks) with ``eval`` in state.js; without it no toast
  from a handler would show.
- ``style-src 'self' 'unsafe-inline'``: Emotion writes ``<style>`` elements at run time and Radix
  and Leaflet set ``style`` attributes.
- ``img-src 'self' data: blob:`` + the map's tile server (``CRM_MAP_TILE_URL``, ``{s}`` becomes ``*``):
  Leaflet's CSS inlines its small icons as data: URLs.
- ``connect-src 'self'`` (same-origin ws/wss included, CSP 3) + the public URL's origin, http and ws:
  the websocket, uploads and downloads.
- ``manifest-src 'self'; worker-src 'self'``: the install manifest and the service worker (/sw.js).
- ``object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'``; everything else
  falls back to ``default-src 'self'``.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_app.settings import Settings, get_settings

# One year; no includeSubDomains: other hosts of the organization's domain are not ours to decide.
HSTS = "max-age=31536000"


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not any(name == "src" for name, _ in attrs):
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def inline_script_hashes(html: str) -> set[str]:
    """CSP sources (``'sha256-…'``) for the inline scripts of one HTML page."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in parser.scripts if s}


@lru_cache(maxsize=4)
def _build_hashes(static_dir: Path, _modified: int) -> tuple[str, ...]:
    found: set[str] = set()
    for page in static_dir.rglob("*.html"):
        found |= inline_script_hashes(page.read_text(encoding="utf-8", errors="replace"))
    return tuple(sorted(found))


def build_script_hashes(static_dir: Path | None = None) -> tuple[str, ...]:
    """The hashes of every inline script of the built frontend (none when there is no build)."""
    if static_dir is None:
        from crm_app.api.static_files import frontend_dir

        static_dir = frontend_dir()
    try:
        modified = static_dir.stat().st_mtime_ns
    except OSError:
        return ()
    return _build_hashes(static_dir, modified)


def tile_source(tile_url: str) -> str | None:
    """The CSP source of an XYZ tile URL template: ``https://{s}.tile.osm.org/…`` → ``https://*.tile.osm.org``."""
    parts = urlsplit(tile_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    first, _, rest = parts.hostname.partition(".")
    if "{" in rest:
        return f"{parts.scheme}:"  # a placeholder past the first label: CSP has no wildcard for it
    host = (f"*.{rest}" if rest else "*") if "{" in first else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def _origin_sources(url: str) -> list[str]:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return []
    ws = "wss" if parts.scheme == "https" else "ws"
    return [f"{parts.scheme}://{parts.netloc}", f"{ws}://{parts.netloc}"]


def content_security_policy(settings: Settings, script_hashes: tuple[str, ...] = ()) -> str:
    tiles = tile_source(settings.map_tile_url)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes, "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([tiles] if tiles else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", *_origin_sources(settings.public_url)],
        # The install manifest and the service worker (/manifest.webmanifest, /sw.js): ours only.
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(dict.fromkeys(sources))}" for name, sources in directives.items())


def security_headers(settings: Settings, script_hashes: tuple[str, ...] = ()) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": content_security_policy(settings, script_hashes),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        # Not "no-referrer": tile servers such as OpenStreetMap's require a Referer; the origin is enough.
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    if settings.is_production:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeaders:
    def __init__(self, app: ASGIApp, settings: Settings | None = None,
                 static_dir: Path | None = None) -> None:
        self.app, self.settings, self.static_dir = app, settings or get_settings(), static_dir
        self._headers: tuple[tuple[str, ...], dict[str, str]] = ((), security_headers(self.settings))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The build may appear after this module is imported (reflex run builds, then serves): look again.
        hashes = build_script_hashes(self.static_dir)
        if hashes != self._headers[0]:
            self._headers = (hashes, security_headers(self.settings, hashes))
        wanted = self._headers[1]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
