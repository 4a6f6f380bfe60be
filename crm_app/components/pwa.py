"""What makes Clientela installable, in the head of every page (rx.App head_components).

The files themselves are static assets, served at the site root (Reflex copies assets/ into the build):
``/manifest.webmanifest`` (name, colours, icons drawn by crm_app/ops/pwa_icons.py), ``/sw.js`` (the
service worker: what it caches and why none of it is a user's data is said at its top),
``/offline.html`` and ``/pwa.js``, which registers the worker after the page has loaded. No inline
script: the Content-Security-Policy runs only the app's own files.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import reflex as rx

ASSETS = Path(__file__).resolve().parents[2] / "assets"

# The app's accent in light mode (assets/styles.css --teal-9), also the manifest's theme_color.
THEME_COLOR = "#0b7f71"
MANIFEST = "/manifest.webmanifest"


@cache
def versioned(path: str) -> str:
    """``/pwa.js?v=<its content's hash>``: a page names the copy it was built with, which the service
    worker (assets/sw.js) and the browser may keep without asking the network again. A repeat visit
    on a phone no longer waits a round trip (150 ms on 3G) for each of the head's scripts."""
    digest = hashlib.sha256((ASSETS / path.lstrip("/")).read_bytes()).hexdigest()[:12]
    return f"{path}?v={digest}"


def pwa_head() -> list[rx.Component]:
    return [
        rx.el.link(rel="manifest", href=MANIFEST),
        rx.el.meta(name="theme-color", content=THEME_COLOR),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.script(src=versioned("/pwa.js"), defer=True),
    ]
