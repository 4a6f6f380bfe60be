"""Running a bulk action: batches applied with their records (one BulkActionItem per changed customer,
his feed event, the webhooks an ordinary change sends), inline in the caller's transaction for a small
selection, or as the "bulk_action" job (crm_app/jobs/bulk.py), BATCH customers per transaction.

The job first fixes the selection (the ids the filters pick when it starts, walked in pages of ids),
then applies it batch by batch, reporting progress after each commit: a cancel stops it between two
batches, what is done stays done (and can be undone). A batch skips the customers the action already
has an item for, so running it again over the same ids never does a customer twice.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.bulk import Selection
from crm_app.models import BulkAction, BulkActionItem, Job, User
from crm_app.models.types import utcnow
from crm_app.services import feed, webhook_events
from crm_app.services.auth import actor_for
from crm_app.services.bulk.kinds import APPLY, Applied, Ctx, insert_events
from crm_app.services.bulk.records import add_outcome, dumps, loads
from crm_app.services.customer_selection import organization_ids, walk_ids

OpenSession = Callable[[], AbstractContextManager[Session]]
Progress = Callable[..., None]
BATCH = 1000
JOB_KIND = "bulk_action"


def context(session: Session, row: BulkAction, user_id: int | None = None) -> Ctx:
    """The action's context, its author acting (or ``user_id``: the user undoing it)."""
    actor = actor_for(session.get(User, user_id or row.actor_id))
    return Ctx(org_id=row.organization_id, actor=actor, action_id=row.id, kind=row.kind,
               params=loads(row.params))


def record(session: Session, ctx: Ctx, ids: list[int], webhook_kind: str, *, undo: bool = False) -> None:
    """Each customer's "bulk_change" feed event (one executemany) and the webhooks an ordinary change
    of ``webhook_kind`` sends, for the batch."""
    data = {"kind": ctx.kind, "params": ctx.params, "bulk_action_id": ctx.action_id}
    if undo:
        data["undo"] = True
    account_id = ctx.params.get("account_id") if ctx.kind == "add_to_account" else None
    # One event's values, then one copy per customer: the same data, written as JSON once per batch.
    values = feed.event_values(organization_id=ctx.org_id, customer_id=None, actor_id=ctx.actor.user_id,
                               kind="bulk_change", data=data, account_id=account_id)
    insert_events(session, [{**values, "customer_id": i} for i in ids])
    webhook_events.customers_changed(session, ctx.org_id, ids, webhook_kind)


def apply_batch(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
    """One batch, in the caller's transaction: the change, its items, feed events and webhooks."""
    done = set(session.execute(select(BulkActionItem.customer_id).where(
        BulkActionItem.bulk_action_id == ctx.action_id, BulkActionItem.customer_id.in_(ids))).scalars())
    applied = APPLY[ctx.kind](session, ctx, [i for i in ids if i not in done])
    changed = sorted(applied.items)
    if changed:
        session.execute(BulkActionItem.__table__.insert(), [
            {"bulk_action_id": ctx.action_id, "customer_id": i, "before": applied.items[i]} for i in changed])
        if not applied.own_events:
            record(session, ctx, changed, applied.webhook_kind)
    return applied


def _count(row: BulkAction, applied: Applied) -> None:
    row.changed += len(applied.items)
    add_outcome(row, applied.skipped)


def run_inline(session: Session, row: BulkAction, ids: list[int]) -> None:
    """A small selection, in the caller's transaction: done when this returns."""
    ctx = context(session, row)
    for start in range(0, len(ids), BATCH):
        _count(row, apply_batch(session, ctx, ids[start:start + BATCH]))
    row.status, row.finished_at = "done", utcnow()
    session.add(row)
    session.flush()


def selected_ids(open_session: OpenSession, row_id: int) -> list[int]:
    """The ids the action's selection picks now: its ticked ids (the organization's), or every customer
    its filters select, walked in pages of ids."""
    with open_session() as session:
        row = session.get(BulkAction, row_id)
        selection, org_id, actor = loads(row.selection), row.organization_id, context(session, row).actor
        if not selection.get("all_matching"):
            return organization_ids(session, org_id, selection.get("ids", []))
    ids: list[int] = []
    for page, _cursor in walk_ids(open_session, actor, selection.get("query", "")):
        ids += page
    return ids


def run_job(row_id: int, open_session: OpenSession, progress: Progress) -> dict[str, Any]:
    """The "bulk_action" job's work (see the module's docstring); returns its result for the job row."""
    ids = selected_ids(open_session, row_id)
    with open_session() as session:
        row = session.get(BulkAction, row_id)
        if row.status != "running":
            return {"skipped": row.status}
        row.matched = len(ids)
        session.add(row)
    progress(0, len(ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        with open_session() as session:
            row = session.get(BulkAction, row_id)
            _count(row, apply_batch(session, context(session, row), batch))
            session.add(row)
        done += len(batch)
        progress(done, len(ids))
    with open_session() as session:
        row = session.get(BulkAction, row_id)
        row.status, row.finished_at = "done", utcnow()
        session.add(row)
        return {"matched": row.matched, "changed": row.changed}


def job_ended(session: Session, job: Job, status: str) -> None:
    """The action's record says how its job ended: cancelled (what was done stays, undoable), failed or
    interrupted (the same; "interrupted" when its worker died)."""
    row = row_of(session, job, "job_id")
    if row is None or row.status != "running":
        return
    if status != "done":
        row.status = "cancelled" if status == "cancelled" else "failed"
        row.error = "interrupted" if status == "interrupted" else (job.error or "")[:500]
        row.finished_at = utcnow()
        session.add(row)


def row_of(session: Session, job: Job, column: str) -> BulkAction | None:
    row_id = loads(job.payload).get("bulk_action_id")
    row = session.get(BulkAction, row_id) if row_id else None
    return row if row is not None and getattr(row, column) == job.id else None


def selection_record(selection: Selection) -> str:
    if selection.all_matching:
        return dumps({"all_matching": True, "query": selection.query})
    return dumps({"ids": list(selection.ids), "query": selection.query})
