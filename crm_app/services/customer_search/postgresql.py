"""PostgreSQL: the walk along keyset indexes that carry the search text (index-only), and the split page.

PostgreSQL has no index that lists trigram matches in name order, but its keyset indexes carry the
search text and the filtered columns, tag and consent facets included (INCLUDE), so a walk reads the
index only (0.3 us a row). The trap left is the first name: "lorena" matches 7,000 customers, nearly
all of them together under "lorena ..." in name order, and a trigram index (no order) would read all
of them to sort a page. So its trigram index covers the *rest* of the search text, without the
customer's first word (``search_rest``, migration 0009), and the **split page** lists a search's
matches as the ranges of the first words its terms can overlap (``customer_first_word``; each range
read in order from the name index, a page at most) plus the trigram index's matches of the rest
(usually a few hundred), filtered and sorted in one statement. Order: [trash driver, see backend.py]
-> the split page when the search looks rare (an ID, a phone, an e-mail, a full name) or has a tag or
consent filter -> a walk window -> the walk goes on if it is nearly done, else the split page (the
trigram index listing up to ``GIN_CAP``) -> the unbounded walk. The GIN index also holds the customer's
tag ids and e-mail consent (``search_facets``, kept by triggers), so a term with a tag or the consent
filter is intersected in the index and only the rows having both are read.

Without search terms, the walk on a window, then candidates, then the unbounded walk.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from crm_app.services.customer_search import limits
from crm_app.services.customer_search.candidates import candidates
from crm_app.services.customer_search.plan import Driver, Plan
from crm_app.services.customer_search.sql import ROW_COLUMNS, After, extrapolated, keyset, order_by, run, walk


def find(session: Session, plan: Plan, drivers: list[Driver], after: After, n: int) -> list[Any]:
    """The page, by the cheapest plan that answers (see the module docstring)."""
    if plan.rest_likes:
        return _find_search(session, plan, after, n)
    # The walk reads its index only (see sql.walk): a larger window costs less than SQLite's.
    rows, complete = walk(session, plan, after, n, window=limits.PG_WALK_WINDOW)
    if complete:
        return rows
    worth = int(extrapolated(n, len(rows), limits.PG_WALK_WINDOW))
    rows = candidates(session, plan, drivers, after, n, worth)
    if rows is not None:
        return rows
    return walk(session, plan, after, n)[0]


def _find_search(session: Session, plan: Plan, after: After, n: int) -> list[Any]:
    """With search terms: the walk on a window, its continuation when nearly done, else the split page;
    the unbounded walk last. A search that looks rare (an ID, a phone, an e-mail, a full name) or has a
    tag or consent filter goes to the split page first.
    """
    # A rare-looking search, or one with a tag or the consent (which the trigram index intersects):
    # its matches at once; past GIN_CAP of them the search is common enough for the walk.
    if plan.rare or plan.facets:
        rows, complete = split_page(session, plan, after, n, cap=limits.GIN_CAP)
        return rows if complete else walk(session, plan, after, n)[0]
    rows, complete = walk(session, plan, after, n, window=limits.PG_WALK_WINDOW)
    if complete:
        return rows
    # Index rows the walk would still read (extrapolated from the window): few, and it just goes on.
    if extrapolated(n, len(rows), limits.PG_WALK_WINDOW) <= limits.PG_WALK_ON:
        return walk(session, plan, after, n)[0]
    rows, complete = split_page(session, plan, after, n, cap=limits.GIN_CAP)
    return rows if complete else walk(session, plan, after, n)[0]


def split_page(session: Session, plan: Plan, after: After, n: int, cap: int) -> tuple[list[Any], bool]:
    """The page among the search terms' matches, in one query: (rows, complete).

    The matches are those under the first words a term can overlap - ranges of the name index, each
    read in order, at most a page from each - and the others, whose rest (the search text without
    the first word, migration 0009) then holds every term: the trigram index lists those, with the
    tag and consent facets, and they are read and sorted. Incomplete when the trigram index listed
    more than ``cap``: the page would be among only some of them.
    """
    facets = [plan.facets_term] if plan.facets_term else []
    sort_key = plan.sort_column
    # Only what the terms, the keyset and the sort test: the rest's matches are kept once, counted
    # and sorted; the page's full rows are then read by primary key.
    needed = {"c.id", "c.organization_id", "c.deleted_at", "c.search_text", "c.sort_name", sort_key}
    columns = ", ".join(sorted(needed | plan.columns))
    patterns = {f"w{i}": pattern for i, pattern in enumerate(plan.word_patterns)}
    words = " OR ".join(f"word LIKE :{name}" for name in patterns) or "FALSE"
    rest_likes = [f"c.search_rest LIKE {plan.param(like)} ESCAPE '\\'" for like in plan.rest_likes]
    rest_terms = [*plan.index_terms[:2], *rest_likes, *facets]
    where = " AND ".join(plan.terms + keyset(plan, after))
    # In a first word's range, the cursor as a plain bound on the name: the index then starts at the
    # later of the two (a row comparison would make it start at the cursor, maybe 200,000 rows before).
    in_range = " AND ".join(plan.terms + keyset(plan, after, scalar=plan.sort_field == "name"))
    ordered = order_by(plan)
    sql_text = (
        f"WITH words AS MATERIALIZED (SELECT word FROM customer_first_word "
        f"WHERE organization_id = :org AND ({words})), "
        f"rest AS MATERIALIZED (SELECT {columns} FROM customer c "
        f"WHERE {' AND '.join(rest_terms)} "
        f"LIMIT :gin_cap), "
        f"hits AS (SELECT c.id, {sort_key} FROM rest AS c WHERE {where} "
        f"AND NOT EXISTS (SELECT 1 FROM words w WHERE w.word = split_part(c.sort_name, ' ', 1)) "
        f"UNION ALL SELECT p.* FROM words w CROSS JOIN LATERAL (SELECT c.id, {sort_key} FROM customer c "
        f"WHERE {in_range} AND c.sort_name >= w.word AND c.sort_name < w.word || '!' "
        f"{ordered} LIMIT :n) AS p), "
        f"page AS (SELECT c.id FROM hits AS c {ordered} LIMIT :n) "
        # One row even when nothing passes: how many the index listed tells whether all were seen.
        f"SELECT c.*, l.listed FROM (SELECT count(*) AS listed FROM rest) AS l LEFT JOIN "
        f"(SELECT {ROW_COLUMNS} FROM customer c JOIN page AS p ON p.id = c.id) AS c ON TRUE {ordered}"
    )
    found = run(session, plan, sql_text, after, n=n, gin_cap=cap + 1, org=plan.organization_id, **patterns)
    rows = [row for row in found if row.id is not None]
    return rows, found[0].listed <= cap
