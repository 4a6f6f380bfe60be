"""Candidates, when the bounded plans gave up: the driver listing fewest ids, narrowed down by the others,
read by primary key, filtered and sorted in one statement (both backends)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from crm_app.services.customer_search import limits
from crm_app.services.customer_search.plan import Driver, Plan
from crm_app.services.customer_search.sql import ROW_COLUMNS, After, keyset, order_by, run


def candidates(
    session: Session, plan: Plan, drivers: list[Driver], after: After, n: int, worth: int
) -> list[Any] | None:
    """Candidates from the driver listing fewest ids, narrowed down to the ids the other drivers list
    too, if fewer than ``worth`` (what the unbounded plans are expected to read) and within the
    drivers' caps. The lists are counted and intersected in the database: "Lucía" and tag "Moroso"
    list 7,000 and 15,000 ids, 90 in common, and only those 90 customer rows are read."""
    sized: list[tuple[int, int, int, Driver]] = []  # (ids listed, cap as the driver, position, driver)
    for position, driver in enumerate(drivers):
        searching = driver.name in ("fts", "trgm")
        cap = min(limits.CANDIDATE_SEARCH_CAP if searching else limits.CANDIDATE_CAP, worth)
        listed = session.execute(
            text(f"SELECT count(*) FROM ({driver.sql}) AS d"), {**driver.params, "cap": cap + 1}
        ).scalar_one()
        sized.append((listed, cap, position, driver))
    within = sorted(s for s in sized if s[0] <= s[1])
    if not within:
        return None
    lead = within[0]
    # Intersecting with a much longer list costs more than testing the lead's rows for its term.
    most = min(limits.INTERSECT_CAP, limits.NARROW_RATIO * lead[0])
    narrowing = [s for s in within if s is not lead and s[0] <= most]
    parts, params = [], {}
    for listed, _, position, driver in [lead, *narrowing]:
        prefix = f"d{position}_"
        parts.append(f"SELECT id FROM ({_prefixed(driver.sql, prefix)}) AS d{position}")
        params.update({prefix + k: v for k, v in driver.params.items()}, **{prefix + "cap": listed})
    # The tag, consent, option and account tests on the ids alone: only the rows passing them are read
    # ("Mariana" by creation with tag VIP: 7,000 ids, 250 rows).
    on_ids = " AND ".join(term.replace("c.id", "k.id") for term in plan.id_terms)
    ids = f"SELECT k.id FROM ({' INTERSECT '.join(parts)}) AS k" + (f" WHERE {on_ids}" if on_ids else "")
    where = " AND ".join([f"c.id IN ({ids})", *plan.terms, *keyset(plan, after)])
    return run(
        session,
        plan,
        f"SELECT {ROW_COLUMNS} FROM customer c WHERE {where} {order_by(plan)} LIMIT :n",
        after,
        n=n,
        **params,
    )


def _prefixed(sql_text: str, prefix: str) -> str:
    """A driver's SQL with its parameters renamed, so that several drivers share one statement."""
    return re.sub(r":(\w+)", lambda m: f":{prefix}{m.group(1)}", sql_text)
