"""Fast 3G on a 4x slower CPU: first and repeat visits of /customers and a profile, and the JavaScript
the first route loads (``bench/list_page.py --network fast3g`` runs it).

The network and CPU are throttled through the Chrome DevTools Protocol on every page (a page's own
session: a new tab starts unthrottled). A first visit is a new browser context (empty HTTP cache) with
service workers blocked; the repeat visit is a second tab of a context whose first (unmeasured) visit
installed the service worker, so it has the warm HTTP cache and the worker. "service worker active"
counts the visits a worker controlled when their rows showed. The DevTools throttling covers the page's
own requests, not the worker's: the repeat visit's page shell, which the worker asks the network for,
arrives unthrottled (one round trip and 4 KB sooner than on a phone).
"""

from __future__ import annotations

import gzip
import statistics
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.page_timing import (
    FIRST_NAME,
    PAINT_TIMING,
    first_painted,
    goto_until_shown,
    painted_ms,
    record_milestones,
)

# Chrome DevTools' "Fast 3G" figures as the issue gives them: 1.6 Mbps down, 750 kbps up, 150 ms RTT.
FAST_3G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
           "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
ROWS_TIMEOUT_MS = 60_000
# Whether a service worker controls the page (it claimed it, or it was there before the navigation).
SW_CONTROLLING = "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"
# Wait (up to 10 s) for a service worker the page registered to be active, so the repeat visit can use it.
SW_READY = """() => !navigator.serviceWorker ? false : navigator.serviceWorker.getRegistration().then(r =>
  !r ? false : r.active ? true : Promise.race([navigator.serviceWorker.ready.then(() => true),
                                               new Promise(done => setTimeout(() => done(false), 10000))]))"""


@dataclass
class Visit:
    ms: float  # the first frame that showed the row or header, from the navigation's start (in the page)
    sw_active: bool
    painted_ms: float | None = None  # the row's or header's paint (Element Timing), from navigation
    title_ms: float | None = None  # the page's first <h1> painted ("Clientes" above the list)
    harness_ms: float | None = None  # from goto to the frame check's answer here (this process's clock)
    scripts: dict[str, int] = field(default_factory=dict)  # URL -> bytes on the wire (headers included)
    encodings: set[str] = field(default_factory=set)
    marks: list[tuple[float, str]] = field(default_factory=list)  # (seconds since start, what happened)


def throttled_page(context):
    """A new tab with Fast 3G and the slower CPU; the CDP session records the scripts it loads."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    urls: dict[str, str] = {}
    visit = Visit(0.0, False)

    def received(event: dict) -> None:
        if event.get("type") == "Script":
            urls[event["requestId"]] = event["response"]["url"]
            encoding = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
            visit.encodings.add(encoding.get("content-encoding", "identity"))

    def finished(event: dict) -> None:
        if event["requestId"] in urls:
            visit.scripts[urls[event["requestId"]]] = int(event["encodedDataLength"])

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    return page, visit


def timed_visit(context, url: str, ready: tuple[str, str | None],
                painted: Callable[[list[dict]], float | None]) -> Visit:
    """``ready``: the selector of what the visit waits for, and the text it must have (None: any)."""
    page, visit = throttled_page(context)
    page.add_init_script(PAINT_TIMING)
    marks: list[tuple[float, str]] = []
    record_milestones(page, marks)
    started = time.perf_counter()
    visit.ms = goto_until_shown(page, url, *ready, timeout_ms=ROWS_TIMEOUT_MS)
    visit.harness_ms = (time.perf_counter() - started) * 1000
    visit.marks = [(t - started, what) for t, what in marks if t - started <= visit.harness_ms / 1000]
    visit.painted_ms = painted_ms(page, painted)
    visit.title_ms = first_painted("h1")(page.evaluate("window.__crmPainted || []"))
    visit.sw_active = bool(page.evaluate(SW_CONTROLLING))
    # Let a service worker the page registers finish installing: the repeat visit is meant to find it.
    page.evaluate(SW_READY)
    page.close()
    return visit


def first_and_repeat(browser, cookies: list[dict], url: str, ready: tuple[str, str | None],
                     painted: Callable, runs: int,
                     device: dict | None = None) -> tuple[list[Visit], list[Visit]]:
    """``device``: Playwright's description of a phone (viewport, touch, user agent); a desktop's without."""
    firsts, repeats = [], []
    for _ in range(runs):
        # The first visit without a service worker: one that installs during the visit would fetch the
        # page's later scripts itself, past the page's throttling (CDP throttles the page, not the worker).
        context = browser.new_context(**(device or {}), service_workers="block")
        context.add_cookies(cookies)
        firsts.append(timed_visit(context, url, ready, painted))
        context.close()
        # The repeat visit: a first visit installs the worker and fills the caches, then the one measured.
        context = browser.new_context(**(device or {}))
        context.add_cookies(cookies)
        timed_visit(context, url, ready, painted)
        repeats.append(timed_visit(context, url, ready, painted))
        context.close()
    return firsts, repeats


def _summary(visits: list[Visit], title: bool = False) -> str:
    """``title``: also when the page's <h1> was painted (the list's frame, before its rows)."""
    times = [v.ms for v in visits]
    active = sum(v.sw_active for v in visits)
    worker = f"service worker active in {active}" if active else "no service worker"
    painted = [v.painted_ms for v in visits if v.painted_ms is not None]
    paint = (f"; painted (Element Timing) p50 {statistics.median(painted):,.0f} ms, max {max(painted):,.0f}"
             if painted else "; painted: not reported")
    titles = [v.title_ms for v in visits if v.title_ms is not None]
    if title and titles:
        paint += f"; its title painted p50 {statistics.median(titles):,.0f}"
    harness = statistics.median(v.harness_ms for v in visits)
    return (f"shown p50 {statistics.median(times):,.0f} ms, min {min(times):,.0f}, max {max(times):,.0f} "
            f"over {len(times)}, {worker}{paint}; known here at p50 {harness:,.0f}")


def script_weight(scripts: dict[str, int]) -> str:
    """The scripts as served, and the same files compressed here (gzip -6, brotli at its default 11)."""
    bodies = []
    for url in scripts:
        # No Accept-Encoding: the file itself, to compress here the same way for every build.
        with urllib.request.urlopen(url, timeout=30) as response:
            bodies.append(response.read())
    raw = sum(map(len, bodies))
    gz = sum(len(gzip.compress(body, 6)) for body in bodies)
    try:
        import brotli

        br = f", brotli {sum(len(brotli.compress(body)) for body in bodies) / 1024:,.0f} KB"
    except ImportError:  # an optional extra: without it, gzip alone
        br = ""
    return (f"{len(bodies)} JS files: {sum(scripts.values()) / 1024:,.0f} KB transferred, "
            f"{raw / 1024:,.0f} KB uncompressed; gzip -6 {gz / 1024:,.0f} KB{br}")


# The phone of ``--viewport phone``: a mid-range Android's screen (412 x 915 CSS px), touch and user agent.
PHONE = "Pixel 7"


def measure(base: str, cookies: list[dict], profile: tuple[str, str], runs: int, chromium_args: list[str],
            phone: bool = False) -> None:
    """Print first and repeat visits of /customers and of a profile (its path, its customer's name), on a
    desktop's window or (``phone``) a phone's screen, where the list shows cards instead of a table."""
    from playwright.sync_api import sync_playwright

    profile_path, name = profile

    rows = (FIRST_NAME, None)  # the first customer's name: a row's on a desktop, a card's on a phone
    header = ("h1", name)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=chromium_args)
        device = p.devices[PHONE] if phone else None
        for label, path, ready, painted in (("/customers", "/customers", rows, first_painted("row")),
                                            ("profile", profile_path, header, first_painted("h1", name))):
            firsts, repeats = first_and_repeat(browser, cookies, base + path, ready, painted, runs, device)
            print(f"{label:11s} first visit  -> {'first rows' if ready is rows else 'its header'}: "
                  f"{_summary(firsts, title=ready is rows)}")
            print(f"{label:11s} repeat visit -> {'first rows' if ready is rows else 'its header'}: "
                  f"{_summary(repeats, title=ready is rows)}")
            for kind, visit in (("first", firsts[-1]), ("repeat", repeats[-1])):
                marks = ", ".join(f"{t * 1000:,.0f} ms {what}" for t, what in visit.marks)
                print(f"    last {kind} visit: {marks}")
            if ready is rows:
                first = firsts[0]
                print(f"/customers first visit loads {script_weight(first.scripts)} "
                      f"(served as {', '.join(sorted(first.encodings))})")
                print(f"/customers repeat visit: {sum(repeats[0].scripts.values()) / 1024:,.1f} KB of JS "
                      f"on the wire")
        browser.close()
