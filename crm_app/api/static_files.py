"""How single-port production serves the built frontend: each page at its own URL, the hashed build
files kept for good, the files that make the app installable always asked again.

Behind nginx the template says the same (deploy/nginx/, ops/nginx_conf.py): ``try_files $uri $uri.html
$uri/index.html``, ``location /assets/``, a location per signed-in page serving the shell with its
``Link`` header, and ``location /``.

- **A page at its own URL.** The build holds ``customers/index.html`` beside the pages under
  /customers/, so Starlette's static files answer ``/customers`` with a 307 to ``/customers/``: one more
  round trip on every visit (150 ms on a 3G network, before a byte of the page). The request is served
  as ``/customers/`` instead; the address the browser shows stays ``/customers``.
- **/assets/.** A file there is named after its content's hash, so a new build never changes a file
  under the same name. Starlette's static files give them no ``Cache-Control``: a browser then guesses
  their life from their age and asks again with ``If-None-Match`` (one round trip each, 40-odd per
  page). ``immutable`` with a year's max-age lets a repeat visit use its copies without asking. The
  Content-Security-Policy (2 KB, with the build's script hashes) governs documents and workers only; a
  script, style sheet or font ignores it, and sent on each of the first route's files it cost more than
  100 KB on the wire (HTTP/1.1 does not compress headers), so it is left off these files.
- **The head's own scripts as the page names them** (``/pwa.js?v=<hash>``, components/pwa.versioned):
  that address is one content for good, kept like /assets/.
- **The service worker, manifest and offline page** (``ALWAYS_FRESH``) get ``no-cache``: the browser
  must see a new one as soon as it is deployed, not the copy Starlette's static files would let it
  reuse by heuristic.
- **A signed-in page gets the build's SPA shell** (``__spa-fallback.html``, 4 KB), as a page with an id
  in its path (/customers/123) always did, instead of its prerendered HTML (19 KB for /customers). The
  prerendered page holds nothing of the user (the guard renders the content), but React must load and
  run the page's own scripts before it can hydrate it, and only then does the websocket ask for the
  page's data. From the shell, the root hydrates at once and asks while the page's scripts load. A
  ``Link`` header names those scripts (``rel=modulepreload``, from React Router's build manifest), so
  the browser fetches them beside the root's instead of after running it. The sign-in, setup
  and registration pages keep their prerendered HTML, the first thing a new visitor sees. Which paths
  are signed-in pages is the app's to say (``serve_shell_for``, wired in crm_app/crm_app.py: api/ does
  not import the UI).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ASSETS = "/assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
ALWAYS_FRESH = frozenset({"/sw.js", "/pwa.js", "/manifest.webmanifest", "/offline.html", "/offline.js"})
SPA_SHELL = "/__spa-fallback.html"
# Files the pages name with ?v=<their hash> (components/pwa.versioned).
VERSIONED = frozenset({"/pwa.js", "/session_marker.js"})


def _shell_page(path: str) -> bool:
    """Whether ``path`` is a signed-in page of the app: none until the app module says (serve_shell_for)."""
    return False


_MANIFEST = re.compile(r"/assets/manifest-[\w-]+\.js")


def _pattern(route_path: str) -> re.Pattern:
    """React Router's ``customers/:customer_id`` as a regular expression over a request's path."""
    parts = ["[^/]+" if part.startswith(":") else re.escape(part) for part in route_path.split("/")]
    return re.compile("^/" + "/".join(parts) + "/?$")


@lru_cache(maxsize=4)
def _route_links(static_dir: Path, _modified: int) -> tuple[tuple[str, re.Pattern, str], ...]:
    """(route, path pattern, Link header) of each route, from the build's route manifest."""
    found = _MANIFEST.search((static_dir / SPA_SHELL[1:]).read_text(encoding="utf-8"))
    if not found:
        return ()
    text = (static_dir / found.group(0)[1:]).read_text(encoding="utf-8")
    manifest = json.loads(text[text.index("=") + 1:].rstrip().rstrip(";"))
    routes = manifest["routes"]
    shell = {manifest["entry"]["module"], *manifest["entry"]["imports"], routes["root"]["module"],
             *routes["root"]["imports"]}  # the shell names these already
    table = []
    for route in routes.values():
        path = route.get("path", "")
        if not path or path == "*":
            continue
        files = [f for f in dict.fromkeys([route["module"], *route["imports"]]) if f not in shell]
        table.append((path, _pattern(path), ", ".join(f"<{f}>; rel=modulepreload" for f in files)))
    return tuple(sorted(table, key=lambda row: ":" in row[0]))  # a fixed route before one with a parameter


def route_links(static_dir: Path) -> tuple[tuple[str, re.Pattern, str], ...]:
    """(route such as ``customers/:customer_id``, its path pattern, the ``Link`` header naming its scripts)
    of each page of the build, a fixed route first; none without a build (or with a manifest of another
    shape). nginx's configuration is written from the same table (ops/nginx_conf.py)."""
    try:
        return _route_links(static_dir, (static_dir / SPA_SHELL[1:]).stat().st_mtime_ns)
    except (OSError, ValueError, KeyError):
        return ()


def page_scripts(static_dir: Path, path: str) -> str:
    """The ``Link`` header naming the scripts of the page at ``path`` ("" when none is known)."""
    return next((link for _, pattern, link in route_links(static_dir) if pattern.match(path)), "")


def serve_shell_for(is_signed_in_page: Callable[[str], bool]) -> None:
    """Serve the SPA shell for the paths ``is_signed_in_page`` accepts."""
    global _shell_page
    _shell_page = is_signed_in_page


def frontend_dir() -> Path:
    """Where Reflex's production build puts the pages it serves in single-port mode."""
    from reflex.constants import Dirs
    from reflex.utils.prerequisites import get_web_dir

    return get_web_dir() / Dirs.STATIC


def page_folder(static_dir: Path, path: str) -> bool:
    """Whether ``path`` (no trailing slash) names a built page that has a folder of its own."""
    name = path.rstrip("/").rpartition("/")[2]
    if not name or "." in name:  # the root, or a file such as /sw.js
        return False
    return (static_dir / path.strip("/") / "index.html").is_file()


class StaticFilesPolicy:
    """Runs outside SecurityHeaders (added after it), so it can take the page policy off /assets/."""

    def __init__(self, app: ASGIApp, static_dir: Path | None = None) -> None:
        self.app, self.static_dir = app, static_dir

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith(ASSETS) or (path in VERSIONED and _versioned(scope)):
            await self.app(scope, receive, _with_headers(send, _immutable))
        elif path in ALWAYS_FRESH:
            await self.app(scope, receive, _with_headers(send, _fresh))
        elif scope["method"] in ("GET", "HEAD"):
            await self._page(scope, receive, send, self.static_dir or frontend_dir())
        else:
            await self.app(scope, receive, send)

    async def _page(self, scope: Scope, receive: Receive, send: Send, static_dir: Path) -> None:
        """A page: a signed-in one as the SPA shell, one with a folder without the redirect."""
        path = scope["path"]
        if _shell_page(path) and (static_dir / SPA_SHELL[1:]).is_file():
            link = page_scripts(static_dir, path)
            scope = {**scope, "path": SPA_SHELL}
            scope.pop("raw_path", None)
            await self.app(scope, receive, _with_headers(send, _linking(link)) if link else send)
        elif not path.endswith("/") and page_folder(static_dir, path):
            scope = {**scope, "path": path + "/"}
            if scope.get("raw_path"):
                scope["raw_path"] += b"/"
            await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _versioned(scope: Scope) -> bool:
    return "v" in parse_qs(scope.get("query_string", b"").decode("latin-1"))


def _immutable(message: Message, headers: MutableHeaders) -> None:
    if message["status"] in (200, 304):  # a 404 must not be kept for a year
        headers["Cache-Control"] = IMMUTABLE
    del headers["Content-Security-Policy"]


def _linking(link: str):
    def add(message: Message, headers: MutableHeaders) -> None:
        if message["status"] == 200:
            headers["Link"] = link

    return add


def _fresh(message: Message, headers: MutableHeaders) -> None:
    headers["Cache-Control"] = "no-cache"


def _with_headers(send: Send, change) -> Send:
    async def send_changed(message: Message) -> None:
        if message["type"] == "http.response.start":
            change(message, MutableHeaders(scope=message))
        await send(message)

    return send_changed
