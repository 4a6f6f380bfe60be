"""Undoing a bulk action: each changed customer gets his value before back, only where he still holds
the value the action set (a customer edited since is left as he is, and counted); a send_template's
undo cancels its messages still queued (one already sent cannot be recalled: counted too).

Small undos run in the caller's transaction; larger ones as the "bulk_undo" job, BATCH items per
transaction, read by keyset on the action's items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from crm_app.models import AccountMember, BulkAction, BulkActionItem, Customer, Job, OutboxMessage, Tag
from crm_app.models.types import utcnow
from crm_app.services.bulk import kinds
from crm_app.services.bulk.kinds import Ctx, active_ids, bump, flag_column, tagged
from crm_app.services.bulk.records import add_outcome, loads
from crm_app.services.bulk.run import BATCH, OpenSession, Progress, context, record, row_of

JOB_KIND = "bulk_undo"


@dataclass
class Reverted:
    restored: list[int] = field(default_factory=list)
    left: int = 0
    unrecallable: int = 0
    webhook_kind: str = "customer_updated"
    events: bool = True  # each restored customer's feed says so ("bulk_change" with undo)


Items = dict[int, str]  # customer id -> his value before (JSON or "")


def _tag_add(session: Session, ctx: Ctx, items: Items) -> Reverted:
    have = sorted(tagged(session, ctx.params["tag_id"], active_ids(session, ctx.org_id, list(items))))
    kinds.remove_tag(session, ctx, ctx.params["tag_id"], have)
    return Reverted(restored=have, left=len(items) - len(have))


def _tag_remove(session: Session, ctx: Ctx, items: Items) -> Reverted:
    tag_id = ctx.params.get("tag_id")
    if tag_id is None or session.get(Tag, tag_id) is None:  # the tag was deleted since
        return Reverted(left=len(items))
    active = active_ids(session, ctx.org_id, list(items))
    have = tagged(session, tag_id, active)
    back = [i for i in active if i not in have]
    kinds.add_tag(session, ctx, tag_id, back)
    return Reverted(restored=back, left=len(items) - len(back))


def _column(column: Any, set_value: Any) -> Callable[[Session, Ctx, Items], Reverted]:
    def revert(session: Session, ctx: Ctx, items: Items) -> Reverted:
        active = active_ids(session, ctx.org_id, list(items))
        still = session.execute(select(Customer.id).where(Customer.id.in_(active), column == set_value)
                                ).scalars().all()
        by_value: dict[Any, list[int]] = {}
        for customer_id in still:
            by_value.setdefault(loads(items[customer_id]).get("value"), []).append(customer_id)
        for value, ids in by_value.items():
            bump(session, ctx.actor, ids, **{column.key: value})
        return Reverted(restored=sorted(still), left=len(items) - len(still))

    return revert


def _set_channel(session: Session, ctx: Ctx, items: Items) -> Reverted:
    return _column(Customer.channel_id, ctx.params.get("channel_id"))(session, ctx, items)  # None: IS NULL


def _set_flag(session: Session, ctx: Ctx, items: Items) -> Reverted:
    return _column(flag_column(ctx.params["flag"]), bool(ctx.params["value"]))(session, ctx, items)


def _add_to_account(session: Session, ctx: Ctx, items: Items) -> Reverted:
    members = session.execute(select(AccountMember).where(
        AccountMember.account_id == ctx.params["account_id"], AccountMember.customer_id.in_(list(items)),
        AccountMember.role == ctx.params["role"])).scalars().all()
    for member in members:
        session.delete(member)
    session.flush()
    return Reverted(restored=sorted(m.customer_id for m in members), left=len(items) - len(members),
                    webhook_kind="member_removed")


def _send_template(session: Session, ctx: Ctx, items: Items) -> Reverted:
    message_ids = {loads(before).get("message_id"): customer_id for customer_id, before in items.items()}
    statuses = dict(session.execute(select(OutboxMessage.id, OutboxMessage.status).where(
        OutboxMessage.id.in_([i for i in message_ids if i]))).all())
    queued = [i for i, status in statuses.items() if status == "queued"]
    if queued:
        session.execute(update(OutboxMessage)
                        .where(OutboxMessage.id.in_(queued), OutboxMessage.status == "queued")
                        .values(status="cancelled", last_error="bulk action undone")
                        .execution_options(synchronize_session=False))
    sent = sum(1 for status in statuses.values() if status in ("sending", "sent", "logged_only"))
    return Reverted(restored=sorted(message_ids[i] for i in queued), unrecallable=sent,
                    left=len(items) - len(queued) - sent, webhook_kind="", events=False)


def _trash(session: Session, ctx: Ctx, items: Items) -> Reverted:
    trashed = active_ids(session, ctx.org_id, list(items), trashed=True)
    back, _refused = kinds.restorable(session, ctx.org_id, trashed)
    kinds.restore(session, ctx, back)
    return Reverted(restored=back, left=len(items) - len(back), webhook_kind="customer_restored")


def _restore(session: Session, ctx: Ctx, items: Items) -> Reverted:
    still = active_ids(session, ctx.org_id, list(items))
    kinds.trash(session, ctx, still)
    return Reverted(restored=still, left=len(items) - len(still), webhook_kind="customer_deleted")


REVERT: dict[str, Callable[[Session, Ctx, Items], Reverted]] = {
    "tag_add": _tag_add, "tag_remove": _tag_remove, "set_channel": _set_channel, "set_flag": _set_flag,
    "add_to_account": _add_to_account, "send_template": _send_template, "trash": _trash, "restore": _restore,
}


def undo_context(session: Session, row: BulkAction) -> Ctx:
    """The action's context with the user undoing it as the actor (his name is on the feed events)."""
    return context(session, row, row.undone_by or row.actor_id)


def item_count(session: Session, row_id: int) -> int:
    return session.execute(select(func.count()).select_from(BulkActionItem)
                           .where(BulkActionItem.bulk_action_id == row_id)).scalar_one()


def _items(session: Session, row_id: int, after: int) -> Items:
    return dict(session.execute(
        select(BulkActionItem.customer_id, BulkActionItem.before)
        .where(BulkActionItem.bulk_action_id == row_id, BulkActionItem.customer_id > after)
        .order_by(BulkActionItem.customer_id).limit(BATCH)).all())


def undo_batch(session: Session, row: BulkAction, after: int) -> int | None:
    """Undo the next BATCH items after customer id ``after``; returns the last id done, None at the end."""
    items = _items(session, row.id, after)
    if not items:
        return None
    ctx = undo_context(session, row)
    reverted = REVERT[row.kind](session, ctx, items)
    if reverted.restored and reverted.events:
        record(session, ctx, reverted.restored, reverted.webhook_kind, undo=True)
    add_outcome(row, {"restored": len(reverted.restored), "left": reverted.left,
                      "unrecallable": reverted.unrecallable})
    session.add(row)
    return max(items)


def finish(row: BulkAction) -> None:
    row.status, row.undone_at = "undone", utcnow()


def run_inline(session: Session, row: BulkAction) -> None:
    after: int | None = 0
    while after is not None:
        after = undo_batch(session, row, after)
    finish(row)
    session.add(row)
    session.flush()


def run_job(row_id: int, open_session: OpenSession, progress: Progress) -> dict[str, Any]:
    """The "bulk_undo" job's work: batch after batch, each in its transaction, with its progress."""
    with open_session() as session:
        total = item_count(session, row_id)
    progress(0, total)
    after: int | None = 0
    done = 0
    while after is not None:
        with open_session() as session:
            row = session.get(BulkAction, row_id)
            after = undo_batch(session, row, after)
            if after is None:
                finish(row)
                session.add(row)
        if after is not None:
            done = min(total, done + BATCH)
            progress(done, total)
    return {"undone": total}


def job_ended(session: Session, job: Job, status: str) -> None:
    """An undo cut short (cancelled, failed, interrupted) leaves the action as it stood, part undone:
    it says so, and may be undone again (the rest; what was restored is left, as changed since)."""
    row = row_of(session, job, "undo_job_id")
    if row is None or row.status != "undoing" or status == "done":
        return
    row.status = "failed"
    row.error = "interrupted" if status in ("interrupted", "cancelled") else (job.error or "")[:500]
    session.add(row)
