"""One interface over the two backends: ``find`` gives the page's rows for a plan, by the plan the
dialect's module chooses (sqlite.find, postgresql.find), or by the one a test forces.

By last purchase the buyers come first, latest first, then the customers who never bought (by id,
newest first). SQLite puts NULLs at the low end of an index and PostgreSQL at the high end, so neither
"DESC" nor a row comparison can be trusted with them: the two parts are read one after the other, each
narrowed by an explicit condition (``Plan.part``) and read in the (organization_id, last_purchase_at,
id) index's order, which within each part means the same on both databases. A cursor whose key is None
is already among those who never bought.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from crm_app.services.customer_search import postgresql, sqlite
from crm_app.services.customer_search.plan import BOUGHT, NEVER_BOUGHT, Plan
from crm_app.services.customer_search.sql import After, try_driver, walk

BACKENDS = {"sqlite": sqlite.find, "postgresql": postgresql.find}


def find(session: Session, plan: Plan, after: After, n: int, force_plan: str = "") -> list[Any]:
    """The first ``n`` rows after the cursor. ``force_plan`` ("scan" | "candidates" | "walk") is for
    tests: every plan must give the same pages."""
    if plan.sort_field != "purchase":
        return _find(session, plan, after, n, force_plan)
    rows: list[Any] = []
    if after is None or after[0] is not None:
        rows = _find(session, plan.part(BOUGHT), after, n, force_plan)
        after = None
    if len(rows) < n and not plan.buyers_only:
        rows += _find(session, plan.part(NEVER_BOUGHT), after, n - len(rows), force_plan)
    return rows


def _find(session: Session, plan: Plan, after: After, n: int, force_plan: str) -> list[Any]:
    if force_plan:
        return _forced(session, plan, after, n, force_plan)
    drivers = list(plan.drivers)
    if plan.trash:  # usually a handful of rows
        rows = try_driver(session, plan, drivers.pop(0), after, n)
        if rows is not None:
            return rows
    return BACKENDS[plan.dialect](session, plan, drivers, after, n)


def _forced(session: Session, plan: Plan, after: After, n: int, force_plan: str) -> list[Any]:
    if force_plan == "walk":
        return walk(session, plan, after, n)[0]
    if force_plan == "scan":
        return sqlite.ordered_scan(session, plan, after, n, budget=None)[0] or []
    if not plan.drivers:
        raise ValueError("no candidate driver for this query")
    rows = try_driver(session, plan, plan.drivers[0], after, n, force=True)
    assert rows is not None
    return rows
