"""A bulk tag of 100,000 customers (every customer a filter selects, as a background job) and its undo.

    .venv/bin/python bench/bulk_tag.py                         # 100,000 customers, SQLite
    .venv/bin/python bench/bulk_tag.py --backend postgresql
    .venv/bin/python bench/bulk_tag.py --customers 20000       # another size: a database of its own

Each size has its own database (bench/results/bulk_tag_<size>.db, clientela_bulk_tag_<size>_<checkout>),
seeded once with ``size`` customers plus a tenth more of another type (so the filter leaves some out);
later runs reuse it (the tag is taken off again at the end, and a run starts by removing a tag left by a
run cut short). Measured: the job's run (walking the list's search with the filter, tagging in batches of
BATCH, each with its feed events and items) and the undo's, each through crm_app.jobs.runner.run_once,
with the load average over the measured phase. Goal: each <= 30 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.list_search import PASSWORD, _database, migrate  # noqa: E402 needs ROOT on sys.path

TAG = "Bench bulk"
GOAL_SECONDS = 30.0


def _email(backend: str, size: int) -> str:
    return f"bench-bulk-{size}-{backend}@bench.test"


def _organization(url: str, email: str) -> int | None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT organization_id FROM app_user WHERE email = :e"),
                                {"e": email}).scalar()
    except Exception:  # no database yet
        return None
    finally:
        engine.dispose()


def prepare(backend: str, size: int) -> tuple[int, str]:
    """The size's database made the app's, seeded if new: (organization id, filter query selecting
    exactly ``size`` customers)."""
    from bench.common import create_bench_organization, use_database

    name, email = f"bulk_tag_{size}", _email(backend, size)
    org_id = _organization(_database(backend, fresh=False, name=name), email)
    url = _database(backend, fresh=org_id is None, name=name)
    use_database(url)
    from sqlalchemy import text

    from crm_app.db import get_engine
    from crm_app.services.seed import seed_customers

    engine = get_engine()
    if org_id is None:
        migrate(url)
        org_id, _ = create_bench_organization(email, PASSWORD)
        started = time.perf_counter()
        total = size + size // 10
        seed_customers(engine, org_id, total, country="EC", seed=11)
        with engine.begin() as conn:  # exactly ``size`` of them are companies: the filter's selection
            conn.execute(text("UPDATE customer SET client_type = 'person' WHERE organization_id = :o"),
                         {"o": org_id})
            conn.execute(text(
                "UPDATE customer SET client_type = 'company' WHERE organization_id = :o AND id IN "
                "(SELECT id FROM customer WHERE organization_id = :o ORDER BY id LIMIT :n)"),
                {"o": org_id, "n": size})
        print(f"[{backend}] seeded {total:,} customers in {time.perf_counter() - started:.1f} s", flush=True)
    return org_id, "type=company"


def _leftover(org_id: int) -> None:
    """A run cut short may have left its tag on customers: taken off (outside any measured phase)."""
    from sqlalchemy import text

    from crm_app.db import get_engine

    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM customer_tag WHERE tag_id IN (SELECT id FROM tag WHERE "
                          "organization_id = :o AND name = :n)"), {"o": org_id, "n": TAG})


def _vacuum(backend: str) -> None:
    """PostgreSQL: the tables a run rewrites vacuumed before measuring (as autovacuum keeps them between
    real actions): each earlier run left 200,000 dead customer rows behind."""
    if backend != "postgresql":
        return
    from sqlalchemy import text

    from crm_app.db import get_engine

    with get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("customer", "customer_tag", "feed_event", "bulk_action_item"):
            conn.execute(text(f"VACUUM ANALYZE {table}"))


def _run_jobs(url: str) -> None:
    from crm_app.jobs import runner

    while runner.run_once(database_url=url):
        pass


def _measured(call) -> tuple[float, float, float]:
    """(seconds, load average before, after) of ``call()``."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    call()
    return time.perf_counter() - started, load, os.getloadavg()[0]


def bench(backend: str, size: int) -> dict[str, float]:
    org_id, query = prepare(backend, size)
    _leftover(org_id)
    _vacuum(backend)
    from crm_app.db import get_engine, session_scope
    from crm_app.domain.bulk import BulkRequest, Selection
    from crm_app.services import auth, bulk

    url = get_engine().url.render_as_string(hide_password=False)
    with session_scope() as session:
        actor = auth.sign_in(session=session, email=_email(backend, size), password=PASSWORD).actor
    _run_jobs(url)  # whatever an earlier run left queued (the panel's refresh...)
    with session_scope() as session:
        matching = bulk.count_matching(session=session, actor=actor, query=query)
    result: dict[str, float] = {}

    def tag() -> None:
        with session_scope() as session:
            result["id"] = bulk.start(session=session, actor=actor, selection=Selection(query=query,
                                                                                         all_matching=True),
                                      request=BulkRequest("tag_add", {"tag": TAG})).id
        _run_jobs(url)

    def undo() -> None:
        with session_scope() as session:
            bulk.undo(session=session, actor=actor, bulk_action_id=int(result["id"]))
        _run_jobs(url)

    tag_s, load0, load1 = _measured(tag)
    with session_scope() as session:
        done = bulk.get(session=session, actor=actor, bulk_action_id=int(result["id"]))
    seeded = size + size // 10
    print(f"[{backend}] bulk tag of all {matching:,} customers matching {query!r} (of {seeded:,}): "
          f"{tag_s:.1f} s, status {done.status}, {done.changed:,} changed "
          f"(load average {load0:.1f} -> {load1:.1f})", flush=True)
    undo_s, load0, load1 = _measured(undo)
    with session_scope() as session:
        undone = bulk.get(session=session, actor=actor, bulk_action_id=int(result["id"]))
    print(f"[{backend}] its undo: {undo_s:.1f} s, status {undone.status}: {undone.summary} "
          f"(load average {load0:.1f} -> {load1:.1f})", flush=True)
    verdict = "ok" if max(tag_s, undo_s) <= GOAL_SECONDS else "OVER THE GOAL"
    print(f"[{backend}] goal <= {GOAL_SECONDS:.0f} s each: {verdict}", flush=True)
    return {"tag": tag_s, "undo": undo_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    args = parser.parse_args()
    for backend in (("sqlite", "postgresql") if args.backend == "both" else (args.backend,)):
        bench(backend, args.customers)


if __name__ == "__main__":
    main()
