"""Time from navigation to the first customer rows in Chromium, production build, 1,000,000 customers.

    .venv/bin/python bench/list_page.py                 # seeds 1,000,000 customers into a SQLite file
    .venv/bin/python bench/list_page.py --customers 100000 --runs 20
    .venv/bin/python bench/list_page.py --reuse         # again on the last run's database
    .venv/bin/python bench/list_page.py --network fast3g [--reuse]   # 100,000 customers, Fast 3G
    .venv/bin/python bench/list_page.py --network fast3g --viewport phone --reuse   # on a phone's screen

Serves the app with ``reflex run --env prod --single-port`` (its own web directory under bench/results,
each size its own database) on a fresh SQLite database, signs a user in (a session cookie issued
through the services), then loads /customers (cold, then warm) and a search URL. Target: <= 1 s.

Each time is read in the page (bench/page_timing.py): the first animation frame that shows the first
row, from the navigation's start. Playwright's own wait polls from this process, every 500 ms after its
first 270 ms, and reported 0.1-0.45 s late: figures before 2026-12-05 17:30 were measured that way.

``--network fast3g`` (bench/fast3g.py): Fast 3G (1.6 Mbps down, 750 kbps up, 150 ms RTT) and a 4x
slower CPU through CDP; a first visit (new context) and a repeat visit (new tab, same context: warm HTTP
cache and the service worker) of /customers to its first rows and of a profile to its name; the
JavaScript /customers loads, as transferred and compressed here. Targets: first <= 3.0 s, repeat
<= 1.5 s, JS <= 250 KB compressed. Besides the frame, it prints when Chromium painted the row or the
header (Element Timing).

The figures, what changed them and what was tried and dropped: docs/performance.md.
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
WEB_DIR = RESULTS / "list_page_web"
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


def _a_profile(db: Path, email: str) -> tuple[str, str]:
    """The profile path and the name of one customer of the benchmark organization."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        customer_id, name = conn.execute(
            "SELECT c.id, c.display_name FROM customer c JOIN app_user u "
            "ON u.organization_id = c.organization_id "
            "WHERE u.email = ? AND c.deleted_at IS NULL ORDER BY c.id LIMIT 1",
            (email,),
        ).fetchone()
    return f"/customers/{customer_id}", name


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
    parser.add_argument("--customers", type=int, help="1,000,000 (100,000 with --network fast3g)")
    parser.add_argument("--runs", type=int, help="10 (3 with --network fast3g)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of a previous run with as many customers"
    )
    parser.add_argument("--network", choices=["none", "fast3g"], default="none",
                        help="fast3g: Fast 3G and a 4x slower CPU, first and repeat visits (bench/fast3g.py)")
    parser.add_argument("--viewport", choices=["desktop", "phone"], default="desktop",
                        help="with --network fast3g: a desktop's window (a table) or a phone's (cards)")
    args = parser.parse_args()
    fast3g = args.network == "fast3g"
    args.customers = args.customers or (100_000 if fast3g else 1_000_000)
    args.runs = args.runs or (3 if fast3g else 10)

    RESULTS.mkdir(parents=True, exist_ok=True)
    db = RESULTS / f"list_page_{args.customers}.db"  # each size its own database: a 100k run keeps the 1M one
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
        # A build of its own: never the tree's .web/ that developers and other runs build into.
        "REFLEX_WEB_WORKDIR": str(WEB_DIR),
        "REFLEX_STATES_WORKDIR": str(RESULTS / "list_page_states"),
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
    }
    os.environ.update({k: env[k] for k in ("CRM_DATABASE_URL", "CRM_SECRET_KEY", "CRM_ENV")})

    from bench.common import create_bench_organization
    from crm_app.db import get_engine, session_scope
    from crm_app.services import auth
    from crm_app.services.seed import seed_customers

    # A database kept from a run of older code gets the migrations since (its pages would fail on them).
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "alembic"), "upgrade", "head"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if reuse:
        with session_scope() as session:
            signed = auth.sign_in(session=session, email=EMAIL, password=PASSWORD)
        print(f"reusing the {args.customers:,} customers seeded by a previous run")
    else:
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
            load_before = os.getloadavg()
            if fast3g:
                from bench.common import session_cookies
                from bench.fast3g import measure

                measure(f"http://localhost:{port}", session_cookies(signed.token, f"http://localhost:{port}"),
                        _a_profile(db, EMAIL), args.runs, CHROMIUM_ARGS, phone=args.viewport == "phone")
            else:
                _measure(port, args.runs, signed.token)
            print("load average (1, 5, 15 min): before the measured phase "
                  + " ".join(f"{v:.2f}" for v in load_before) + ", after "
                  + " ".join(f"{v:.2f}" for v in os.getloadavg()))
            log.flush()
            errors = (RESULTS / "list_page_server.log").read_text(errors="replace").count("Traceback")
            if errors:  # the figures are of a page that failed somewhere: not to be quoted
                print(f"WARNING: the server logged {errors} errors during the run "
                      f"({RESULTS / 'list_page_server.log'}); these figures are not valid")
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


def _print_page_weight(route: str) -> None:
    """The JavaScript the page's HTML has the browser load before it can run (production build)."""
    import re

    client = WEB_DIR / "build" / "client"
    html = (client / f"{route}.html").read_text()
    scripts = sorted(set(re.findall(r"/?(assets/[\w.-]+\.js)", html)))
    raw = sum((client / s).stat().st_size for s in scripts)
    gz = sum((client / f"{s}.gz").stat().st_size for s in scripts if (client / f"{s}.gz").exists())
    largest = max(scripts, key=lambda s: (client / s).stat().st_size)
    print(
        f"/{route} loads {len(scripts)} scripts: {raw / 1024:,.0f} KB ({gz / 1024:,.0f} KB gzip files); "
        f"largest {largest} {(client / largest).stat().st_size / 1024:,.0f} KB"
    )


def _measure(port: int, runs: int, token: str) -> None:
    from playwright.sync_api import sync_playwright

    from bench.common import session_cookies
    from bench.page_timing import goto_until_shown, record_milestones

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
                record_milestones(page, marks)
                t0 = time.perf_counter()
                timings.append(goto_until_shown(page, base + path, "tbody tr", None, timeout_ms=30_000))
                context.close()
            print(
                f"{label:22s} navigation -> first rows: first {timings[0]:.0f} ms, "
                f"p50 {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms over {runs} runs"
            )
            print("    last run: " + ", ".join(f"{(t - t0) * 1000:.0f} ms {what}" for t, what in marks))
        browser.close()


if __name__ == "__main__":
    main()
