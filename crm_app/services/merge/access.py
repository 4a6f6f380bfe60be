"""Who may merge, and which customers: admins only; every customer of the actor's organization (another
organization's id is NotFound, exactly like a missing one), active, not merged already."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from crm_app.domain.merge import MAX_MERGE
from crm_app.models import Customer
from crm_app.services.tenancy import valid_id

MAX_CHAIN = 64  # hops followed from a merged customer to his survivor (a merge of a merge...)


def merge_ids(customer_ids: Iterable[object]) -> tuple[int, ...]:
    """The merge's customers, each once, in the given order; 2..MAX_MERGE valid ids, else refused."""
    ids = tuple(dict.fromkeys(customer_ids))
    if not all(valid_id(i) for i in ids):
        raise NotFound("customer")
    if not 2 <= len(ids) <= MAX_MERGE:
        raise ValidationFailed({"customer_ids": FieldError("merge_count", min=2, max=MAX_MERGE)})
    return ids  # type: ignore[return-value]


def load_customers(
    session: Session, actor: Actor, ids: tuple[int, ...], *, lock: bool = False
) -> list[Customer]:
    """The customers in ``ids``' order, locked for the merge when asked (PostgreSQL: FOR UPDATE)."""
    query = select(Customer).where(Customer.id.in_(ids), Customer.organization_id == actor.organization_id)
    if lock:
        query = query.with_for_update()
    found = {c.id: c for c in session.execute(query).scalars()}
    if len(found) != len(ids):
        raise NotFound("customer")
    customers = [found[i] for i in ids]
    for customer in customers:
        if customer.merged_into_id is not None:
            raise Conflict("merge_customer_merged", name=customer.display_name)
        if customer.deleted_at is not None:
            raise Conflict("merge_customer_deleted", name=customer.display_name)
    return customers


def survivor_of(session: Session, organization_id: int, customer_id: int) -> int | None:
    """The customer a merged one lives on in, following merges of merges; None when not merged."""
    current, seen = customer_id, {customer_id}
    for _ in range(MAX_CHAIN):
        pointer = session.execute(
            select(Customer.merged_into_id).where(
                Customer.id == current, Customer.organization_id == organization_id)
        ).scalar_one_or_none()
        if pointer is None or pointer in seen:
            break
        seen.add(pointer)
        current = pointer
    return None if current == customer_id else current
