"""Customers with children for the merge tests (tests/services/test_merge_*.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.merge import MergeRequest
from crm_app.models import Customer
from crm_app.services import customers, merge
from tests.db import run_like_app

# Rows the merge and its undo add on purpose (their records, events and deliveries), left out when a
# test compares the database before and after.
RECORD_TABLES = frozenset({"customer_merge", "webhook_delivery", "activity_log", "duplicate_pair",
                           "duplicate_group"})
MERGE_KINDS = ("customer_merged", "customer_merge_undone")


def allow_duplicates(session: Session, admin) -> None:
    """Duplicates are what merges are for: the organization lets them in."""
    run_like_app(session, customers.set_duplicate_policy, actor=admin,
                 policy=customers.DuplicatePolicy(phone=False, email=False, tax_id=False))


def person(first: str, last: str = "Vera", **extra: Any) -> CustomerInput:
    return CustomerInput(client_type="person", first_name=first, last_name=last, **extra)


def create(session: Session, actor, data: CustomerInput) -> int:
    return run_like_app(session, customers.create_customer, actor=actor, data=data).id


def request(session: Session, ids: list[int], survivor_id: int | None = None,
            choices: dict[str, int] | None = None) -> MergeRequest:
    rows = session.execute(select(Customer.id, Customer.version).where(Customer.id.in_(ids))).all()
    return MergeRequest(customer_ids=tuple(ids), survivor_id=survivor_id or ids[0], choices=choices or {},
                        versions=dict(rows))


def do_merge(session: Session, actor, ids: list[int], survivor_id: int | None = None, **kw: Any):
    return run_like_app(session, merge.merge, actor=actor, request=request(session, ids, survivor_id, **kw))


def database(session: Session) -> dict[str, list[tuple]]:
    """Every app table's rows, sorted, but the merge's own records and events."""
    tables = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in RECORD_TABLES:
            continue
        query = select(table)
        if table.name == "feed_event":
            query = query.where(table.c.kind.not_in(MERGE_KINDS))
        tables[table.name] = sorted((tuple(r) for r in session.execute(query)), key=repr)
    return tables


def age(session: Session, customer_id: int, days: int) -> None:
    """Make a customer look created and changed ``days`` ago (the defaults pick the most recent)."""
    row = session.get(Customer, customer_id)
    row.created_at = row.created_at - timedelta(days=days)
    row.updated_at = row.updated_at - timedelta(days=days)
    session.commit()


__all__ = [
    "EmailInput", "PhoneInput", "age", "allow_duplicates", "create", "database", "do_merge", "person",
    "request",
]
