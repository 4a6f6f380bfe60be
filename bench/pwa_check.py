"""Is Clientela installable, and what does its service worker save? Chromium's own answer, with figures.

    .venv/bin/python bench/pwa_check.py                          # serves a fresh production build itself
    .venv/bin/python bench/pwa_check.py --url http://localhost:3000    # a running app (make run, make prod)
    .venv/bin/python bench/pwa_check.py --network fast3g         # 1.6 Mbps down, 150 ms RTT, CPU 4x slower

Opens the sign-in page in Chromium with a profile on disk (Chromium never offers to install from an
incognito window) and prints: the installability errors Chromium reports (CDP
``Page.getInstallabilityErrors``, what decides its install prompt; none is the goal), the manifest's
errors, what the service worker keeps (files and bytes per cache), and the time from navigation to a
hydrated page for a first visit, a repeat visit (the worker answering the build's files from its cache)
and a repeat visit with the network cut. Exit 1 when Chromium finds the app not installable.

The network emulation applies to the page's requests; the worker's own fetches (a page shell, network
first) are not throttled by it, so the repeat-visit time is a lower bound on a real slow network: the
count of requests that went through the worker is the figure to compare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAST_3G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
HYDRATED = "() => !!document.body && Object.keys(document.body).some(k => k.startsWith('__reactFiber$'))"
CACHES = """async () => {
    const out = {};
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        let bytes = 0, files = 0;
        for (const request of await cache.keys()) {
            bytes += (await (await cache.match(request)).arrayBuffer()).byteLength;
            files += 1;
        }
        out[name] = [files, bytes];
    }
    return out;
}"""


def _timed_visit(page, url: str) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(HYDRATED, timeout=60_000)
    return time.perf_counter() - started


def _throttle(cdp, network: str) -> None:
    if network == "fast3g":
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", FAST_3G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})


def check(base_url: str, network: str, runs: int) -> int:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    url = base_url.rstrip("/") + "/login"
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, locale="es-EC")
        page = context.pages[0] if context.pages else context.new_page()
        cdp = context.new_cdp_session(page)
        _throttle(cdp, network)
        first = _timed_visit(page, url)
        page.wait_for_function(
            "() => navigator.serviceWorker.controller !== null && window.__clientelaOfflineReady",
            timeout=120_000)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        manifest = cdp.send("Page.getAppManifest")
        kept = page.evaluate(CACHES)
        responses = []

        def keep(response) -> None:
            responses.append(response)

        page.on("response", keep)
        repeat = [_timed_visit(page, url) for _ in range(runs)]
        page.remove_listener("response", keep)
        by_worker = sum(1 for r in responses if r.from_service_worker) / runs
        total = len(responses) / runs
        context.set_offline(True)
        offline = [_timed_visit(page, url) for _ in range(runs)]
        context.close()

    print(f"app: {base_url}   network: {network}   runs: {runs}   load average: {os.getloadavg()[0]:.2f}")
    print(f"installability errors (Chromium): {[e['errorId'] for e in errors] or 'none'}")
    print(f"manifest: {manifest['url']}   errors: {[e['message'] for e in manifest['errors']] or 'none'}")
    for name, (files, size) in sorted(kept.items()):
        print(f"cache {name}: {files} files, {size / 1024:.0f} KB")
    print(f"first visit (no worker yet):      {first:.2f} s")
    print(f"repeat visit, online (median):    {statistics.median(repeat):.2f} s   "
          f"({by_worker:.0f} of {total:.0f} requests through the worker: hashed files from its cache, "
          "the page and a few fixed files network first)")
    print(f"repeat visit, network cut (med.): {statistics.median(offline):.2f} s")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running Clientela; without it a production build is served here")
    parser.add_argument("--network", choices=["none", "fast3g"], default="none")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with ExitStack() as stack:
        base_url = args.url
        if not base_url:
            from tests.e2e.conftest import running_server

            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pwa-check-")))
            base_url = stack.enter_context(running_server(workdir, name="pwa")).base_url
        return check(base_url, args.network, args.runs)


if __name__ == "__main__":
    sys.exit(main())
