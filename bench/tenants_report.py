"""``list_search.py --organizations N``: the list search of a small and a large tenant among N
organizations in one PostgreSQL database, with the plan of a representative search."""

from __future__ import annotations

import re

from bench.tenants_seed import LARGE_TENANT, SMALL_TENANT, database_name, tenants_database


def run(organizations: int, total: int, count: int, seed: int, show_slowest: int) -> list[dict]:
    from crm_app.db import session_scope
    from crm_app.services import auth

    _, tenants = tenants_database(total, organizations)  # seeded or re-used, now the app's database
    from bench.list_search import PASSWORD, measure

    rows = []
    for label, size in (("small", SMALL_TENANT), ("large", LARGE_TENANT)):
        org_id, _, email = next(t for t in tenants if t[1] == size)
        with session_scope() as session:
            token = auth.sign_in(session=session, email=email, password=PASSWORD).token
        plan: dict = {}
        tag = f"postgresql {label} tenant {size:,} of {organizations} orgs"
        result = measure(tag, org_id, token, count, seed, show_slowest, lambda s, p=plan: _explain(s, p))
        print(f"[{tag}] EXPLAIN (ANALYZE, BUFFERS) of the first search ({plan.get('query', '?')}):")
        print("\n".join("    " + line for line in plan.get("lines", [])))
        rows.append(
            {
                "organizations": organizations,
                "total": total,
                "tenant": size,
                **result,
                "buffers": plan.get("buffers", 0),
            }
        )
    size = _database_size(database_name(total, organizations))
    print(f"[tenants] database {database_name(total, organizations)}: {size}")
    print(
        "organizations | total customers | tenant | p50 ms | p95 ms | plan buffers (hit+read) | load average"
    )
    for r in rows:
        print(
            f"{r['organizations']} | {r['total']:,} | {r['tenant']:,} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['buffers']} | {r['load']:.1f}"
        )
    return rows


def _explain(captured: list, plan: dict) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest customer statement the search ran."""
    from crm_app.db import get_engine

    raw = get_engine().raw_connection()
    try:
        cursor = raw.cursor()
        best = None
        for statement, parameters in captured:
            if "customer" not in statement or not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            lines = [r[0] for r in cursor.fetchall()]
            ms = float(re.search(r"Execution Time: ([\d.]+)", lines[-1]).group(1))
            if best is None or ms > best[0]:
                best = (ms, lines, parameters)
        raw.rollback()
    finally:
        raw.close()
    if best:
        top = next((line for line in best[1] if "Buffers:" in line), "")
        plan["lines"] = best[1]
        plan["buffers"] = sum(int(n) for n in re.findall(r"(?:hit|read)=(\d+)", top))
        plan["query"] = f"{best[0]:.1f} ms"


def _database_size(name: str) -> str:
    from sqlalchemy import text

    from crm_app.db import get_engine

    with get_engine().connect() as conn:
        return conn.execute(text(f"SELECT pg_size_pretty(pg_database_size('{name}'))")).scalar()
