"""The REST API at scale: customers created per second, and the search's latency (GET /customers?q=).

    .venv/bin/python bench/api.py                          # 10,000 customers, SQLite + PostgreSQL (~1 min)
    .venv/bin/python bench/api.py --size 1000000           # the issue's size (seeding takes a while)
    .venv/bin/python bench/api.py --size 1000000 --reuse   # measure again on that size's last database
    .venv/bin/python bench/api.py --backend sqlite --creates 1000 --batches 50

The real HTTP app (``crm_app.api.build()``: our middleware, then ``/api/v1`` as served) runs in this
process, driven through Starlette's ``TestClient`` (an in-process ASGI transport, no socket, no server
process): what is measured is routing, the Bearer key check and rate window, validation, the services
and the database, without the network. Each request carries ``Authorization: Bearer`` with a key the
benchmark creates through services/api_keys.py, its rate limit raised out of the way (a real key is
limited per minute; the benchmark measures the app, not the limiter).

For each backend: a database of its own per size (bench/results/api_<size>.db, or
clientela_api_<size>_<checkout>), migrated, one organization seeded with ``--size`` customers
(services/seed.py), then, measured apart:

- single creates: ``--creates`` POST /api/v1/customers one after the other (a person with a name, a
  valid mobile and an e-mail, as a website or an ERP sends them): customers/s and p50/p95 per request;
- batch creates: ``--batches`` POST /api/v1/customers/batch of ``--batch-size`` customers each, when the
  batch endpoint exists (skipped with a note otherwise): customers/s and p50/p95 per batch;
- searches: ``--searches`` GET /api/v1/customers?q=... (the list page's search parameter): first
  names, surnames without accents, 1-3 letter prefixes, phone digits, tax ID prefixes, e-mails (the
  list search's terms, bench/list_search.py), after one unmeasured request: p50/p95/max.

Prints the machine's load average over each measured phase (a shared machine: under load the wall time
also counts waiting for a core). The issue sets no figure to reach; compare runs at the same size and
load. Every customer created carries the tag "api", so they can be told from the seeded ones.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.list_search import (  # noqa: E402 needs ROOT on sys.path
    PASSWORD,
    PG_ADMIN_URL,
    _database,
    _postgres_reachable,
    _queries,
    migrate,
)

BASE = "/api/v1"


def _load() -> float:
    return os.getloadavg()[0]


def pct(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


# --------------------------------------------------------------------------- database


def _seeded(url: str, email: str, size: int) -> int | None:
    """Organization id of a previous run's database seeded with ``size`` customers (the customers an
    earlier run created through the API come on top: a few thousand more do not change the picture)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text(
                "SELECT u.organization_id, (SELECT count(*) FROM customer c "
                "WHERE c.organization_id = u.organization_id) FROM app_user u WHERE u.email = :email"),
                {"email": email}).first()
    except Exception:  # no database, no tables: seed afresh
        return None
    finally:
        engine.dispose()
    return row[0] if row is not None and size <= row[1] <= size * 1.05 + 10_000 else None


def _prepare(backend: str, size: int, seed: int, reuse: bool):
    """The size's database made the app's, seeded unless ``reuse`` finds it: (organization id, admin)."""
    name, email = f"api_{size}", f"bench-api-{backend}@bench.test"
    previous = _seeded(_database(backend, fresh=False, name=name), email, size) if reuse else None
    url = _database(backend, fresh=previous is None, name=name)
    from bench.common import create_bench_organization, use_database

    use_database(url)
    from crm_app.db import get_engine, session_scope
    from crm_app.services import auth
    from crm_app.services.seed import seed_customers

    if previous is not None:
        print(f"[{backend}] reusing the {size:,} customers of a previous run")
        with session_scope() as session:
            return previous, auth.sign_in(session=session, email=email, password=PASSWORD).actor
    migrate(url)
    org_id, signed = create_bench_organization(email, PASSWORD)
    load, started = _load(), time.perf_counter()
    done = seed_customers(get_engine(), org_id, size, country="EC", seed=seed,
                          created_by=signed.actor.user_id)
    took = time.perf_counter() - started
    print(f"[{backend}] seeded {done:,} customers in {took:.1f} s ({done / took:,.0f}/s); "
          f"load average {load:.1f} -> {_load():.1f} on {os.cpu_count()} cores")
    return org_id, signed.actor


def _bench_key(actor) -> str:
    """A customers:write key of the benchmark's organization, its per-minute limit out of the way."""
    import secrets

    from crm_app.db import session_scope
    from crm_app.models.integrations import ApiKey
    from crm_app.services import api_keys

    with session_scope() as session:
        dto, key = api_keys.create_key(session=session, actor=actor, name=f"bench {secrets.token_hex(3)}",
                                       scopes=["customers:write"])
        session.get(ApiKey, dto.id).rate_limit = 1_000_000_000
    return key


# --------------------------------------------------------------------------- what is sent


class People:
    """New customers as an integrator sends them: a person, a valid Ecuadorian mobile, a unique e-mail."""

    FIRST = ("Ana", "Luis", "María", "José", "Carmen", "Jorge", "Lucía", "Andrés", "Sofía", "Diego")
    LAST = ("Pérez", "Gómez", "Zambrano", "Mora", "Vera", "Cedeño", "Andrade", "Muñoz", "Loor", "Ortiz")

    def __init__(self, rng: random.Random) -> None:
        from crm_app.services.seed_phones import DemoPhones

        self.rng, self.phones = rng, DemoPhones("EC", rng)
        self.run, self.count = f"{rng.randrange(16**6):06x}", 0

    def one(self) -> dict:
        self.count += 1
        e164, _ = self.phones.draw(self.rng)
        return {
            "client_type": "person",
            "first_name": self.rng.choice(self.FIRST),
            "last_name": f"{self.rng.choice(self.LAST)} {self.rng.choice(self.LAST)}",
            "phones": [{"number": e164}],
            "emails": [{"address": f"api.{self.run}.{self.count}@clientela-bench.ec"}],
            "tags": ["api"],
        }


# --------------------------------------------------------------------------- measuring


def _timed(call: Callable[[], object], runs: int) -> tuple[list[float], list[object], float, float]:
    """``call`` ``runs`` times: (milliseconds each, results, wall seconds, load average at the end)."""
    times, results = [], []
    started = time.perf_counter()
    for _ in range(runs):
        t0 = time.perf_counter()
        results.append(call())
        times.append((time.perf_counter() - t0) * 1000)
    return times, results, time.perf_counter() - started, _load()


def _report(backend: str, label: str, times: list[float], codes: Counter, load: tuple[float, float],
            per_second: float | None = None, unit: str = "request") -> None:
    rate = f"{per_second:,.0f} customers/s; " if per_second is not None else ""
    print(f"[{backend}] {label}: {rate}per {unit} p50 {statistics.median(times):.1f} ms  "
          f"p95 {pct(times, 95):.1f} ms  max {max(times):.1f} ms; answers {dict(sorted(codes.items()))}; "
          f"load average {load[0]:.1f} -> {load[1]:.1f} on {os.cpu_count()} cores")


def _missing(backend: str, what: str, answer) -> bool:
    """The route is not in the app (yet): say so instead of measuring 404s."""
    if answer.status_code in (404, 405) and "problem" not in answer.headers.get("content-type", ""):
        print(f"[{backend}] {what}: not there yet ({answer.status_code}), skipped")
        return True
    return False


def _single_creates(backend: str, client, headers: dict, people: People, runs: int) -> None:
    probe = client.post(f"{BASE}/customers", json=people.one(), headers=headers)
    if _missing(backend, "POST /customers", probe):
        return
    load = _load()
    times, answers, wall, after = _timed(lambda: client.post(f"{BASE}/customers", json=people.one(),
                                                             headers=headers), runs)
    codes = Counter(a.status_code for a in answers)
    created = sum(count for status, count in codes.items() if 200 <= status < 300)
    _report(backend, f"{runs} single POST /customers", times, codes, (load, after), created / wall)
    _explain_refusals(backend, answers)


def _batch_creates(backend: str, client, headers: dict, people: People, batches: int, size: int) -> None:
    probe = client.post(f"{BASE}/customers/batch", json={"items": [people.one()]}, headers=headers)
    if _missing(backend, "POST /customers/batch", probe):
        return
    load = _load()
    times, answers, wall, after = _timed(
        lambda: client.post(f"{BASE}/customers/batch", json={"items": [people.one() for _ in range(size)]},
                            headers=headers), batches)
    codes = Counter(a.status_code for a in answers)
    created = sum(_batch_created(a) for a in answers)
    _report(backend, f"{batches} POST /customers/batch of {size}", times, codes, (load, after),
            created / wall, unit="batch")
    _explain_refusals(backend, answers)
    refused = [item for a in answers if a.status_code < 300 for item in a.json().get("items", [])
               if item.get("status") != 201]
    if refused:
        print(f"[{backend}]   {len(refused)} items refused, e.g. {str(refused[0].get('problem'))[:300]}")


def _batch_created(answer) -> int:
    """How many customers a batch answer says it created (its items answered 201)."""
    if answer.status_code >= 300:
        return 0
    return sum(1 for item in answer.json().get("items", []) if item.get("status") == 201)


def _explain_refusals(backend: str, answers: list) -> None:
    refused = next((a for a in answers if a.status_code >= 300), None)
    if refused is not None:
        print(f"[{backend}]   e.g. {refused.status_code}: {refused.text[:300]}")


def _searches(backend: str, client, headers: dict, org_id: int, runs: int, seed: int) -> None:
    from crm_app.db import session_scope

    with session_scope() as session:
        terms = [q.get("q", "") for q in _queries(session, org_id, random.Random(seed), runs * 2)]
    terms = [t for t in terms if t][:runs]
    first = client.get(f"{BASE}/customers", params={"q": terms[0]}, headers=headers)  # unmeasured
    if _missing(backend, "GET /customers", first):
        return
    found = 0

    def search(term: str):
        nonlocal found
        answer = client.get(f"{BASE}/customers", params={"q": term, "limit": 50}, headers=headers)
        found += answer.status_code == 200 and bool(answer.json().get("items"))
        return answer

    load = _load()
    pending = iter(terms)
    times, answers, _, after = _timed(lambda: search(next(pending)), len(terms))
    codes = Counter(a.status_code for a in answers)
    _report(backend, f"{len(terms)} GET /customers?q= ({found / len(terms):.0%} found rows)",
            times, codes, (load, after))
    _explain_refusals(backend, answers)


def run_backend(backend: str, args: argparse.Namespace) -> None:
    org_id, actor = _prepare(backend, args.size, args.seed, args.reuse)
    import warnings

    # Starlette's in-process client; it warns that a newer httpx package will replace the one it uses.
    warnings.filterwarnings("ignore", message=".*httpx.*")
    from fastapi.testclient import TestClient

    from crm_app.api import build
    from crm_app.db import get_engine

    key = _bench_key(actor)
    headers = {"Authorization": f"Bearer {key}", "Accept-Language": "es"}
    # A reused database already holds the people an earlier run created from the same seed: they would
    # all be refused as duplicates, so a reused run draws new ones.
    people = People(random.Random(time.time_ns() if args.reuse else args.seed + 1))
    # base_url https: the API may insist on it; no network is involved either way.
    with TestClient(build(), base_url="https://bench.test") as client:
        _single_creates(backend, client, headers, people, args.creates)
        _batch_creates(backend, client, headers, people, args.batches, args.batch_size)
        _searches(backend, client, headers, org_id, args.searches, args.seed)
    get_engine().dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="customers seeded (the issue's: 1000000)")
    parser.add_argument("--creates", type=int, default=200, help="single POST /customers")
    parser.add_argument("--batches", type=int, default=10, help="POST /customers/batch requests")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database of a previous run of that size")
    args = parser.parse_args()
    os.environ.setdefault("CRM_SECRET_KEY", "bench-secret-key-not-for-production-use-0000")
    for backend in (["sqlite", "postgresql"] if args.backend == "all" else [args.backend]):
        if backend == "postgresql" and not _postgres_reachable():
            print(f"[postgresql] skipped: {PG_ADMIN_URL} is not reachable")
            continue
        run_backend(backend, args)


if __name__ == "__main__":
    main()
