"""Per-organization document numbers: sequential and never reused, even under concurrent creates.

The number is taken by one ``UPDATE ... SET last_number = last_number + 1 ... RETURNING`` in the
creating transaction: PostgreSQL holds the counter row's lock until that transaction ends, and SQLite
has a single writer, so two documents created at once get two numbers; a transaction that rolls back
gives its number back with it (nothing was ever shown with it). The counter row is created on first use
with an insert that ignores a concurrent twin.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from crm_app.models import DocumentCounter

KINDS = ("order", "sale")


def next_number(session: Session, organization_id: int, kind: str) -> int:
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    bump = (
        update(DocumentCounter)
        .where(DocumentCounter.organization_id == organization_id, DocumentCounter.kind == kind)
        .values(last_number=DocumentCounter.last_number + 1)
        .returning(DocumentCounter.last_number)
    )
    number = session.execute(bump).scalar_one_or_none()
    if number is not None:
        return number
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(DocumentCounter)
        .values(organization_id=organization_id, kind=kind, last_number=0)
        .on_conflict_do_nothing(index_elements=["organization_id", "kind"])
    )
    return session.execute(bump).scalar_one()
