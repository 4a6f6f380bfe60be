"""The statements both backends share: the list's columns, the keyset, the walk along a keyset index and
the reading of candidate ids."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Boolean, bindparam, text
from sqlmodel import Session

from crm_app.models.types import DecimalNumeric, UTCDateTime
from crm_app.services.customer_search.plan import Driver, Plan

ROW_COLUMNS = (
    "c.id, c.display_name, c.client_type, c.primary_phone_e164, c.primary_email, c.tax_id_type, "
    "c.tax_id, c.is_supplier, c.is_conflictive, c.created_at, c.sort_name, c.amount_spent, c.last_purchase_at"
)
# What the walk's window passes on: the list columns and those the conditions test.
_WALK_COLUMNS = (
    ROW_COLUMNS + ", c.organization_id, c.deleted_at, c.search_text, c.channel_id, c.created_by, c.source"
)
_AMOUNT = DecimalNumeric(16, 2)
_TYPED_COLUMNS = {
    "is_supplier": Boolean(), "is_conflictive": Boolean(), "created_at": UTCDateTime(),
    "amount_spent": _AMOUNT, "last_purchase_at": UTCDateTime(),
}
# How a cursor's key is bound, by sort field (a name is plain text).
_KEY_TYPES = {"created": UTCDateTime(), "purchase": UTCDateTime(), "spent": _AMOUNT}

After = tuple[Any, int] | None  # the cursor's (sort key, id), or None on the first page


def order_by(plan: Plan) -> str:
    """The sort column then the id. A purchase time may be missing: the plan is then narrowed to the buyers
    or to those who never bought (``Plan.part``), so where a database puts NULLs never matters."""
    direction = " DESC" if plan.descending else ""
    return f"ORDER BY {plan.sort_column}{direction}, c.id{direction}"


def keyset(plan: Plan, after: After, scalar: bool = False) -> list[str]:
    """The rows after the cursor: a row comparison, or (``scalar``) a bound on the sort column and a
    filter, which an index scan combines with other bounds on that column."""
    if after is None:
        return []
    column = plan.sort_column
    beyond = "<" if plan.descending else ">"
    if after[0] is None:  # among the customers who never bought (``Plan.part``): by id alone
        return [f"c.id {beyond} :after_id"]
    if scalar:
        tie = f"({column} {beyond} :after_key OR c.id {beyond} :after_id)"
        return [f"{column} {beyond}= :after_key", tie]
    return [f"({column}, c.id) {beyond} (:after_key, :after_id)"]


def run(session: Session, plan: Plan, sql_text: str, after: After, **params: Any) -> list[Any]:
    statement = text(sql_text).columns(**_TYPED_COLUMNS)
    key_type = _KEY_TYPES.get(plan.sort_field)
    if after is not None and after[0] is not None and key_type is not None:
        statement = statement.bindparams(bindparam("after_key", type_=key_type))
    if after is not None:
        params.update(after_key=after[0], after_id=after[1])
    return list(session.execute(statement, {**plan.params, **params}))


def among(dialect: str, column: str, ids: list[int]) -> tuple[str, Any]:
    """``column`` is one of ``ids``, passed as one parameter ``:ids``: (condition, parameter value)."""
    if dialect == "sqlite":
        return f"{column} IN (SELECT value FROM json_each(:ids))", json.dumps(ids)
    return f"{column} = ANY(:ids)", ids


def extrapolated(n: int, found: int, read: float) -> float:
    """Rows a plan would still read to fill a page of ``n``, having found ``found`` in ``read`` rows."""
    return (n - found) * read / max(found, 0.5)


def _hint(plan: Plan) -> str:
    # SQLite would otherwise choose a filter's index (say the channel's) and sort all its rows.
    return f" INDEXED BY {plan.walk_index}" if plan.dialect == "sqlite" and plan.walk_index else ""


def walk(
    session: Session,
    plan: Plan,
    after: After,
    n: int,
    *,
    window: int | None = None,
    extra_terms: tuple[str, ...] = (),
    **params: Any,
) -> tuple[list[Any], bool]:
    """Rows read in index order from the cursor: (page, complete). With ``window``, at most that many
    index rows are read; ``complete`` is False when that gave less than a page.

    On PostgreSQL the index holds the search text: the walk selects ids from the index alone (an
    index-only scan) and reads only the page's rows from the table.
    """
    index_where = plan.index_terms + keyset(plan, after) + list(extra_terms)
    other_terms = [t for t in plan.terms if t not in plan.index_terms]
    if plan.dialect == "postgresql":
        sql_text = _walk_postgresql(plan, index_where, other_terms, window)
    elif window is None:
        where = " AND ".join(plan.terms + keyset(plan, after) + list(extra_terms))
        sql_text = (
            f"SELECT {ROW_COLUMNS} FROM customer c{_hint(plan)} WHERE {where} {order_by(plan)} LIMIT :n"
        )
    else:
        inner = (
            f"SELECT {_WALK_COLUMNS} FROM customer c{_hint(plan)} WHERE {' AND '.join(index_where)} "
            f"{order_by(plan)} LIMIT :window"
        )
        sql_text = (
            f"SELECT {ROW_COLUMNS} FROM ({inner}) AS c WHERE {' AND '.join(other_terms) or '1'} "
            f"{order_by(plan)} LIMIT :n"
        )
    rows = run(session, plan, sql_text, after, n=n, window=window, **params)
    # Short of a page, a window may just have reached the end of the rows; telling would cost another
    # read of the window, so the caller goes on with its next plan, which finds the same rows.
    return rows, window is None or len(rows) >= n


def _walk_postgresql(plan: Plan, index_where: list[str], other_terms: list[str], window: int | None) -> str:
    sort_key = plan.sort_column
    columns = ", ".join(sorted({"c.id", "c.organization_id", sort_key, "c.search_text"} | plan.columns))
    if window is None:
        ids = (
            f"SELECT c.id FROM customer c WHERE {' AND '.join(index_where + other_terms)} "
            f"{order_by(plan)} LIMIT :n"
        )
    else:
        inner = (
            f"SELECT {columns} FROM customer c WHERE {' AND '.join(index_where)} "
            f"{order_by(plan)} LIMIT :window"
        )
        rest = " AND ".join(other_terms) or "TRUE"
        ids = f"SELECT c.id FROM ({inner}) AS c WHERE {rest} {order_by(plan)} LIMIT :n"
    return f"SELECT {ROW_COLUMNS} FROM customer c JOIN ({ids}) AS w ON w.id = c.id {order_by(plan)}"


def from_candidates(session: Session, plan: Plan, ids: list[int], after: After, n: int | None) -> list[Any]:
    """The rows among ``ids`` passing every term after the cursor: the first ``n`` in list order, or all
    of them (unordered) when ``n`` is None."""
    if not ids:
        return []
    source, ids_param = among(plan.dialect, "c.id", ids)
    where = " AND ".join([source, *plan.terms, *keyset(plan, after)])
    tail = f"{order_by(plan)} LIMIT :n" if n is not None else ""
    return run(
        session,
        plan,
        f"SELECT {ROW_COLUMNS} FROM customer c WHERE {where} {tail}",
        after,
        ids=ids_param,
        n=n,
    )


def try_driver(
    session: Session, plan: Plan, driver: Driver, after: After, n: int, force: bool = False
) -> list[Any] | None:
    """The page among a driver's ids, or None when it lists more than its cap (unless ``force``)."""
    ids = list(session.execute(text(driver.sql), driver.params).scalars())
    if len(ids) > driver.cap and not force:
        return None
    return from_candidates(session, plan, ids, after, n)
