"""Many organizations in one PostgreSQL database: skewed tenant sizes, each tenant seeded by the app's
own seeder (services/seed.py, COPY per chunk), the database kept per (total, organizations)."""

from __future__ import annotations

import math
import os
import random
import time

SMALLEST, LARGEST = 100, 200_000  # a tenant's customers, as the issue asks
# The two tenants measured, the same in every database so the growth compares like with like.
LARGE_TENANT, SMALL_TENANT = 100_000, 1_000
PASSWORD = "bench-password-123"


def tenant_sizes(organizations: int, total: int, seed: int = 17) -> list[int]:
    """``organizations`` sizes in [SMALLEST, LARGEST], log-normal (most tenants small, a few large),
    summing to ``total``; largest first. A single organization holds the total."""
    if organizations == 1:
        return [total]
    if not organizations * SMALLEST <= total <= organizations * LARGEST:
        raise ValueError(f"{total:,} customers cannot be split in {organizations} tenants of 100-200,000")
    rng = random.Random(seed)
    raw = [math.exp(rng.gauss(0, 1.6)) for _ in range(organizations)]
    # Scale until the clamped sizes sum to the total (bisection on the scale factor).
    low, high = 0.0, float(LARGEST)
    for _ in range(200):
        scale = (low + high) / 2
        if sum(min(LARGEST, max(SMALLEST, round(r * scale))) for r in raw) < total:
            low = scale
        else:
            high = scale
    sizes = sorted((min(LARGEST, max(SMALLEST, round(r * high))) for r in raw), reverse=True)
    # Rounding leaves a few customers over or under: taken from / given to tenants that have room.
    gap, i = total - sum(sizes), 0
    while gap:
        step = 1 if gap > 0 else -1
        if SMALLEST <= sizes[i % organizations] + step <= LARGEST:
            sizes[i % organizations] += step
            gap -= step
        i += 1
    return sorted(sizes, reverse=True)


def database_name(total: int, organizations: int) -> str:
    return f"h6_tenants_{total}_{organizations}"


def tenants_database(
    total: int, organizations: int, seed: int = 17
) -> tuple[str, list[tuple[int, int, str]]]:
    """The database's URL and its tenants (organization id, customers, admin e-mail), seeded unless a
    previous run finished seeding it (its ``h6_tenant`` table is written last)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from bench.list_search import PG_ADMIN_URL, migrate

    name = database_name(total, organizations)
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    tenants = _finished(url)
    if tenants is not None:
        print(f"[tenants] reusing {name}: {len(tenants)} organizations, {total:,} customers")
        _use(url)
        return url, tenants
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    _use(url)
    migrate(url)
    if organizations < 2 or total < LARGE_TENANT + SMALL_TENANT + (organizations - 2) * SMALLEST:
        raise ValueError("need the two measured tenants (100,000 and 1,000 customers) plus 100 per other")
    others = (
        tenant_sizes(organizations - 2, total - LARGE_TENANT - SMALL_TENANT, seed)
        if organizations > 2
        else []
    )
    tenants = _seed([LARGE_TENANT, SMALL_TENANT, *others], seed)
    from crm_app.db import get_engine

    with get_engine().begin() as conn:
        conn.execute(text("CREATE TABLE h6_tenant (organization_id int, customers int, email text)"))
        for row in tenants:
            conn.execute(
                text("INSERT INTO h6_tenant VALUES (:o, :c, :e)"), {"o": row[0], "c": row[1], "e": row[2]}
            )
    return url, tenants


def _use(url: str) -> None:
    from bench.common import use_database

    use_database(url)


def _finished(url: str) -> list[tuple[int, int, str]] | None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT * FROM h6_tenant ORDER BY customers DESC"))]
    except Exception:  # no database or an unfinished seed: seed afresh
        return None
    finally:
        engine.dispose()


def _seed(sizes: list[int], seed: int) -> list[tuple[int, int, str]]:
    """One organization per size, each filled by ``seed_customers``, largest first: the first load is the
    biggest and rebuilds the indexes once; the rest go through the indexes as a live tenant's would."""
    from bench.common import create_bench_organization
    from crm_app.db import get_engine
    from crm_app.services.seed import seed_customers

    engine = get_engine()
    tenants, done, started = [], 0, time.perf_counter()
    for i, size in enumerate(sizes):
        email = f"h6-tenant-{i}@bench.test"
        org_id, signed = create_bench_organization(email, PASSWORD, name=f"Tenant {i}")
        seed_customers(engine, org_id, size, country="EC", seed=seed + i, created_by=signed.actor.user_id)
        tenants.append((org_id, size, email))
        done += size
        if i % max(1, len(sizes) // 10) == 0 or i == len(sizes) - 1:
            seconds = time.perf_counter() - started
            print(
                f"[tenants] {i + 1}/{len(sizes)} organizations, {done:,} customers in {seconds:.0f} s "
                f"({done / seconds:,.0f}/s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
                flush=True,
            )
    return tenants
