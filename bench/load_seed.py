"""The load test's database: migrated, one organization, its staff users, N customers (fast PostgreSQL seed).

    .venv/bin/python bench/load_seed.py --customers 100000 --database h4_load_100k --staff 200

Each size has its own database, so a 100k run keeps the 1M one. Running it again on a database that
already holds the organization with N customers only (re)creates missing staff users.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("CRM_LOAD_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
PASSWORD = "bench-password-123"
ADMIN_EMAIL = "load-admin@bench.test"


def staff_email(i: int) -> str:
    return f"load-staff-{i:04d}@bench.test"


def database_url(database: str) -> str:
    return f"{PG_SERVER}/{database}"


def _create_database(database: str, fresh: bool) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}).first()
        if exists and fresh:
            conn.execute(text(f'DROP DATABASE "{database}" WITH (FORCE)'))
        if not exists or fresh:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()


def _state(url: str) -> tuple[int | None, int]:
    """(organization id, customers) of a previous seed, or (None, 0)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text(
                "SELECT u.organization_id, (SELECT count(*) FROM customer c WHERE c.organization_id = "
                "u.organization_id) FROM app_user u WHERE u.email = :e"), {"e": ADMIN_EMAIL}).first()
    except Exception:  # no tables yet: a fresh seed
        return None, 0
    finally:
        engine.dispose()
    return (row[0], row[1]) if row else (None, 0)


def _add_staff(org_id: int, staff: int) -> int:
    """Sales users load-staff-0000.. with the bench password, no forced password change."""
    from sqlmodel import select

    from crm_app.db import session_scope
    from crm_app.domain import passwords
    from crm_app.models.organization import User

    digest = passwords.hash_password(PASSWORD)  # one hash for all: argon2 costs ~0.1 s each
    added = 0
    with session_scope() as session:
        have = set(session.exec(select(User.email).where(User.organization_id == org_id)).all())
        for i in range(staff):
            if staff_email(i) in have:
                continue
            session.add(User(organization_id=org_id, email=staff_email(i), name=f"Staff {i:04d}",
                             role="sales", password_hash=digest, must_change_password=False, language="es"))
            added += 1
    return added


def seed(database: str, customers: int, staff: int, fresh: bool = False) -> int:
    """The organization id of a database holding ``customers`` customers and ``staff`` sales users."""
    from bench.common import create_bench_organization, use_database
    from bench.list_search import migrate

    _create_database(database, fresh)
    url = database_url(database)
    use_database(url)
    org_id, have = _state(url)
    if org_id is not None and have != customers:
        print(f"[seed] {database} holds {have:,} customers, not {customers:,}: seeding afresh")
        _create_database(database, True)
        org_id = None
    if org_id is None:
        migrate(url)
        org_id, signed = create_bench_organization(ADMIN_EMAIL, PASSWORD, name="Load Admin")
        from crm_app.db import get_engine
        from crm_app.services.seed import seed_customers

        started = time.perf_counter()
        done = seed_customers(get_engine(), org_id, customers, country="EC", seed=17,
                              created_by=signed.actor.user_id)
        print(f"[seed] {database}: {done:,} customers in {time.perf_counter() - started:.0f} s "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    added = _add_staff(org_id, staff)
    print(f"[seed] {database}: organization {org_id}, {customers:,} customers, {added} staff users added")
    return org_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--database", default="h4_load_100k")
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    args = parser.parse_args()
    os.environ.setdefault("CRM_SECRET_KEY", "bench-secret-key-not-for-production-use-0000")
    seed(args.database, args.customers, args.staff, fresh=args.fresh)


if __name__ == "__main__":
    main()
