"""The installable app in Chromium, through the production build: the manifest and its icons, the service
worker, Chromium's own installability check, a repeat visit with the network cut, the offline page in the
reader's language and its way back, and a Cache Storage that keeps nothing of the user."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    AppServer,
    make_org_with_admin,
    path_is,
    sign_in,
    wait_hydrated,
)

pytestmark = pytest.mark.e2e

# Every key of the service worker's caches, as a path: the build's hashed files, the fixed files, and
# page shells of plain-word routes. No query (but the head scripts' version), id, token or backend path.
ALLOWED_KEY = re.compile(
    r"^/(assets/[\w.\-]+|icons/[\w.\-]+\.png|[a-z_.\-]+(/[a-z_\-]+)*|(pwa|session_marker)\.js\?v=[0-9a-f]{12})?$")


@pytest.fixture
def profile_context(playwright: Playwright, tmp_path) -> Iterator[BrowserContext]:
    """Chromium with a profile on disk: it never offers to install from an incognito context, which is
    what the other tests' fresh contexts are."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, locale="es-EC")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _wait_controlled_and_cached(page: Page) -> None:
    """The worker controls the page and has kept what the page loaded before it did."""
    page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null && window.__clientelaOfflineReady")


def _cache_keys(page: Page) -> list[str]:
    return page.evaluate("""async () => {
        const keys = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) keys.push(request.url);
        }
        return keys;
    }""")


def _cached_pages_text(page: Page) -> str:
    return page.evaluate("""async () => {
        let text = "";
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                const response = await cache.match(request);
                if ((response.headers.get("content-type") || "").startsWith("text/html")) {
                    text += await response.text();
                }
            }
        }
        return text;
    }""")


def test_manifest_icons_and_service_worker_make_the_app_installable(
    app_server: AppServer, profile_context: BrowserContext,
) -> None:
    context = profile_context
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(app_server.url("/login"))
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    assert page.locator('link[rel="manifest"]').get_attribute("href") == "/manifest.webmanifest"
    assert page.locator('meta[name="theme-color"]').get_attribute("content") == "#0b7f71"

    with httpx.Client(base_url=app_server.base_url, timeout=10) as http:
        answer = http.get("/manifest.webmanifest")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/manifest+json")
        assert answer.headers["cache-control"] == "no-cache"
        manifest = answer.json()
        assert manifest["name"] == "Clientela" and manifest["short_name"]
        assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
        assert manifest["theme_color"] == "#0b7f71" and manifest["background_color"] == "#ffffff"
        kinds = set()
        for icon in manifest["icons"]:
            image = Image.open(io.BytesIO(http.get(icon["src"]).content))
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]  # really that size
            kinds.add((image.width, icon["purpose"]))
        assert kinds == {(192, "any"), (512, "any"), (192, "maskable"), (512, "maskable")}

        worker = http.get("/sw.js")
        assert worker.status_code == 200 and "javascript" in worker.headers["content-type"]
        assert worker.headers["cache-control"] == "no-cache"  # a new worker is seen at the next visit
        csp = http.get("/login").headers["content-security-policy"]
        assert "manifest-src 'self'" in csp and "worker-src 'self'" in csp

    _wait_controlled_and_cached(page)
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == app_server.url("/")

    # Chromium's own check, the one that decides whether it offers to install the app.
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    assert cdp.send("Page.getAppManifest")["errors"] == []


def test_repeat_visit_offline_shows_the_cached_app_and_the_offline_page_comes_back_by_itself(
    app_server: AppServer, context: BrowserContext, page: Page,
) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    expect(page.get_by_role("heading", name=f"Hola, {admin.name}")).to_be_visible()
    _wait_controlled_and_cached(page)

    # The network is cut: the home page still opens, from the cache, and its scripts run.
    context.set_offline(True)
    page.reload()
    expect(page).to_have_title("Inicio · Clientela")
    wait_hydrated(page)
    expect(page.get_by_role("heading", name="Sin conexión")).to_have_count(0)
    # The app's own notice that the server cannot be reached, in the reader's language.
    expect(page.get_by_text("Sin conexión con el servidor")).to_be_visible()
    expect(page.get_by_text("Cannot connect to server")).to_have_count(0)
    expect(page.get_by_role("img", name="Sin conexión con el servidor")).to_be_visible()  # the corner icon
    expect(page.locator("[title^='Connection Error']")).to_have_count(0)
    # Back online, the open app reconnects by itself: the notice goes, the user's page shows.
    context.set_offline(False)
    expect(page.get_by_text("Sin conexión con el servidor")).to_have_count(0, timeout=20_000)
    expect(page.get_by_role("heading", name=f"Hola, {admin.name}")).to_be_visible(timeout=20_000)
    context.set_offline(True)

    # A page never visited: the offline page, in the app's language, with a button a thumb can hit.
    page.goto(app_server.url("/customers/987654"))
    expect(page.get_by_role("heading", name="Sin conexión")).to_be_visible()
    retry = page.get_by_role("button", name="Reintentar")
    box = retry.bounding_box()
    assert box is not None and box["height"] >= 44
    violations = Axe().run(page).response["violations"]  # contrast 4.5:1, language, landmarks...
    assert [(v["id"], v["impact"]) for v in violations] == []
    retry.click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Todavía sin conexión"))

    # The language cookie of the app decides (Portuguese here), whatever the browser's language.
    context.add_cookies([{"name": "crm_lang", "value": "pt", "url": app_server.base_url}])
    page.goto(app_server.url("/customers/987655"))
    expect(page.get_by_role("heading", name="Sem conexão")).to_be_visible()
    expect(page.get_by_role("button", name="Tentar novamente")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "pt"
    context.add_cookies([{"name": "crm_lang", "value": "es", "url": app_server.base_url}])

    # The network is back: the page notices by itself and shows what the user asked for.
    context.set_offline(False)
    expect(page.get_by_role("heading", name="Sem conexão")).to_have_count(0, timeout=20_000)
    expect(page).to_have_url(path_is("/customers/987655"))
    wait_hydrated(page)


def test_cache_storage_keeps_nothing_of_the_signed_in_user(
    app_server: AppServer, page: Page,
) -> None:
    admin = make_org_with_admin(app_server.db_url)
    sign_in(page, app_server.base_url, admin.email, admin.password)
    _wait_controlled_and_cached(page)
    # Full loads of a searched list and of a profile: the search and the id stay out of the caches.
    page.goto(app_server.url("/customers?q=secreto-pwa"))
    wait_hydrated(page)
    page.goto(app_server.url("/customers/424242"))
    wait_hydrated(page)
    page.goto(app_server.url("/settings/users"))
    expect(page.get_by_text(admin.email, exact=True).first).to_be_visible()

    page.get_by_role("button", name="Menú de usuario").click()
    page.get_by_role("menuitem", name="Cerrar sesión").click()
    expect(page).to_have_url(path_is("/login"))
    wait_hydrated(page)

    keys = _cache_keys(page)
    paths = [urlsplit(key).path + ("?" + urlsplit(key).query if urlsplit(key).query else "") for key in keys]
    assert "/" in paths and "/customers" in paths and any(p.startswith("/assets/") for p in paths)
    # The head's scripts by the version the pages name: kept, so a repeat visit does not wait for them.
    assert {p.split("?")[0] for p in paths if "?v=" in p} == {"/pwa.js", "/session_marker.js"}
    assert [p for p in paths if not ALLOWED_KEY.match(p)] == []
    assert not any("424242" in p or "secreto" in p or p.startswith(("/api", "/_")) for p in paths)
    text = _cached_pages_text(page)
    assert admin.email not in text and admin.name not in text
