"""Rows for the panel's tests, written straight into the tables with the times a test needs (the
services stamp "now"): customers created at a given UTC moment, tasks, leads, orders, comments. No tests
here; tests/services/test_panel_*.py import these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import event
from sqlmodel import Session, select

from crm_app.db import session_scope
from crm_app.models import (
    Comment,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
    Lead,
    Order,
    OrderType,
    Tag,
    Task,
)
from crm_app.services.panel.refresh import refresh_summary


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def customer(session: Session, actor, created_at: datetime, *, name: str = "Cliente", client_type="person",
             source="form", channel_id=None, created_by=None, birthday: date | None = None,
             trashed: bool = False, tags=()) -> int:
    row = Customer(organization_id=actor.organization_id, display_name=name, sort_name=name.lower(),
                   first_name=name, client_type=client_type, source=source, channel_id=channel_id,
                   created_by=actor.user_id if created_by is None else created_by or None,
                   created_at=created_at, updated_at=created_at, birthday=birthday,
                   deleted_at=created_at if trashed else None)
    session.add(row)
    session.flush()
    for tag_id in tags:
        session.add(CustomerTag(customer_id=row.id, tag_id=tag_id, organization_id=actor.organization_id))
    session.commit()
    return row.id


def tag(session: Session, actor, name: str) -> int:
    row = Tag(organization_id=actor.organization_id, name=name, normalized=name.lower())
    session.add(row)
    session.commit()
    return row.id


def phone(session: Session, actor, customer_id: int, *, kind="mobile", whatsapp=False, sms=False) -> None:
    session.add(CustomerPhone(organization_id=actor.organization_id, customer_id=customer_id,
                              raw="0991234567", e164="+593991234567", kind=kind, whatsapp=whatsapp, sms=sms))
    session.commit()


def email(session: Session, actor, customer_id: int, *, consent: bool) -> None:
    session.add(CustomerEmail(organization_id=actor.organization_id, customer_id=customer_id,
                              address=f"c{customer_id}@example.com", accepts_email=consent))
    session.commit()


def task(session: Session, actor, title: str, due_at: datetime | None, *, assignee=None, customer_id=None,
         done: bool = False) -> int:
    row = Task(organization_id=actor.organization_id, title=title, due_at=due_at, customer_id=customer_id,
               assignee_id=assignee or actor.user_id, created_by=actor.user_id,
               done_at=due_at if done else None)
    session.add(row)
    session.commit()
    return row.id


def lead(session: Session, actor, status: str, created_at: datetime, *, owner=None) -> int:
    row = Lead(organization_id=actor.organization_id, name=f"Lead {status}", status=status,
               owner_id=owner, created_at=created_at, updated_at=created_at)
    session.add(row)
    session.commit()
    return row.id


def order(session: Session, actor, number: int, status: str, due: date | None, *, assignee=None,
          customer_id=None) -> int:
    kind = session.exec(select(OrderType).where(OrderType.organization_id == actor.organization_id)).first()
    if kind is None:
        kind = OrderType(organization_id=actor.organization_id, name="Servicio")
        session.add(kind)
        session.flush()
    row = Order(organization_id=actor.organization_id, number=number, order_type_id=kind.id, status=status,
                due_date=due, assignee_id=assignee, customer_id=customer_id, currency="USD")
    session.add(row)
    session.commit()
    return row.id


def comment(session: Session, actor, customer_id: int, body: str, at: datetime) -> int:
    row = Comment(organization_id=actor.organization_id, customer_id=customer_id, author_id=actor.user_id,
                  body=body, created_at=at)
    session.add(row)
    session.commit()
    return row.id


def refresh(engine, actor) -> None:
    refresh_summary(actor.organization_id, session_factory=lambda: session_scope(engine))


def statements_of(engine, wanted: Callable[[str], bool],
                  call: Callable[[], object]) -> list[tuple[str, object]]:
    """The statements (with their parameters) ``call`` runs that ``wanted`` picks."""
    ran: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if wanted(statement):
            ran.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return ran


def plans_of(session: Session, statements: list[tuple[str, object]]) -> list[str]:
    """Each statement's plan as the database explains it, with its own parameters; on PostgreSQL with
    sequential scans ruled out (a test's handful of rows would make them win)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    connection = session.connection()
    if not sqlite:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    plans = [" ".join(str(row[-1] if sqlite else row[0]) for row in connection.exec_driver_sql(
        ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters))
        for statement, parameters in statements]
    session.rollback()
    return plans
