"""A merge's snapshot: rows as they were, kept as JSON in ``customer_merge.snapshot`` so that an undo
writes them back exactly (same ids, same values, versions included).

Values JSON cannot hold are tagged (domain/merge.py to_snapshot). Rows are read through the tables'
Core columns, so a PostgreSQL column kept by a trigger (the search facets, outside the models) is left
to its trigger.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlmodel import Session

from crm_app.domain.merge import from_snapshot as _decode
from crm_app.domain.merge import to_snapshot as _encode


def encode_row(row: Any) -> dict[str, Any]:
    return {name: _encode(value) for name, value in row._mapping.items()}


def decode_row(row: dict[str, Any]) -> dict[str, Any]:
    return {name: _decode(value) for name, value in row.items()}


def read_rows(session: Session, table: Table, column: str, ids: Iterable[int]) -> list[dict[str, Any]]:
    """Every row of ``table`` whose ``column`` is one of ``ids``, encoded, in a stable order."""
    wanted = list(ids)
    if not wanted:
        return []
    order = list(table.primary_key.columns)
    query = select(table).where(table.c[column].in_(wanted)).order_by(*order)
    return [encode_row(r) for r in session.execute(query)]


def put_back(session: Session, table: Table, column: str, ids: Iterable[int],
             rows: list[dict[str, Any]]) -> None:
    """Replace ``table``'s rows of ``ids`` (by ``column``) with the snapshot's ``rows``."""
    wanted = list(ids)
    if wanted:
        session.execute(delete(table).where(table.c[column].in_(wanted)))
    if rows:
        session.execute(insert(table), [decode_row(r) for r in rows])


def dumps(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))
