"""The installable app's static files (assets/): the manifest and its icons, the offline page's texts and
colours, and the no-cache header of the files a browser must see again after a deploy."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from PIL import Image

from crm_app.api.security_headers import content_security_policy
from crm_app.components.connection_toast import LocalizedConnectionToaster, connection_texts
from crm_app.components.pwa import MANIFEST, THEME_COLOR
from crm_app.i18n import LANGUAGES
from crm_app.ops import pwa_icons
from crm_app.settings import load_settings

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def _manifest() -> dict:
    return json.loads((ASSETS / MANIFEST.lstrip("/")).read_text())


def test_manifest_names_the_app_and_its_icons_are_really_192_and_512():
    manifest = _manifest()
    assert manifest["name"] == "Clientela" and manifest["short_name"] == "Clientela"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["theme_color"] == THEME_COLOR and manifest["background_color"] == "#ffffff"
    found = set()
    for icon in manifest["icons"]:
        with Image.open(ASSETS / icon["src"].lstrip("/")) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
            found.add((image.width, icon["purpose"]))
    assert found == {(192, "any"), (512, "any"), (192, "maskable"), (512, "maskable")}


@pytest.mark.parametrize("size", pwa_icons.SIZES)
def test_maskable_icon_keeps_its_mark_inside_the_safe_zone_and_fills_every_edge(size):
    with Image.open(ASSETS / "icons" / pwa_icons.file_name(size, "maskable")) as image:
        pixels = image.convert("RGBA").load()
    centre, safe = size / 2, size * 0.40
    for x in range(size):
        for y in range(size):
            if pixels[x, y] != pwa_icons.TEAL:  # part of the mark (or its smoothed edge)
                assert math.hypot(x + 0.5 - centre, y + 0.5 - centre) < safe, (x, y)
    corners = [(0, 0), (size - 1, 0), (0, size - 1), (size - 1, size - 1)]
    assert all(pixels[x, y][3] == 255 for x, y in corners)


def test_committed_icons_are_what_the_script_draws():
    """A changed drawing is committed with its PNGs: ``python -m crm_app.ops.pwa_icons``."""
    for kind in ("any", "maskable"):
        for size in pwa_icons.SIZES:
            with Image.open(ASSETS / "icons" / pwa_icons.file_name(size, kind)) as image:
                committed = image.convert("RGBA").tobytes()
            assert committed == pwa_icons.render(size, kind).tobytes(), pwa_icons.file_name(size, kind)


def _offline_texts() -> dict[str, dict[str, str]]:
    html = (ASSETS / "offline.html").read_text()
    block = re.search(r'<script id="offline-texts" type="application/json">(.*?)</script>', html, re.S)
    assert block, "offline.html lost its texts"
    return json.loads(block.group(1))


def test_offline_page_says_the_same_things_in_spanish_english_and_portuguese():
    texts = _offline_texts()
    assert set(texts) == {"es", "en", "pt"}
    keys = set(texts["es"])
    assert {"title", "body", "retry"} <= keys
    for lang, entries in texts.items():
        assert set(entries) == keys, lang
        assert all(value.strip() for value in entries.values()), lang
    assert texts["es"]["retry"] == "Reintentar"
    # What shows before its script runs (or if it never does) is the Spanish text.
    html = (ASSETS / "offline.html").read_text()
    assert f">{texts['es']['title']}</h1>" in html and f">{texts['es']['retry']}</button>" in html


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_offline_page_colours_reach_4_5_to_1():
    css = (ASSETS / "offline.html").read_text()
    body = re.search(r"body \{[^}]*background: (#\w{6}); color: (#\w{6})", css)
    status = re.search(r"\.status \{ color: (#\w{6})", css)
    button = re.search(r"button \{[^}]*color: (#\w{6}); background: (#\w{6})", css)
    hover = re.search(r"button:hover \{ background: (#\w{6})", css)
    assert body and status and button and hover
    page = body.group(1)
    pairs = [(body.group(2), page), (status.group(1), page), button.groups(),
             (button.group(1), hover.group(1))]
    for text, background in pairs:
        assert _contrast(text, background) >= 4.5, (text, background)


def test_security_policy_allows_our_own_manifest_and_worker_only():
    directives = dict(d.strip().split(" ", 1) for d in content_security_policy(load_settings({})).split(";"))
    assert directives["manifest-src"] == "'self'" and directives["worker-src"] == "'self'"


def test_service_worker_leaves_the_backend_and_users_data_to_the_network():
    worker = (ASSETS / "sw.js").read_text()
    never = re.search(r"const NETWORK_ONLY = /(.*)/;", worker)
    assert never
    pattern = re.compile(never.group(1).replace(r"\/", "/"))
    for path in ["/_event", "/_event/", "/api/files/3", "/api/customers/export", "/_upload/x.png", "/ping"]:
        assert pattern.match(path), path
    for path in ["/", "/customers", "/assets/app.js", "/apiary"]:
        assert not pattern.match(path), path


def test_connection_notice_carries_every_language_and_no_english_reflex_text():
    texts = connection_texts()
    assert set(texts) == set(LANGUAGES)
    assert texts["es"]["title"] == "Sin conexión con el servidor"
    assert all(entry["title"].strip() and entry["hint"].strip() for entry in texts.values())
    hooks = "\n".join(str(hook) for hook in LocalizedConnectionToaster.create().add_hooks())
    assert "crm_lang" in hooks and texts["en"]["hint"] in hooks
    assert "Cannot connect to server" not in hooks
