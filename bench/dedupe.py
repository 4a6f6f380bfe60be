"""Duplicate scan at scale: full scan, "changed" scan, precision and recall on planted duplicates.

    .venv/bin/python bench/dedupe.py                                  # 1,000,000 customers, SQLite
    .venv/bin/python bench/dedupe.py --customers 100000 --backend both
    .venv/bin/python bench/dedupe.py --reuse          # the scans again on the size's seeded database

Each size and backend has its own database (bench/results/dedupe_<size>.db, clientela_dedupe_<size>_<co>).
The base is seeded by services/seed.py (its phones, e-mails, tax and loyalty IDs are unique: the run
checks it and prints any accidental shared identifier), then 2 % of the size is planted as
duplicates of random people (bench/dedupe_plant.py: typos, accents, reordered names, the same phone in
another format, e-mails in capitals, names with only a birthday or an address in common), each
keeping the evidence printed. The planted pairs are the truth.

Measured, through the job runner as the app runs it (runner.run_once): the full scan; then ~1,000
customers change (950 edits, 50 new planted duplicates) and the "changed" scan. Printed: times (goal
<= 5 min at 1M for the full scan, <= 5 s for the changed one), precision and recall (goal >= 0.95 /
>= 0.90), per kind, what the false positives are, the groups found, and the load average before and
after each measured phase (os.getloadavg: the machine's other work shows there).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.list_search import PASSWORD, RESULTS, _database, migrate  # noqa: E402 needs ROOT on sys.path

PLANTED_SHARE = 0.02
CHANGED_EDITS, CHANGED_NEW = 950, 50
TRUTH_TABLE = "bench_planted"  # the bench's own table in its own database: the truth, for --reuse


def say(out: list[str], line: str) -> None:
    print(line, flush=True)
    out.append(line)


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _truth_rows(engine):
    from sqlalchemy import text

    with engine.connect() as conn:
        try:
            return [tuple(r) for r in conn.execute(text(f"SELECT original, copy, kind FROM {TRUTH_TABLE}"))]
        except Exception:
            return None


def _seed(engine, backend: str, size: int, seed: int, out: list[str]) -> tuple[int, object]:
    """A fresh base of size - planted customers, then the planted ones; (organization id, admin actor)."""
    from sqlalchemy import text

    from bench.common import create_bench_organization
    from bench.dedupe_plant import plant
    from crm_app.models.types import utcnow
    from crm_app.services.seed import seed_customers

    org_id, signed = create_bench_organization(f"bench-dedupe-{backend}@bench.test", PASSWORD)
    planted_n = int(size * PLANTED_SHARE)
    mark, load = time.perf_counter(), _load()
    seed_customers(engine, org_id, size - planted_n, country="EC", seed=seed, created_by=signed.actor.user_id)
    with engine.begin() as conn:
        first = conn.execute(text("SELECT max(id) FROM customer")).scalar() + 1
        planted = plant(conn, org_id, planted_n, random.Random(seed), now=utcnow() - timedelta(days=2),
                        first_id=first)
        conn.execute(text(f"CREATE TABLE {TRUTH_TABLE} (original INTEGER, copy INTEGER, kind VARCHAR(20))"))
        conn.execute(text(f"INSERT INTO {TRUTH_TABLE} VALUES (:o, :c, :k)"),
                     [{"o": p.original, "c": p.copy, "k": p.kind} for p in planted])
    if backend == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    say(out, f"[{backend}] seeded {size - planted_n:,} customers + {len(planted):,} planted duplicates in "
             f"{time.perf_counter() - mark:.0f} s (load average {load} -> {_load()})")
    return org_id, signed.actor


def _scan(actor, url: str, mode: str) -> tuple[float, str, str, dict]:
    """Queue a scan as the page does, run it as the worker does: (seconds, load before, after, result)."""
    import json

    from crm_app.db import session_scope
    from crm_app.jobs import runner
    from crm_app.models import Job
    from crm_app.services import duplicates

    while runner.run_once(database_url=url):  # other work queued meanwhile (the panel's refresh) first
        pass
    with session_scope() as session:
        job_id = duplicates.start_scan(session=session, actor=actor, mode=mode)
    load, mark = _load(), time.perf_counter()
    runner.run_once(database_url=url)
    seconds = time.perf_counter() - mark
    after = _load()
    with session_scope() as session:
        job = session.get(Job, job_id)
        if job.status != "done":
            raise SystemExit(f"scan {job_id} ended {job.status}: {job.error}")
        return seconds, load, after, json.loads(job.result)


def _pairs(engine, org_id: int) -> dict[tuple[int, int], tuple[int, int]]:
    from sqlalchemy import text

    with engine.connect() as conn:
        query = text("SELECT customer_a_id, customer_b_id, score, reasons FROM duplicate_pair "
                     "WHERE organization_id = :o")
        return {(a, b): (s, r) for a, b, s, r in conn.execute(query, {"o": org_id})}


def _report(out: list[str], tag: str, found: dict, truth: dict[tuple[int, int], str]) -> None:
    from crm_app.domain.duplicates import reason_names

    hits = [p for p in found if p in truth]
    precision = len(hits) / len(found) if found else 0.0
    recall = len(hits) / len(truth) if truth else 0.0
    say(out, f"{tag} pairs found {len(found):,}, planted {len(truth):,}, true {len(hits):,}: "
             f"precision {precision:.4f} (goal >= 0.95), recall {recall:.4f} (goal >= 0.90)")
    by_kind, hit_kind = Counter(truth.values()), Counter(truth[p] for p in hits)
    for kind, total in sorted(by_kind.items()):
        say(out, f"    recall {kind:<14} {hit_kind[kind] / total:.4f} ({hit_kind[kind]:,} of {total:,})")
    wrong = Counter("+".join(reason_names(found[p][1])) for p in found if p not in truth)
    if wrong:
        say(out, "    false positives by reasons: " + ", ".join(f"{k} {v:,}" for k, v in wrong.most_common()))


def _groups(engine, org_id: int, out: list[str]) -> None:
    from sqlalchemy import text

    with engine.connect() as conn:
        sizes = Counter(r[0] for r in conn.execute(text(
            "SELECT size FROM duplicate_group WHERE organization_id = :o"), {"o": org_id}))
        best = text("SELECT score, reasons, customer_ids FROM duplicate_group WHERE organization_id = :o "
                    "ORDER BY score DESC, id DESC LIMIT 3")
        top = conn.execute(best, {"o": org_id}).all()
    by_size = ", ".join(f"{k}: {v:,}" for k, v in sorted(sizes.items()))
    from crm_app.domain.duplicates import reason_names

    best = "; ".join(f"{s} {'+'.join(reason_names(r))} {ids}" for s, r, ids in top)
    say(out, f"    groups {sum(sizes.values()):,} (by size: {by_size}); best: {best}")


def _change(engine, org_id: int, seed: int) -> dict[tuple[int, int], str]:
    """~1,000 customers change in a day: edits, and new planted duplicates (the truth of the changed scan)."""
    from sqlalchemy import text

    from bench.dedupe_plant import plant
    from crm_app.models.types import utcnow

    rng = random.Random(seed + 1)
    with engine.begin() as conn:
        top = conn.execute(text("SELECT max(id) FROM customer")).scalar()
        edited = rng.sample(range(1, top + 1), CHANGED_EDITS)
        conn.execute(text("UPDATE customer SET notes = 'edited', updated_at = :now, version = version + 1 "
                          "WHERE id = :id AND organization_id = :o"),
                     [{"now": utcnow(), "id": i, "o": org_id} for i in edited])
        planted = plant(conn, org_id, CHANGED_NEW, rng, now=utcnow(), first_id=top + 1)
        conn.execute(text(f"INSERT INTO {TRUTH_TABLE} VALUES (:o, :c, :k)"),
                     [{"o": p.original, "c": p.copy, "k": p.kind} for p in planted])
    return {(p.original, p.copy): p.kind for p in planted}


def run(backend: str, size: int, seed: int, reuse: bool) -> list[str]:
    from bench.common import use_database
    from crm_app.db import get_engine
    from crm_app.services import auth

    out: list[str] = []
    name = f"dedupe_{size}"
    url = _database(backend, fresh=False, name=name)
    use_database(url)
    truth_rows = _truth_rows(get_engine()) if reuse else None
    if truth_rows is None:
        url = _database(backend, fresh=True, name=name)
        use_database(url)
        migrate(url)
        org_id, actor = _seed(get_engine(), backend, size, seed, out)
        truth_rows = _truth_rows(get_engine())
    else:
        from crm_app.db import session_scope

        with session_scope() as session:
            email = f"bench-dedupe-{backend}@bench.test"
            signed = auth.sign_in(session=session, email=email, password=PASSWORD)
        org_id, actor = signed.actor.organization_id, signed.actor
        say(out, f"[{backend}] reusing {name}: {len(truth_rows):,} planted duplicates")
    engine = get_engine()
    from bench.dedupe_plant import KINDS, accidental_shared

    for kind, share, change, evidence in KINDS:
        say(out, f"    planted {kind:<14} {share:>4.0%}  name: {change}; evidence kept: {evidence}")
    truth = {(min(o, c), max(o, c)): k for o, c, k in truth_rows}
    with engine.connect() as conn:
        shared = accidental_shared(conn, org_id)
    planted_by = Counter(truth.values())
    expected = {"phone": planted_by["typo"] + planted_by["phone_format"],
                "email": planted_by["accents"] + planted_by["email_case"], "tax_id": planted_by["reordered"]}
    say(out, "    accidental shared identifiers in the base (values shared beyond the planted pairs): "
             + ", ".join(f"{k} {shared[k] - expected[k]}" for k in shared))

    seconds, before, after, result = _scan(actor, url, "full")
    say(out, f"[{backend}] {size:,} customers: full scan {seconds:.1f} s (goal <= 300 s), load average "
             f"{before} -> {after} on {os.cpu_count()} cores; {result}")
    _report(out, "  full:", _pairs(engine, org_id), truth)
    _groups(engine, org_id, out)

    fresh = _change(engine, org_id, seed)
    seconds, before, after, result = _scan(actor, url, "changed")
    say(out, f"[{backend}] changed scan after {CHANGED_EDITS + CHANGED_NEW:,} customers changed: "
             f"{seconds:.2f} s (goal <= 5 s), load average {before} -> {after}; {result}")
    found = _pairs(engine, org_id)
    recall = sum(p in found for p in fresh) / len(fresh)
    missed = Counter(kind for p, kind in fresh.items() if p not in found)
    say(out, f"  changed: recall on the {len(fresh)} new planted pairs {recall:.4f} "
             f"(missed: {dict(missed)}); pairs now {len(found):,}")
    _groups(engine, org_id, out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="scan the size's seeded database again")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        lines = run(backend, args.customers, args.seed, args.reuse)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"dedupe_{args.customers}_{backend}.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
