"""A customer's feed with 10,000 events, read through the profile's real event handlers.

    .venv/bin/python bench/profile_feed.py                        # SQLite and PostgreSQL
    .venv/bin/python bench/profile_feed.py --events 10000 --backend sqlite --runs 200

For each backend: a fresh migrated database, one organization, one customer with N events of every
kind (field changes with discount, comments, tasks, files), the comment, task and file rows they
point at, and a few other customers' events around them; then ANALYZE. Then, ``runs`` times:
``CustomerFeedState.load`` (the profile's on_load: session check, assignees, first page of 25 rows
turned into translated views, delta computed) followed by three ``load_more`` (keyset pages), and a
``set_category`` on a random kind. A quarter of the "load more" start at a random deep cursor, as if
the user had scrolled far: keyset paging costs the same at any depth. Prints p50/p95/max for each
handler and the largest pickled feed state. Target: p95 <= 50 ms for the first page and "load more".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import open_tab  # noqa: E402 needs ROOT on sys.path
from bench.list_search import PG_ADMIN_URL, _postgres_reachable, bench_organization  # noqa: E402 needs ROOT on sys.path

TARGET_MS = 50.0


def _seed_events(session, org_id: int, user_id: int, customer_id: int, count: int,
                 rng: random.Random) -> None:
    """``count`` events on one customer, oldest first, with the rows comments/tasks/files point at."""
    from sqlalchemy import insert, select

    from crm_app.models import Comment, FeedEvent, StoredFile, Task
    from crm_app.models.types import utcnow

    start = utcnow() - timedelta(days=400)
    kinds = ["customer_updated"] * 4 + ["comment"] * 3 + ["task"] * 2 + ["file"]
    plan = [rng.choice(kinds) for _ in range(count)]
    when = [start + timedelta(minutes=50 * i) for i in range(count)]

    def ids(model, rows: list[dict]) -> list[int]:
        """Insert the rows; their ids, in order (the newest ``len(rows)`` ids of the table)."""
        if not rows:
            return []
        session.execute(insert(model), rows)
        return sorted(session.execute(select(model.id).order_by(model.id.desc()).limit(len(rows))).scalars())

    base = {"organization_id": org_id, "customer_id": customer_id}
    comment_ids = ids(Comment, [
        {**base, "author_id": user_id, "body": f"Nota {i}: llamar para confirmar el pedido",
         "created_at": when[i]}
        for i, k in enumerate(plan) if k == "comment"
    ])
    task_ids = ids(Task, [
        {**base, "title": f"Seguimiento {i}", "due_at": when[i] + timedelta(days=3), "assignee_id": user_id,
         "created_by": user_id, "created_at": when[i], "done_at": when[i] if i % 3 else None}
        for i, k in enumerate(plan) if k == "task"
    ])
    file_ids = ids(StoredFile, [
        {**base, "uploaded_by": user_id, "created_at": when[i], "storage_key": secrets.token_hex(16),
         "original_name": f"factura-{i}.pdf", "content_type": "application/pdf", "size": 180_000 + i,
         "sha256": secrets.token_hex(32), "is_image": False, "has_thumbnail": False}
        for i, k in enumerate(plan) if k == "file"
    ])
    refs = {"comment": iter(comment_ids), "task": iter(task_ids), "file": iter(file_ids)}
    rows = []
    for i, kind in enumerate(plan):
        data = {}
        if kind == "customer_updated":
            data = {"changes": [
                {"field": "discount_percent", "before": str(i % 20), "after": str((i + 1) % 20),
                 "highlight": True},
                {"field": "phone", "op": "added", "value": f"+5939{i:08d}"},
            ]}
        rows.append({**base, "kind": kind, "actor_id": user_id, "created_at": when[i],
                     "data": json.dumps(data), "ref_id": next(refs[kind]) if kind in refs else None})
    session.execute(insert(FeedEvent), rows)


def _stats(values: list[float]) -> tuple[float, float, float]:
    p95 = statistics.quantiles(values, n=100, method="inclusive")[94]
    return statistics.median(values), p95, max(values)


def run_backend(backend: str, events: int, runs: int, seed: int) -> dict[str, tuple[float, float, float]]:
    _, signed = bench_organization(backend, "profile_feed", f"bench-feed-{backend}@bench.test")
    from reflex.state import State
    from sqlalchemy import text

    from crm_app.db import get_engine, session_scope
    from crm_app.domain.customers import CustomerInput
    from crm_app.services import customers
    from crm_app.services.feed import CATEGORIES
    from crm_app.states.customer_feed import CustomerFeedState

    rng = random.Random(seed)
    actor = signed.actor
    started = time.perf_counter()
    with session_scope() as session:
        ids = [customers.create_customer(session=session, actor=actor, data=CustomerInput(
            client_type="person", first_name=f"Cliente {n}", last_name="Bench")).id for n in range(5)]
    target = ids[2]
    for customer_id in ids:  # the customer's 10,000 and some neighbours' events around them
        with session_scope() as session:
            _seed_events(session, actor.organization_id, actor.user_id, customer_id,
                         events if customer_id == target else events // 10, rng)
    # Table statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) keeps them: without them
    # right after a bulk load PostgreSQL guesses a customer has ~50 events and sorts all 10,000.
    with get_engine().connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    print(f"[{backend}] seeded {events:,} events on one customer (+{4 * (events // 10):,} on four others) "
          f"in {time.perf_counter() - started:.1f} s")

    root = State(_reflex_internal_init=True)
    state = root.get_substate(CustomerFeedState.get_full_name().split(".")[1:])
    open_tab(root, signed.token, "/customers/[customer_id]", f"/customers/{target}")
    handlers = {name: CustomerFeedState.event_handlers[name].fn
                for name in ("load", "load_more", "set_category")}
    with session_scope() as session:
        from sqlalchemy import func, select

        from crm_app.models import FeedEvent

        ids_range = session.execute(select(func.min(FeedEvent.id), func.max(FeedEvent.id)).where(
            FeedEvent.customer_id == target)).one()

    timings: dict[str, list[float]] = {"first page (load)": [], "load more": [], "filter by kind": []}
    sizes: list[int] = []

    def timed(name: str, handler: str, *args) -> None:
        t0 = time.perf_counter()
        handlers[handler](state, *args)
        root.get_delta()
        root._clean()
        timings[name].append((time.perf_counter() - t0) * 1000)

    for run in range(runs):
        timed("first page (load)", "load")
        assert len(state.items) == 25, state.items
        if run % 4 == 3:  # scrolled far: a deep keyset cursor
            state.next_before = rng.randint(*ids_range)
        for _ in range(3):
            timed("load more", "load_more")
        sizes.append(len(state._serialize()))
        timed("filter by kind", "set_category", rng.choice(CATEGORIES))

    results = {}
    for name, values in timings.items():
        p50, p95, worst = _stats(values)
        results[name] = (p50, p95, worst)
        met = "  target met" if p95 <= TARGET_MS else "  TARGET MISSED"
        verdict = "" if name == "filter by kind" else met
        print(f"[{backend}] {name:<18} n={len(values):<4} p50 {p50:5.1f} ms  p95 {p95:5.1f} ms  "
              f"max {worst:6.1f} ms{verdict}")
    print(f"[{backend}] pickled feed state: max {max(sizes) / 1024:.1f} KB ({len(state.items)} rows held)")
    get_engine().dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("CRM_SECRET_KEY", "bench-secret-key-not-for-production-use-0000")
    for backend in ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]:
        if backend == "postgresql" and not _postgres_reachable():
            print(f"[postgresql] skipped: {PG_ADMIN_URL} is not reachable")
            continue
        run_backend(backend, args.events, args.runs, args.seed)


if __name__ == "__main__":
    main()
