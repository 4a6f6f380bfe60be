"""Orders, sales and leads at scale: the client picker, a profile with its totals, the /sales list.

    .venv/bin/python bench/documents.py              # 1,000,000 customers, 2,000,000 sales, both backends
    .venv/bin/python bench/documents.py --customers 100000 --sales 200000 --backend sqlite
    .venv/bin/python bench/documents.py --reuse      # measure again on the last run's database of that size

For each backend: a database of its own per size (bench/results/documents_<customers>_<sales>.db, or
clientela_documents_<customers>_<sales>_<checkout>), migrated, one organization seeded with the
customers (services/seed.py) and the sales, plus a tenth as many work orders (services/seed_sales.py).
Then ``--runs`` calls of each operation, through the services the UI calls, each in its own session as
an event handler opens one:

- picker: ``customers.list_customers(CustomerQuery(search=..., limit=8))``, what the client picker runs
  per keystroke, for 3-6 letters of a real first name or surname, phone digits or a tax ID prefix;
- profile: ``customers.get_customer`` + ``customer_documents.customer_documents`` (his figures through
  ``customer_totals.totals_of``, his latest five orders, sales and leads), for random customers (most
  without a sale), the customers of random sales (buyers, the heavy ones more often) and the top
  spenders;
- sales list: ``sales.list_sales(DocumentQuery(...))`` (``document_pages.document_page`` and the page's
  client and seller names in one query): first page, a deep page by cursor, status, payment method, a
  month and its second page, a day, a client search, a number, one customer's sales.

Prints p50/p95/max (wall) and the p50/p95 CPU time of this process, and the machine's load average
over each measured phase (2 cores shared with other work: under load the wall time also counts
waiting for a core). ``--explain`` prints the query plans of each sales-list variant. Targets (p95):
picker <= 25 ms on SQLite, <= 40 ms on PostgreSQL (as the customer list); profile <= 50 ms; sales list
<= 25 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.list_search import (  # noqa: E402 needs ROOT on sys.path
    PASSWORD,
    PG_ADMIN_URL,
    _database,
    _postgres_reachable,
    migrate,
)

TARGETS = {"picker": {"sqlite": 25.0, "postgresql": 40.0}, "profile": 50.0, "sales list": 25.0}
LIST_VARIANTS = ("first page", "deep page", "status", "method", "month", "month, page 2", "day",
                 "client search", "number", "one customer")


def _load() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


# --------------------------------------------------------------------------- database


def _seeded(url: str, email: str, customers: int, sales: int) -> int | None:
    """Organization id of a previous run's database holding as many customers and sales, and every index
    the models declare on the tables measured (a migration edited since would leave one out)."""
    from sqlalchemy import create_engine, inspect, text
    from sqlmodel import SQLModel

    import crm_app.models  # noqa: F401 the tables, registered on SQLModel.metadata

    engine = create_engine(url)
    try:
        for table in ("customer", "sale", "sales_order", "lead"):
            there = {index["name"] for index in inspect(engine).get_indexes(table)}
            if not {index.name for index in SQLModel.metadata.tables[table].indexes} <= there:
                print(f"[{engine.dialect.name}] {table}'s indexes changed since the last run: seeding afresh")
                return None
        with engine.connect() as conn:
            row = conn.execute(text(
                "SELECT u.organization_id, "
                "(SELECT count(*) FROM customer c WHERE c.organization_id = u.organization_id), "
                "(SELECT count(*) FROM sale s WHERE s.organization_id = u.organization_id) "
                "FROM app_user u WHERE u.email = :email"), {"email": email}).first()
    except Exception:  # no database, no tables: seed afresh
        return None
    finally:
        engine.dispose()
    return row[0] if row is not None and (row[1], row[2]) == (customers, sales) else None


def _prepare(backend: str, customers: int, sales: int, seed: int, reuse: bool):
    """The benchmark's database, made the app's, seeded unless ``reuse`` finds it: its admin, signed in."""
    name, email = f"documents_{customers}_{sales}", f"bench-documents-{backend}@bench.test"
    previous = _seeded(_database(backend, fresh=False, name=name), email, customers, sales) if reuse else None
    url = _database(backend, fresh=previous is None, name=name)
    from bench.common import create_bench_organization, use_database

    use_database(url)
    from crm_app.db import get_engine, session_scope
    from crm_app.services import auth
    from crm_app.services.seed import seed_customers
    from crm_app.services.seed_sales import seed_sales

    if previous is not None:
        print(f"[{backend}] reusing the {customers:,} customers and {sales:,} sales of a previous run")
        with session_scope() as session:
            return auth.sign_in(session=session, email=email, password=PASSWORD)
    migrate(url)
    org_id, signed = create_bench_organization(email, PASSWORD)
    load, started = _load(), time.perf_counter()
    seed_customers(get_engine(), org_id, customers, country="EC", seed=seed, created_by=signed.actor.user_id)
    middle = time.perf_counter()
    done = seed_sales(get_engine(), org_id, sales, orders=sales // 10, seed=seed)
    end = time.perf_counter()
    print(f"[{backend}] seeded {customers:,} customers in {middle - started:.1f} s "
          f"({customers / (middle - started):,.0f}/s), then {done.sales:,} sales and {done.orders:,} orders "
          f"with their lines and the customers' figures in {end - middle:.1f} s "
          f"({done.sales / (end - middle):,.0f} sales/s); load average {load:.1f} -> {_load():.1f} "
          f"on {os.cpu_count()} cores")
    return signed


# --------------------------------------------------------------------------- what is asked


def _picker_terms(session, org_id: int, rng: random.Random, count: int) -> list[str]:
    """What a user types in the picker: 3-6 letters of a first name or surname, phone digits, a tax ID."""
    from sqlalchemy import text

    sample = session.execute(text(
        "SELECT first_name, last_name, legal_name, display_name, tax_id, primary_phone_e164 FROM customer "
        "WHERE organization_id = :org AND id % 97 = 0 LIMIT 3000"), {"org": org_id}).all()
    makers = [
        lambda r: (r.first_name or r.display_name)[: rng.randint(3, 6)],  # a company: its name as shown
        lambda r: (r.last_name or r.legal_name)[: rng.randint(3, 6)],
        lambda r: "0" + (r.primary_phone_e164 or "+5939912345")[4 : rng.randint(8, 11)],  # 099 123...
        lambda r: (r.tax_id or "0912345678")[: rng.randint(4, 10)],
    ]
    return [makers[i % len(makers)](rng.choice(sample)).strip() for i in range(count)]


def _profiles(session, org_id: int, rng: random.Random, count: int) -> list[int]:
    """Half random customers (most never bought), four in ten the clients of random sales (the heavy
    buyers more often), one in ten the top spenders."""
    from sqlalchemy import bindparam, text

    low, high, top_sale = session.execute(text(
        "SELECT min(id), max(id), (SELECT max(id) FROM sale) FROM customer WHERE organization_id = :org"),
        {"org": org_id}).one()
    buyers = list(session.execute(text(
        "SELECT customer_id FROM sale WHERE id IN :ids AND customer_id IS NOT NULL").bindparams(
            bindparam("ids", expanding=True)),
        {"ids": [rng.randint(1, top_sale) for _ in range(count)]}).scalars())
    top = list(session.execute(text(
        "SELECT id FROM customer WHERE organization_id = :org AND deleted_at IS NULL "
        "ORDER BY amount_spent DESC, id DESC LIMIT 20"), {"org": org_id}).scalars())
    chosen = []
    for i in range(count):
        pick = i % 10
        chosen.append(rng.choice(top) if pick == 9 else rng.choice(buyers) if pick >= 5 else
                      rng.randint(low, high))
    return chosen


def _next_page(session, actor, query):
    """``query``'s second page (its cursor from the first)."""
    from dataclasses import replace

    from crm_app.models import Sale
    from crm_app.services.document_pages import document_page

    _, cursor = document_page(session, actor, Sale, query)
    return replace(query, after=cursor)


def _list_queries(session, actor, rng: random.Random, count: int, terms: list[str]):
    """(variant, DocumentQuery) pairs, round-robin over LIST_VARIANTS."""
    from datetime import date, timedelta

    from sqlalchemy import text

    from crm_app.domain.documents import DocumentQuery

    org_id = actor.organization_id
    top, top_number = session.execute(text(
        "SELECT max(id), max(number) FROM sale WHERE organization_id = :org"), {"org": org_id}).one()
    clients = _profiles(session, org_id, rng, 50)[10:45]
    names = [t for t in terms[::4] if t]
    today = date.today()

    def day(back: int) -> str:
        return (today - timedelta(days=back)).isoformat()

    def make(variant: str) -> DocumentQuery:
        start = rng.randint(1, 700)
        return {
            "first page": lambda: DocumentQuery(),
            "deep page": lambda: DocumentQuery(after=str(rng.randint(1, top))),
            "status": lambda: DocumentQuery(status="cancelled"),
            "method": lambda: DocumentQuery(method=rng.choice(("credit", "transfer", "card"))),
            "month": lambda: DocumentQuery(date_from=day(start + 30), date_to=day(start)),
            "month, page 2": lambda: _next_page(
                session, actor, DocumentQuery(date_from=day(start + 30), date_to=day(start))),
            "day": lambda: DocumentQuery(date_from=day(start), date_to=day(start)),
            "client search": lambda: DocumentQuery(search=rng.choice(names)),
            "number": lambda: DocumentQuery(search=f"#{rng.randint(1, top_number)}"),
            "one customer": lambda: DocumentQuery(customer_id=rng.choice(clients)),
        }[variant]()

    return [(v, make(v)) for v in (LIST_VARIANTS[i % len(LIST_VARIANTS)] for i in range(count))]


# --------------------------------------------------------------------------- what is measured


def picker(session, actor, term: str) -> int:
    from crm_app.domain.customers import CustomerQuery
    from crm_app.services import customers

    return len(customers.list_customers(session=session, actor=actor,
                                        query=CustomerQuery(search=term, limit=8)).rows)


def profile(session, actor, customer_id: int) -> int:
    """The profile's customer and its purchase section (figures, latest five orders, sales and leads)."""
    from crm_app.services import customer_documents, customers

    customers.get_customer(session=session, actor=actor, customer_id=customer_id)
    found = customer_documents.customer_documents(session=session, actor=actor, customer_id=customer_id)
    return found.figures.sales_count + len(found.orders) + len(found.sales) + len(found.leads)


def _list_sales():
    """services/sales.list_sales, once it exists (it is being written): else None."""
    try:
        from crm_app.services import sales
    except ImportError:
        return None
    return getattr(sales, "list_sales", None)


def sales_list(session, actor, query) -> int:
    """One page of /sales with its names: ``sales.list_sales``, or until it lands what it will run,
    as orders.list_orders does: the page, then the client's and seller's names in one query."""
    from sqlalchemy import select

    from crm_app.models import Customer, Sale, User
    from crm_app.services.document_pages import document_page

    service = _list_sales()
    if service is not None:
        return len(service(session=session, actor=actor, query=query).rows)
    rows, _ = document_page(session, actor, Sale, query,
                            filters={"method": Sale.payment_method, "owner_id": Sale.created_by})
    if rows:
        session.execute(
            select(Sale.id, Customer.display_name, User.name)
            .outerjoin(Customer, Customer.id == Sale.customer_id)
            .outerjoin(User, User.id == Sale.created_by)
            .where(Sale.id.in_([r.id for r in rows]))
        ).all()
    return len(rows)


def _measure(call: Callable, actor, inputs: list) -> tuple[list[float], list[float], int]:
    """Wall and CPU milliseconds of each call, in a session of its own; how many found something."""
    from crm_app.db import session_scope

    wall, cpu, found = [], [], 0
    for value in inputs:
        t0, c0 = time.perf_counter(), time.process_time()
        with session_scope() as session:
            found += bool(call(session, actor, value))
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu, found


def _pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def _line(label: str, wall: list[float], cpu: list[float]) -> str:
    return (f"{label:<16} n={len(wall):<4} p50 {statistics.median(wall):6.1f} ms  "
            f"p95 {_pct(wall, 95):6.1f} ms  "
            f"max {max(wall):6.1f} ms  (CPU p50 {statistics.median(cpu):5.1f} / p95 {_pct(cpu, 95):5.1f} ms)")


def _explain(backend: str, actor, query) -> None:
    """The plan of each statement of a sales-list call that reads the sales."""
    from sqlalchemy import event

    from crm_app.db import get_engine, session_scope

    engine, captured = get_engine(), []

    def capture(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    with session_scope() as session:
        sales_list(session, actor, query)
    event.remove(engine, "before_cursor_execute", capture)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        prefix = "EXPLAIN QUERY PLAN " if backend == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
        for statement, parameters in captured:
            if "FROM sale" not in statement:  # the organization, the names: primary-key lookups
                continue
            cursor.execute(prefix + statement, parameters)
            plan = [" ".join(str(c) for c in row[-1:]) for row in cursor.fetchall()]
            print("      " + " ".join(statement.split())[:160])
            print("\n".join("        " + line for line in plan))
        raw.rollback()
    finally:
        raw.close()


def run_backend(backend: str, customers: int, sales: int, runs: int, seed: int, reuse: bool,
                explain: bool) -> None:
    signed = _prepare(backend, customers, sales, seed, reuse)
    from crm_app.db import get_engine, session_scope

    actor, rng = signed.actor, random.Random(seed)
    with session_scope() as session:
        terms = _picker_terms(session, actor.organization_id, rng, runs)
        profiles = _profiles(session, actor.organization_id, rng, runs)
        queries = _list_queries(session, actor, rng, runs, terms)
    # A running server has served these before: the first compilation of each statement is not measured.
    _measure(picker, actor, terms[:5])
    _measure(profile, actor, profiles[:5])
    _measure(sales_list, actor, [q for _, q in queries[: len(LIST_VARIANTS)]])

    through = "sales.list_sales" if _list_sales() else "document_page + the names query (no list_sales yet)"
    print(f"[{backend}] {customers:,} customers, {sales:,} sales; {runs} calls of each operation; "
          f"sales list through {through}")
    for name, call, inputs in (("picker", picker, terms), ("profile", profile, profiles),
                               ("sales list", sales_list, [q for _, q in queries])):
        before = _load()
        wall, cpu, found = _measure(call, actor, inputs)
        target = TARGETS[name][backend] if isinstance(TARGETS[name], dict) else TARGETS[name]
        verdict = "met" if _pct(wall, 95) <= target else "MISSED"
        print(f"[{backend}] {_line(name, wall, cpu)}  target p95 <= {target:.0f} ms: {verdict}; "
              f"{found / len(inputs):.0%} found something; load average {before:.1f} -> {_load():.1f}")
        if name == "sales list":
            for variant in LIST_VARIANTS:
                picked = [i for i, (v, _) in enumerate(queries) if v == variant]
                print(f"[{backend}]   {_line(variant, [wall[i] for i in picked], [cpu[i] for i in picked])}")
                if explain:
                    _explain(backend, actor, queries[picked[0]][1])
        if name == "picker":
            slowest = sorted(zip(wall, terms, strict=True), reverse=True)[:5]
            print(f"[{backend}]   slowest: " + "; ".join(f"{ms:.0f} ms {t!r}" for ms, t in slowest))
    get_engine().dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--sales", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database of a previous run with as many customers and sales")
    parser.add_argument("--explain", action="store_true", help="print the sales list's query plans")
    args = parser.parse_args()
    os.environ.setdefault("CRM_SECRET_KEY", "bench-secret-key-not-for-production-use-0000")
    for backend in ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]:
        if backend == "postgresql" and not _postgres_reachable():
            print(f"[postgresql] skipped: {PG_ADMIN_URL} is not reachable")
            continue
        run_backend(backend, args.customers, args.sales, args.runs, args.seed, args.reuse, args.explain)


if __name__ == "__main__":
    main()
