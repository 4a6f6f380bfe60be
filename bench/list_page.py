"""Time from navigation to the first customer rows in Chromium, production build, 1,000,000 customers.

    .venv/bin/python bench/list_page.py                 # seeds 1,000,000 customers into a SQLite file
    .venv/bin/python bench/list_page.py --customers 100000 --runs 20
    .venv/bin/python bench/list_page.py --reuse         # again on the last run's database

Serves the app with ``reflex run --env prod --single-port`` on a fresh SQLite database, signs a
user in (a session cookie issued through the services), then loads /customers (cold, then warm)
and a search URL, each timed from ``page.goto`` to the first row being visible. Target: <= 1 s.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


EMAIL, PASSWORD = "page@bench.test", "bench-password-123"


def _seeded(db: Path) -> int | None:
    """Customers of the benchmark organization in a previous run's database (None: no such run)."""
    import sqlite3

    if not db.exists():
        return None
    try:
        with sqlite3.connect(db) as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM customer c WHERE c.organization_id = u.organization_id) "
                "FROM app_user u WHERE u.email = ?",
                (EMAIL,),
            ).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server did not answer {url} within {seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of a previous run with as many customers"
    )
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    db = RESULTS / "list_page.db"
    reuse = args.reuse and _seeded(db) == args.customers
    for suffix in ("", "-wal", "-shm"):
        if not reuse:
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    port = _free_port()
    env = {
        **os.environ,
        "CRM_DATABASE_URL": f"sqlite:///{db}",
        "CRM_PORT": str(port),
        "CRM_PUBLIC_URL": f"http://localhost:{port}",
        "CRM_ENV": "test",
        "CRM_SECRET_KEY": "bench-secret-key-not-for-production-use-0000",
        "REFLEX_USE_NPM": "1",
        "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
    }
    os.environ.update({k: env[k] for k in ("CRM_DATABASE_URL", "CRM_SECRET_KEY", "CRM_ENV")})

    from bench.common import create_bench_organization
    from crm_app.db import get_engine, session_scope
    from crm_app.services import auth
    from crm_app.services.seed import seed_customers

    if reuse:
        with session_scope() as session:
            signed = auth.sign_in(session=session, email=EMAIL, password=PASSWORD)
        print(f"reusing the {args.customers:,} customers seeded by a previous run")
    else:
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "alembic"), "upgrade", "head"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        org_id, signed = create_bench_organization(EMAIL, PASSWORD, name="Bench")
        started = time.perf_counter()
        seed_customers(
            get_engine(), org_id, args.customers, country="EC", seed=3, created_by=signed.actor.user_id
        )
        print(f"seeded {args.customers:,} customers in {time.perf_counter() - started:.1f} s")

    with open(RESULTS / "list_page_server.log", "w") as log:
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod", "--single-port"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait(f"http://localhost:{port}/ping", 300)
            _wait(f"http://localhost:{port}/login", 60)
            _print_page_weight("customers")
            _measure(port, args.runs, signed.token)
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


def _print_page_weight(route: str) -> None:
    """The JavaScript the page's HTML has the browser load before it can run (production build)."""
    import re

    client = ROOT / ".web" / "build" / "client"
    html = (client / f"{route}.html").read_text()
    scripts = sorted(set(re.findall(r"/?(assets/[\w.-]+\.js)", html)))
    raw = sum((client / s).stat().st_size for s in scripts)
    gz = sum((client / f"{s}.gz").stat().st_size for s in scripts if (client / f"{s}.gz").exists())
    largest = max(scripts, key=lambda s: (client / s).stat().st_size)
    print(
        f"/{route} loads {len(scripts)} scripts: {raw / 1024:,.0f} KB ({gz / 1024:,.0f} KB compressed); "
        f"largest {largest} {(client / largest).stat().st_size / 1024:,.0f} KB"
    )


def _measure(port: int, runs: int, token: str) -> None:
    from playwright.sync_api import sync_playwright

    from bench.common import session_cookies

    base = f"http://localhost:{port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for label, path in (
            ("list", "/customers"),
            ("search 'mar'", "/customers?q=mar"),
            ("phone digits '0991'", "/customers?q=0991"),
        ):
            timings = []
            for _ in range(runs):
                context = browser.new_context()
                context.add_cookies(session_cookies(token, base))
                page = context.new_page()
                marks: list[tuple[float, str]] = []
                _record_milestones(page, marks)
                t0 = time.perf_counter()
                page.goto(base + path)
                page.get_by_role("row").nth(1).wait_for(state="visible", timeout=30_000)
                timings.append((time.perf_counter() - t0) * 1000)
                context.close()
            print(
                f"{label:22s} navigation -> first rows: first {timings[0]:.0f} ms, "
                f"p50 {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms over {runs} runs"
            )
            print("    last run: " + ", ".join(f"{(t - t0) * 1000:.0f} ms {what}" for t, what in marks))
        browser.close()


def _record_milestones(page, marks: list[tuple[float, str]]) -> None:
    """Where the time goes: page load events and the websocket's event messages, timestamped."""
    import re

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


if __name__ == "__main__":
    main()
