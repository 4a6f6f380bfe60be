"""Customer list search at scale, through the list page's real event handler.

    .venv/bin/python bench/list_search.py                       # 1,000,000 customers, SQLite + PostgreSQL
    .venv/bin/python bench/list_search.py --customers 100000 --backend sqlite
    .venv/bin/python bench/list_search.py --reuse     # the searches again on the last run's databases
    .venv/bin/python bench/list_search.py --organizations 100 --customers 1000000  # many tenants, PostgreSQL
                                                      # (bench/tenants_report.py says what it prints)

For each backend: a fresh database, migrated; one organization seeded with N customers; then 200
varied list queries (names with and without accents, phone digits, tax IDs, e-mails, 1-3 letter
prefixes, filters, sorts, next pages) sent through ``CustomersState.load`` exactly as a page load
does (session check, query, rows into state, delta computed), after one unmeasured load of the plain
list (the page's first visit is bench/list_page.py's business). The SQL each call ran is captured
and run again on its own, so the ratio handler time / raw SQL time shows the app's overhead.
Prints p50/p95/max, the ratio and the pickled size of the list state. Targets: p95 <= 25 ms on
SQLite and <= 40 ms on PostgreSQL, ratio <= 3, state <= 64 KB.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = os.environ.get("CRM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "bench-password-123"
CHECKOUT = hashlib.sha1(str(ROOT).encode()).hexdigest()[:6]


def _database(backend: str, fresh: bool = True, name: str = "list_search") -> str:
    """URL of a benchmark's database (bench/results/<name>.db or clientela_<name>_<checkout>); ``fresh``
    empties it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if backend == "sqlite":
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            if fresh:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    # One PostgreSQL server serves every checkout: its name says which, so two checkouts benchmarking at
    # once never drop each other's database.
    database = f"clientela_{name}_{CHECKOUT}"
    if fresh:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {database}"))
        admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=database).render_as_string(hide_password=False)


def migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    cfg.cmd_opts = argparse.Namespace(x=[f"url={url}"])
    command.upgrade(cfg, "head")


def bench_organization(backend: str, name: str, email: str):
    """A fresh migrated database for benchmark ``name``, made the app's database, with one organization
    and its admin signed in. Returns (organization id, signed-in result)."""
    url = _database(backend, name=name)
    from bench.common import create_bench_organization, use_database

    use_database(url)
    migrate(url)
    return create_bench_organization(email, PASSWORD)


def _seeded(url: str, backend: str, customers: int) -> int | None:
    """Organization id of a previous run's database holding ``customers`` rows."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT u.organization_id, (SELECT count(*) FROM customer c "
                    "WHERE c.organization_id = u.organization_id) FROM app_user u WHERE u.email = :email"
                ),
                {"email": f"bench-{backend}@bench.test"},
            ).first()
    except Exception:  # no database, no tables: seed afresh
        return None
    finally:
        engine.dispose()
    if row is None or row[1] != customers:
        return None
    return row[0]


def _postgres_reachable() -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:  # any failure means "not reachable" here
        return False


def _queries(session, org_id: int, rng: random.Random, count: int) -> list[dict[str, str]]:
    """Varied list queries built from the seeded data (so most of them find something)."""
    from sqlalchemy import text

    from crm_app.domain.search_text import normalize

    sample = session.exec(
        text(
            "SELECT first_name, last_name, legal_name, tax_id, primary_email, primary_phone_e164 "
            "FROM customer "
            "WHERE organization_id = :org ORDER BY id LIMIT 2000"
        ),
        params={"org": org_id},
    ).all()
    tags = [
        r[0]
        for r in session.exec(
            text("SELECT name FROM tag WHERE organization_id = :org"), params={"org": org_id}
        ).all()
    ]
    makers = [
        lambda r: r.first_name or r.legal_name.split()[0],  # first name, accents kept
        lambda r: normalize(r.last_name or r.legal_name),  # surname without accents
        lambda r: (r.last_name or r.legal_name)[: rng.randint(1, 3)],  # 1-3 letter prefix
        lambda r: (r.first_name or "ma")[1:4],  # substring inside a name
        lambda r: "0" + (r.primary_phone_e164 or "+5939912")[4 : rng.randint(8, 10)],  # national digits
        lambda r: (r.primary_phone_e164 or "+5939912")[-rng.randint(4, 7) :],  # trailing digits
        lambda r: (r.tax_id or "0912")[: rng.randint(4, 10)],  # tax ID prefix
        lambda r: (r.primary_email or "ana@").split("@")[0][:6],  # e-mail local part
        lambda r: f"{r.first_name} {r.last_name}".strip() or r.legal_name,  # full name
        lambda r: "",  # no search, filters only
    ]
    filters = [
        {},
        {},
        {},
        {"type": "person"},
        {"type": "company"},
        {"supplier": "1"},
        {"conflictive": "0"},
        {"sort": "-created"},
        {"sort": "-name"},
        {"consent": "1"},
    ]
    queries = []
    for i in range(count):
        row = sample[rng.randrange(len(sample))]
        params = {"q": makers[i % len(makers)](row)}
        params.update(rng.choice(filters))
        if tags and i % 9 == 0:
            params["tags"] = rng.choice(tags)
        queries.append({k: v for k, v in params.items() if v})
    return queries


def _open(root, token: str, query: dict[str, str]) -> None:
    from bench.common import open_tab

    open_tab(root, token, "/customers", "/customers" + (f"?{urlencode(query)}" if query else ""), query)


def run_backend(
    backend: str, customers: int, count: int, seed: int, reuse: bool = False, show_slowest: int = 5
) -> dict[str, float]:
    name = f"list_search_{customers}"  # each size its own database: a 100k run keeps the 1M one
    previous = _seeded(_database(backend, fresh=False, name=name), backend, customers) if reuse else None
    url = _database(backend, fresh=previous is None, name=name)
    from bench.common import create_bench_organization, use_database

    use_database(url)
    from crm_app.db import get_engine, session_scope
    from crm_app.services import auth
    from crm_app.services.seed import seed_customers

    engine = get_engine()
    email = f"bench-{backend}@bench.test"
    if previous is None:
        migrate(url)
        org_id, signed = create_bench_organization(email, PASSWORD)
        started = time.perf_counter()
        seeded = seed_customers(
            engine, org_id, customers, country="EC", seed=seed, created_by=signed.actor.user_id
        )
        seed_seconds = time.perf_counter() - started
        print(
            f"[{backend}] seeded {seeded:,} customers in {seed_seconds:.1f} s "
            f"({seeded / seed_seconds:,.0f}/s; load average {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores)"
        )
    else:
        org_id = previous
        with session_scope() as session:
            signed = auth.sign_in(session=session, email=email, password=PASSWORD)
        print(f"[{backend}] reusing the {customers:,} customers seeded by a previous run")

    result = measure(backend, org_id, signed.token, count, seed, show_slowest)
    get_engine().dispose()
    return result


def measure(
    backend: str, org_id: int, token: str, count: int, seed: int, show_slowest: int = 5, explain=None
) -> dict[str, float]:
    """``count`` varied list loads of the organization through ``CustomersState.load``, on the app's
    current database; prints and returns the figures. ``explain(statements)`` is given the SQL of one
    representative search (the first query, a first name), captured as the handler ran it."""
    from reflex.state import State
    from sqlalchemy import event

    from crm_app.db import get_engine, session_scope
    from crm_app.states.customers import CustomersState

    engine = get_engine()
    customers = count_customers(org_id)
    with session_scope() as session:
        queries = _queries(session, org_id, random.Random(seed), count)

    root = State(_reflex_internal_init=True)
    state = root.get_substate(CustomersState.get_full_name().split(".")[1:])
    load = CustomersState.event_handlers["load"].fn

    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    handler_ms: list[float] = []
    # CPU time of this process: on a shared, loaded machine the wall time also counts waiting for a
    # core. On SQLite (in-process) it is the handler's whole cost; on PostgreSQL the server's is apart.
    handler_cpu_ms: list[float] = []
    load_before = os.getloadavg()[0]
    sql_ms: list[float] = []
    sizes: list[int] = []
    found = 0
    # One load before the measured ones, as a running server has served a page before: the page's
    # first visit (filter options) and SQLAlchemy's first compilation of each statement are not
    # what a search costs. (bench/list_page.py measures first visits, in Chromium.)
    _open(root, token, {})
    load(state)
    root.get_delta()
    root._clean()
    ran: list[dict[str, str]] = []  # what each load asked for ("next page" for a cursor)
    for i, query in enumerate(queries):
        if i % 5 == 4 and state.next_cursor:  # every fifth query: the next page of the previous one
            query = dict(parse_qsl(str(state.router.url.query)))
            query["after"] = state.next_cursor
        ran.append({k: ("next page" if k == "after" else v) for k, v in query.items()})
        _open(root, token, query)
        captured.clear()
        event.listen(engine, "before_cursor_execute", capture)
        t0, c0 = time.perf_counter(), time.process_time()
        load(state)
        root.get_delta()
        root._clean()
        handler_ms.append((time.perf_counter() - t0) * 1000)
        handler_cpu_ms.append((time.process_time() - c0) * 1000)
        event.remove(engine, "before_cursor_execute", capture)
        if explain is not None and i == 0:
            explain(list(captured))
        found += bool(state.rows)
        sizes.append(len(state._serialize()))
        # The same statements, straight on the DB-API connection: the floor the handler stands on.
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            t0 = time.perf_counter()
            for statement, parameters in captured:
                cursor.execute(statement, parameters)
                cursor.fetchall() if cursor.description else None
            sql_ms.append((time.perf_counter() - t0) * 1000)
            raw.rollback()
        finally:
            raw.close()

    def pct(values: list[float], p: float) -> float:
        return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]

    result = {
        "p50": statistics.median(handler_ms),
        "p95": pct(handler_ms, 95),
        "max": max(handler_ms),
        "sql_p50": statistics.median(sql_ms),
        "sql_p95": pct(sql_ms, 95),
        "ratio": statistics.median(handler_ms) / max(statistics.median(sql_ms), 1e-6),
        "state_kb": max(sizes) / 1024,
        "found": found / len(queries),
        "cpu_p50": statistics.median(handler_cpu_ms),
        "cpu_p95": pct(handler_cpu_ms, 95),
        "load": (load_before + os.getloadavg()[0]) / 2,
    }
    print(
        f"[{backend}] {len(queries)} list loads over {customers:,} customers "
        f"({result['found']:.0%} found rows)"
    )
    print(
        f"[{backend}] handler  p50 {result['p50']:.1f} ms  p95 {result['p95']:.1f} ms  "
        f"max {result['max']:.1f} ms"
    )
    print(
        f"[{backend}] raw SQL  p50 {result['sql_p50']:.1f} ms  p95 {result['sql_p95']:.1f} ms  "
        f"ratio handler/SQL (p50) {result['ratio']:.2f}"
    )
    print(
        f"[{backend}] handler CPU time (this process)  p50 {result['cpu_p50']:.1f} ms  "
        f"p95 {result['cpu_p95']:.1f} ms"
    )
    print(f"[{backend}] pickled list state: max {result['state_kb']:.1f} KB")
    print(
        f"[{backend}] machine load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    slowest = sorted(zip(handler_ms, ran, strict=True), key=lambda x: -x[0])[:show_slowest]
    print(f"[{backend}] slowest: " + "; ".join(f"{ms:.0f} ms {q}" for ms, q in slowest))
    return result


def count_customers(org_id: int) -> int:
    from sqlalchemy import text

    from crm_app.db import session_scope

    with session_scope() as session:
        return session.exec(
            text("SELECT count(*) FROM customer WHERE organization_id = :org"), params={"org": org_id}
        ).one()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of a previous run with as many customers"
    )
    parser.add_argument(
        "--organizations",
        type=int,
        default=0,
        help="PostgreSQL only: this many tenants of skewed sizes (bench/tenants_*.py)",
    )
    parser.add_argument("--slowest", type=int, default=5, help="how many of the slowest queries to print")
    args = parser.parse_args()
    os.environ.setdefault("CRM_SECRET_KEY", "bench-secret-key-not-for-production-use-0000")
    if args.organizations:
        from bench.tenants_report import run

        run(args.organizations, args.customers, args.queries, args.seed, args.slowest)
        return
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    for backend in backends:
        if backend == "postgresql" and not _postgres_reachable():
            print(f"[postgresql] skipped: {PG_ADMIN_URL} is not reachable")
            continue
        run_backend(
            backend, args.customers, args.queries, args.seed, reuse=args.reuse, show_slowest=args.slowest
        )


if __name__ == "__main__":
    main()
