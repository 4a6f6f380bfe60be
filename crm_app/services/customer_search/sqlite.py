"""SQLite: the ordered index scan over the FTS5 trigram table, then the walk, candidates, and the scan
resumed or the unbounded walk.

Order: [trash driver, see backend.py] -> ordered index scan (by name) or search-index driver (by
creation) -> walk window -> candidates from the drivers (the smallest list, or the ids common to
several), when fewer than the unbounded plans are expected to read -> the scan resumed, or the unbounded
walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from crm_app.domain.search_text import (
    NAME_KEY_ID_BITS,
    NAME_KEY_ID_MASK,
    name_code,
    name_code_range,
    name_key_group,
)
from crm_app.services.customer_search import limits
from crm_app.services.customer_search.candidates import candidates
from crm_app.services.customer_search.plan import Driver, Plan
from crm_app.services.customer_search.sql import After, extrapolated, from_candidates, try_driver, walk


def find(session: Session, plan: Plan, drivers: list[Driver], after: After, n: int) -> list[Any]:
    """The page, by the cheapest plan that answers (see the module docstring)."""
    scan: Scan | None = None
    if plan.fts_match and plan.sort_field == "name":
        rows, scan = ordered_scan(session, plan, after, n, budget=limits.SCAN_BUDGET)
        if rows is not None:
            return rows
    elif drivers and drivers[0].name == "fts":  # a rare term: its few matches, at once
        rows = try_driver(session, plan, drivers[0], after, n)
        if rows is not None:
            return rows
    rows, complete = walk(session, plan, after, n, window=limits.WALK_WINDOW)
    if complete:
        return rows
    # Rows the unbounded plans would still read, extrapolated from what the bounded ones found.
    remaining = extrapolated(n, len(rows), limits.WALK_WINDOW)
    if scan is not None:
        remaining = min(remaining, extrapolated(n, len(scan.matched), scan.read))
    rows = candidates(session, plan, drivers, after, n, int(remaining))
    if rows is not None:
        return rows
    if scan is not None:  # go on where the scan stopped: it never reads a row that does not match
        return ordered_scan(session, plan, after, n, budget=None, scan=scan)[0] or []
    return walk(session, plan, after, n)[0]


@dataclass
class Scan:
    """Progress of an ordered index scan, so that a scan that gave up can be resumed later."""

    bound: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    matched: list[tuple[int, Any]] = field(default_factory=list)  # (name code, row) in index order
    batch: int = 0
    read: int = 0


def ordered_scan(
    session: Session, plan: Plan, after: After, n: int, budget: int | None, scan: Scan | None = None
) -> tuple[list[Any] | None, Scan]:
    """By name: read the FTS index in name-key order (see the package docstring).

    Matches come grouped by name code (the first characters of the name), the groups in order. Once
    ``n`` matches are seen, the groups before the n-th one's are complete and sorted exactly; the
    n-th one's group, whose rows the index lists by id, is finished from the index if it has few more
    matches (see :func:`_finish_group`). Returns (None, progress) after reading ``budget`` index rows
    without filling the page; pass the progress back to go on.
    """
    descending = plan.descending
    order = "DESC" if descending else "ASC"
    if scan is None:
        scan = Scan(params={"q": plan.fts_match}, batch=max(2 * n, limits.SCAN_BATCH))
        if after is not None:  # start at the cursor's name-key group; rows up to the cursor are filtered
            low, high = name_key_group(name_code(after[0]))
            scan.bound, scan.params["bound"] = (
                ("AND rowid <= :bound", high) if descending else ("AND rowid >= :bound", low)
            )
    matched, read = scan.matched, 0
    keys: list[int] = []
    while len(matched) < n:
        keys = list(
            session.execute(
                text(
                    f"SELECT rowid FROM customer_fts WHERE customer_fts MATCH :q {scan.bound} "
                    f"ORDER BY rowid {order} LIMIT :batch"
                ),
                {**scan.params, "batch": scan.batch},
            ).scalars()
        )
        read += len(keys)
        matched += _fetch_matches(session, plan, keys, after)
        if len(keys) < scan.batch:  # the index has no more matches: all of them are known
            return sorted((row for _, row in matched), key=_name_order, reverse=descending)[:n], scan
        scan.bound = "AND rowid < :bound" if descending else "AND rowid > :bound"
        scan.params["bound"] = keys[-1]
        scan.batch = min(scan.batch * 4, 2000)
        if budget is not None and read >= budget and len(matched) < n:
            return None, scan
    last = keys[-1] if keys else scan.params["bound"]
    return _finish_group(session, plan, after, n, matched, last), scan


def _finish_group(
    session: Session, plan: Plan, after: After, n: int, matched: list[tuple[int, Any]], last: int
) -> list[Any]:
    """The page, once ``n`` matches are seen and the index was read up to key ``last``: the n-th match's
    name-key group finished from the index when it has few more matches, else by walking the name index
    over that group's name range (by name, so it stops after the page)."""
    descending = plan.descending
    code = matched[n - 1][0]
    past = (lambda c: c < code) if descending else (lambda c: c > code)  # groups after the n-th row's
    complete = past(last >> NAME_KEY_ID_BITS)  # the index already moved on to a later group
    if not complete:  # the rest of the group from the index, when it has few more matches
        low, high = name_key_group(code)
        beyond, within = ("<", ">=") if descending else (">", "<=")
        order = "DESC" if descending else "ASC"
        rest = list(
            session.execute(
                text(
                    f"SELECT rowid FROM customer_fts WHERE customer_fts MATCH :q "
                    f"AND rowid {beyond} :last AND rowid {within} :edge ORDER BY rowid {order} LIMIT :batch"
                ),
                {
                    "q": plan.fts_match,
                    "last": last,
                    "edge": low if descending else high,
                    "batch": limits.GROUP_READ,
                },
            ).scalars()
        )
        matched += _fetch_matches(session, plan, rest, after)
        complete = len(rest) < limits.GROUP_READ
    if complete:
        return sorted((row for c, row in matched if not past(c)), key=_name_order, reverse=descending)[:n]
    before = sorted(
        (row for c, row in matched if c != code and not past(c)), key=_name_order, reverse=descending
    )
    low_name, high_name = name_code_range(code)
    group = ("c.sort_name >= :group_low",) + (("c.sort_name < :group_high",) if high_name is not None else ())
    rows, _ = walk(
        session, plan, after, n - len(before), extra_terms=group, group_low=low_name, group_high=high_name
    )
    return before + rows


def _fetch_matches(session: Session, plan: Plan, keys: list[int], after: After) -> list[tuple[int, Any]]:
    """The rows behind search-index keys that pass every term, as (name code, row), in key order."""
    ids = [key & NAME_KEY_ID_MASK for key in keys]
    rows = {row.id: row for row in from_candidates(session, plan, ids, after, None)}
    return [(key >> NAME_KEY_ID_BITS, rows[i]) for key, i in zip(keys, ids, strict=True) if i in rows]


def _name_order(row: Any) -> tuple[str, int]:
    return row.sort_name, row.id
