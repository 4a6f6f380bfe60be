"""When a page showed what a benchmark waits for, measured in the page (bench/list_page.py, bench/fast3g.py).

- ``goto_until_shown``: the first animation frame in which the element is in the document and visible,
  read in the page (``performance.now()``, from the navigation's start). Playwright's own wait
  (``locator.wait_for``) polls from this process at 0, 20, 70, 170 and 270 ms, then every 500 ms
  (Playwright 1.65, ``retryWithProgressAndBackoff``): a row a page showed at 1.45 s was reported at
  1.7-1.9 s. Figures before 2026-12-05 17:30 were taken that way (docs/performance.md).
- ``PAINT_TIMING``: when Chromium painted the first customer's name or the page's <h1> (Element Timing).
- ``record_milestones``: page load events and the websocket's event messages, timestamped here.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

# When the first row's name or the page's <h1> was painted, by Chromium's Element Timing: a
# MutationObserver marks each as it is inserted (before its first paint) and a PerformanceObserver keeps
# the paint time, from the navigation's start. The first customer's name on /customers: in the table's
# first row, or on the first card (a phone).
FIRST_NAME = "tbody tr th a, .crm-cards a"
PAINT_TIMING = """(() => {
  const FIRST_NAME = "__FIRST_NAME__";
  window.__crmPainted = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const text = ((entry.element && entry.element.textContent) || "").trim();
      window.__crmPainted.push({what: entry.identifier, text, ms: entry.renderTime || entry.loadTime});
    }
  }).observe({type: "element", buffered: true});
  const mark = () => {
    const name = document.querySelector(FIRST_NAME);
    if (name && !name.hasAttribute("elementtiming")) name.setAttribute("elementtiming", "row");
    for (const h1 of document.querySelectorAll("h1:not([elementtiming])")) {
      h1.setAttribute("elementtiming", "h1");
    }
  };
  new MutationObserver(mark).observe(document, {subtree: true, childList: true});
})();""".replace("__FIRST_NAME__", FIRST_NAME)


# Run by the page on each animation frame (Playwright's ``polling="raf"``): keeps the first frame's time.
SHOWN_IN_FRAME = """([selector, name]) => {
  const shown = [...document.querySelectorAll(selector)].find((el) =>
    (name === null || el.textContent.trim() === name) && el.checkVisibility());
  if (shown && window.__crmShown === undefined) window.__crmShown = performance.now();
  return !!shown;
}"""


def goto_until_shown(page, url: str, selector: str, text: str | None, timeout_ms: float) -> float:
    """Navigate and return when (ms from the navigation's start) the page first showed ``selector``
    (with ``text``, if given): a check the page runs on each animation frame keeps that time."""
    # Not goto's default wait for "load": the frame check starts with the page's first frames.
    page.goto(url, wait_until="commit")
    page.wait_for_function(SHOWN_IN_FRAME, arg=[selector, text], polling="raf", timeout=timeout_ms)
    return page.evaluate("window.__crmShown")


def first_painted(what: str, text: str | None = None) -> Callable[[list[dict]], float | None]:
    """Picks from PAINT_TIMING's entries the first paint of ``what`` ("row", "h1"), with ``text`` if given."""
    def pick(entries: list[dict]) -> float | None:
        times = [e["ms"] for e in entries if e["what"] == what and (text is None or e["text"] == text)]
        return min(times) if times else None

    return pick


def painted_ms(page, pick: Callable[[list[dict]], float | None], wait_ms: int = 1000) -> float | None:
    """The paint ``pick`` finds in PAINT_TIMING's entries (None: not reported within ``wait_ms``).
    Element Timing reports a paint after its frame, so the page is asked again for a moment."""
    deadline = time.monotonic() + wait_ms / 1000
    while True:
        found = pick(page.evaluate("window.__crmPainted || []"))
        if found is not None or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(50)


def record_milestones(page, marks: list[tuple[float, str]]) -> None:
    """Where the time goes: page load events and the websocket's event messages, timestamped."""
    def frame(direction: str, payload) -> None:
        text = payload if isinstance(payload, str) else ""
        if direction == "->":
            event = re.search(r'"name":"([\w.]+)"', text)
            what = f"sent {event.group(1).rsplit('.', 1)[-1]}" if event else ""
        else:
            what = f"received {len(text) / 1024:.1f} KB" + (" with rows" if '"rows' in text else "")
        if what:
            marks.append((time.perf_counter(), what))

    page.on("domcontentloaded", lambda _: marks.append((time.perf_counter(), "DOMContentLoaded")))
    page.on("load", lambda _: marks.append((time.perf_counter(), "load")))

    def websocket(ws) -> None:
        marks.append((time.perf_counter(), "websocket opened"))
        ws.on("framesent", lambda payload: frame("->", payload))
        ws.on("framereceived", lambda payload: frame("<-", payload))

    page.on("websocket", websocket)
