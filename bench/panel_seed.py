"""bench/panel.py's database: one per size and dialect, seeded with what is missing.

A size's database (bench/results/panel_<size>.db, clientela_panel_<size>_<checkout>) holds one
organization with an admin and nine sales users, ``size`` customers spread over them
(services/seed_activity.seed_spread_customers), then size/5 tasks and 2 x size feed events (comments
among them), size/20 leads and size/20 work orders (services/seed_sales.py). A later run finds what is
there and seeds only what is missing; another size never touches it.
"""

from __future__ import annotations

import os
import time
import warnings
from dataclasses import dataclass

from bench.list_search import PASSWORD, _database, migrate

SALES_USERS = 9


@dataclass(frozen=True)
class Sizes:
    customers: int
    tasks: int
    events: int
    leads: int
    orders: int

    @classmethod
    def of(cls, size: int) -> Sizes:
        return cls(size, size // 5, size * 2, size // 20, size // 20)


@dataclass(frozen=True)
class Seeded:
    organization_id: int
    admin_email: str
    sales_email: str
    seconds: float  # spent seeding in this run (0 when everything was there)


def _admin_email(backend: str) -> str:
    return f"bench-panel-{backend}@bench.test"


def _counts(url: str, email: str) -> dict[str, int] | None:
    """What a previous run left in the database: its organization and its rows per table."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            org = conn.execute(
                text("SELECT organization_id FROM app_user WHERE email = :e"), {"e": email}).scalar()
            if org is None:
                return None
            found = {"organization": org}
            for table in ("customer", "task", "feed_event", "lead", "sales_order", "app_user"):
                found[table] = conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE organization_id = :org"), {"org": org}).scalar()
            return found
    except Exception:  # no database, no tables: seed afresh
        return None
    finally:
        engine.dispose()


def _log(what: str):
    last = [0.0]

    def progress(*args) -> None:
        done, seconds = args[-2], args[-1]
        if seconds - last[0] >= 15:
            last[0] = seconds
            print(f"  {what}: {done:,} rows in {seconds:.0f} s (load average {os.getloadavg()[0]:.1f})",
                  flush=True)

    return progress


def _sales_users(org_id: int, admin_email: str, backend: str) -> str:
    """Nine sales users besides the admin, signing in with the benchmark's password (the first one is the
    sales user measured); his e-mail."""
    from crm_app.db import session_scope
    from crm_app.domain.passwords import hash_password
    from crm_app.models import User
    from crm_app.services import auth, users

    emails = [f"bench-panel-sales{i}-{backend}@bench.test" for i in range(1, SALES_USERS + 1)]
    with session_scope() as session:
        admin = auth.sign_in(session=session, email=admin_email, password=PASSWORD).actor
        for i, email in enumerate(emails, 1):
            made, _ = users.create_user(session=session, actor=admin, name=f"Vendedor {i}", email=email,
                                        role="sales")
            user = session.get(User, made.id)
            user.password_hash, user.must_change_password = hash_password(PASSWORD), False
    return emails[0]


def _add_missing_indexes(engine, backend: str) -> None:
    """Build the indexes the models declare that a reused database lacks (a migration edited since the
    seed, as 0014 was for the workload's): the figures must be the code's of today."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SAWarning
    from sqlmodel import SQLModel

    import crm_app.models  # noqa: F401 the tables, registered on SQLModel.metadata

    inspector = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        with warnings.catch_warnings():  # SQLite does not reflect expression indexes (none is a model's)
            warnings.simplefilter("ignore", SAWarning)
            there = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in sorted(table.indexes, key=lambda i: i.name):
            if index.name not in there:
                started = time.perf_counter()
                index.create(bind=engine)
                took = time.perf_counter() - started
                print(f"[{backend}] built the missing index {index.name} in {took:.1f} s")


def prepare(backend: str, size: int, seed: int = 7, fresh: bool = False) -> Seeded:
    """The size's database made the app's, with whatever was missing seeded."""
    want = Sizes.of(size)
    name, email = f"panel_{size}", _admin_email(backend)
    sales_email = f"bench-panel-sales1-{backend}@bench.test"
    found = None if fresh else _counts(_database(backend, fresh=False, name=name), email)
    if found is not None and (found["customer"] != want.customers or found["app_user"] != SALES_USERS + 1):
        print(f"[{backend}] the {name} database holds {found['customer']:,} customers: seeding afresh")
        found = None
    url = _database(backend, fresh=found is None, name=name)
    from bench.common import create_bench_organization, use_database

    use_database(url)
    from sqlalchemy import text

    from crm_app.db import get_engine
    from crm_app.services.seed_activity import seed_activity, seed_spread_customers
    from crm_app.services.seed_sales import seed_sales

    engine = get_engine()
    started = time.perf_counter()
    if found is None:
        migrate(url)
        org_id, _ = create_bench_organization(email, PASSWORD)
        sales_email = _sales_users(org_id, email, backend)
        with engine.connect() as conn:
            query = text("SELECT id FROM app_user WHERE organization_id = :o ORDER BY id")
            user_ids = list(conn.execute(query, {"o": org_id}).scalars())
        mark, load = time.perf_counter(), os.getloadavg()[0]
        seed_spread_customers(engine, org_id, want.customers, users=user_ids, country="EC", seed_value=seed,
                              progress=_log("customers"))
        print(f"[{backend}] seeded {want.customers:,} customers in {time.perf_counter() - mark:.1f} s "
              f"(load average {load:.1f} -> {os.getloadavg()[0]:.1f})", flush=True)
        found = {"organization": org_id, "task": 0, "feed_event": 0, "lead": 0, "sales_order": 0}
    else:
        _add_missing_indexes(engine, backend)
    org_id = found["organization"]
    if (found["task"], found["feed_event"], found["lead"]) != (want.tasks, want.events, want.leads):
        with engine.begin() as conn:  # a run cut short: its partial activity goes, then all of it again
            for table in ("feed_event", "comment", "task", "lead"):
                conn.execute(text(f"DELETE FROM {table} WHERE organization_id = :o"), {"o": org_id})
        mark, load = time.perf_counter(), os.getloadavg()[0]
        done = seed_activity(engine, org_id, tasks=want.tasks, events=want.events, leads=want.leads,
                             seed_value=seed, progress=_log("activity"))
        print(f"[{backend}] seeded {done.tasks:,} tasks, {done.events:,} feed events ({done.comments:,} "
              f"comments), {done.leads:,} leads in {done.seconds:.1f} s "
              f"(load average {load:.1f} -> {os.getloadavg()[0]:.1f})", flush=True)
    if found["sales_order"] < want.orders:
        mark, load = time.perf_counter(), os.getloadavg()[0]
        seed_sales(engine, org_id, 0, orders=want.orders - found["sales_order"], seed=seed)
        print(f"[{backend}] seeded {want.orders - found['sales_order']:,} work orders in "
              f"{time.perf_counter() - mark:.1f} s (load average {load:.1f} -> {os.getloadavg()[0]:.1f})",
              flush=True)
    return Seeded(org_id, email, sales_email, time.perf_counter() - started)
