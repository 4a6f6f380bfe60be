"""Undoing a merge, within UNDO_HOURS and only while the survivor is as the merge left him: every row
the merge changed is written back from the snapshot (same ids, same values, versions included), every
row it moved points back at its customer; one "undone" event on the survivor's feed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict
from crm_app.domain.merge import UNDO_HOURS, MergeDTO
from crm_app.models import Customer, CustomerMerge
from crm_app.models.types import utcnow
from crm_app.services import feed
from crm_app.services.activity import record_activity
from crm_app.services.admin_settings import admin_only
from crm_app.services.merge import moves, records
from crm_app.services.merge.snapshot import decode_row, put_back


def _check(session: Session, row: CustomerMerge, customers: list[dict[str, Any]]) -> None:
    if row.undone_at is not None:
        raise Conflict("merge_undone")
    if utcnow() > row.created_at + timedelta(hours=UNDO_HOURS):
        raise Conflict("merge_undo_expired", hours=UNDO_HOURS)
    survivor = session.execute(select(Customer).where(Customer.id == row.survivor_id).with_for_update()
                               ).scalar_one()
    session.refresh(survivor)
    if survivor.merged_into_id is not None:
        raise Conflict("merge_undo_survivor_merged", name=survivor.display_name)
    if survivor.version != row.survivor_version:
        raise Conflict("merge_undo_survivor_edited", name=survivor.display_name)
    # A loyalty card freed by the merge may have been given to someone else since.
    ids = [c["id"] for c in customers]
    for customer in customers:
        loyalty = customer.get("loyalty_id")
        if not loyalty or customer.get("deleted_at") is not None:
            continue
        holder = session.execute(select(Customer.display_name).where(
            Customer.organization_id == row.organization_id, Customer.loyalty_id == loyalty,
            Customer.deleted_at.is_(None), Customer.id.not_in(ids))).scalar()
        if holder is not None:
            raise Conflict("merge_undo_loyalty_taken", loyalty_id=loyalty, name=holder)


def undo_merge(*, session: Session, actor: Actor, merge_id: int) -> MergeDTO:
    """Put back what merge ``merge_id`` changed (admins only). Raises NotFound("merge"),
    Conflict("merge_undone"), Conflict("merge_undo_expired"), Conflict("merge_undo_survivor_edited")
    when the survivor was edited since, Conflict("merge_undo_survivor_merged") when he was merged in
    turn, Conflict("merge_undo_loyalty_taken") when a merged customer's loyalty ID went to another."""
    admin_only(actor)
    row = records.merge_row(session, actor, merge_id)
    snapshot = json.loads(row.snapshot or "{}")
    customers = snapshot.get("customers", [])
    _check(session, row, customers)
    now = utcnow()
    # Compare-and-set: of two undos at once, one goes on.
    claimed = session.execute(
        update(CustomerMerge).where(CustomerMerge.id == row.id, CustomerMerge.undone_at.is_(None))
        .values(undone_at=now, undone_by=actor.user_id).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict("merge_undone")
    ids = [c["id"] for c in customers]
    moves.move_back(session, snapshot.get("moved", {}), snapshot.get("dropped_members", []))
    for model in moves.DETAILS:
        rows = snapshot["details"].get(model.__tablename__, [])
        put_back(session, model.__table__, "customer_id", ids, rows)
    # The survivor first: the loyalty ID he took goes back to its merged customer after it is free.
    by_id = {c["id"]: c for c in customers}
    for customer_id in [row.survivor_id, *(i for i in ids if i != row.survivor_id)]:
        values = decode_row(by_id[customer_id])
        values.pop("id")
        query = update(Customer).where(Customer.id == customer_id)
        if customer_id == row.survivor_id:  # still as the merge left him (an edit in between: refused)
            query = query.where(Customer.version == row.survivor_version)
        restored = session.execute(query.values(**values).execution_options(synchronize_session=False))
        if restored.rowcount != 1:
            raise Conflict("merge_undo_survivor_edited", name=by_id[customer_id]["display_name"])
    for customer_id in ids:
        cached = session.get(Customer, customer_id)
        if cached is not None:
            session.expire(cached)
    session.refresh(row)
    restored = [{"id": c["id"], "name": c["display_name"]} for c in customers if c["id"] != row.survivor_id]
    feed.record_event(session, organization_id=row.organization_id, customer_id=row.survivor_id,
                      actor_id=actor.user_id, kind="customer_merge_undone", ref_id=row.id,
                      data={"merge_id": row.id, "restored": restored})
    record_activity(session, organization_id=row.organization_id, actor_id=actor.user_id,
                    kind="customer_merge_undone", detail={"merge_id": row.id, "survivor_id": row.survivor_id})
    session.flush()
    return records.to_dto(session, row)
