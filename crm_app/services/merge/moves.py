"""What a merge moves from the merged customers to the survivor, and back on an undo.

Two kinds of rows hang off a customer:
- his **details** (phones, e-mails, tags, custom values): merged into the survivor's (duplicates
  dropped, consent and flags combined); the snapshot keeps every such row of every customer of the
  merge as it was, and an undo writes them back whole;
- his **records** (orders, sales, leads, files, comments, tasks, feed events, messages, invitations,
  campaign recipients, account memberships): each row simply points at the survivor afterwards; the
  snapshot keeps the ids moved, per merged customer, and an undo points them back. A membership in an
  account the survivor already belongs to is dropped (the survivor's stays), its row kept whole.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from crm_app.models import (
    AccountMember,
    CampaignRecipient,
    Comment,
    CustomerEmail,
    CustomerFieldValue,
    CustomerPhone,
    CustomerTag,
    FeedEvent,
    Invitation,
    Lead,
    Order,
    OutboxMessage,
    Sale,
    StoredFile,
    Task,
)
from crm_app.services.merge.snapshot import decode_row, read_rows

DETAILS = (CustomerPhone, CustomerEmail, CustomerTag, CustomerFieldValue)
# Summary key -> the model whose rows move to the survivor (every table with a customer_id but the
# details, the import's and bulk actions' records of what they changed, and the duplicate pairs).
RECORDS: dict[str, Any] = {
    "orders": Order,
    "sales": Sale,
    "leads": Lead,
    "files": StoredFile,
    "comments": Comment,
    "tasks": Task,
    "events": FeedEvent,
    "messages": OutboxMessage,
    "invitations": Invitation,
    "campaign_recipients": CampaignRecipient,
}
MEMBERSHIPS = "accounts"
# What the preview counts for each customer, and the survivor gets.
COUNTED = ("orders", "sales", "leads", "files", "comments", "tasks")


def details_snapshot(session: Session, ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    return {m.__tablename__: read_rows(session, m.__table__, "customer_id", ids) for m in DETAILS}


def counts(session: Session, ids: list[int], keys: tuple[str, ...] = COUNTED) -> dict[int, dict[str, int]]:
    """{customer id: {key: rows}} for the given record kinds (one grouped query a kind)."""
    result: dict[int, dict[str, int]] = {i: {} for i in ids}
    models = {"phones": CustomerPhone, "emails": CustomerEmail, MEMBERSHIPS: AccountMember, **RECORDS}
    for key in keys:
        model = models[key]
        query = (select(model.customer_id, func.count()).where(model.customer_id.in_(ids))
                 .group_by(model.customer_id))
        for customer_id, count in session.execute(query).all():
            result[customer_id][key] = count
    return result


def move_records(session: Session, survivor_id: int, merged: list[int]) -> tuple[dict, list, dict[str, int]]:
    """Point every record of the merged customers at the survivor. Returns the ids moved
    ({key: {merged id: [ids]}}), the memberships dropped (whole rows) and the counts moved."""
    moved: dict[str, dict[str, list[int]]] = {}
    summary: dict[str, int] = {}
    for key, model in RECORDS.items():
        per_customer = {}
        for customer_id in merged:
            ids = list(session.execute(
                select(model.id).where(model.customer_id == customer_id).order_by(model.id)).scalars())
            if ids:
                per_customer[str(customer_id)] = ids
                _point(session, model, ids, survivor_id)
        if per_customer:
            moved[key] = per_customer
            summary[key] = sum(len(v) for v in per_customer.values())
    dropped, members = _move_memberships(session, survivor_id, merged)
    if members:
        moved[MEMBERSHIPS] = members
        summary[MEMBERSHIPS] = sum(len(v) for v in members.values())
    return moved, dropped, summary


def _move_memberships(session: Session, survivor_id: int, merged: list[int]) -> tuple[list, dict]:
    accounts = set(session.execute(
        select(AccountMember.account_id).where(AccountMember.customer_id == survivor_id)).scalars())
    dropped_ids, moved = [], {}
    for customer_id in merged:
        rows = session.execute(select(AccountMember.id, AccountMember.account_id)
                               .where(AccountMember.customer_id == customer_id)
                               .order_by(AccountMember.id)).all()
        keep = []
        for member_id, account_id in rows:
            if account_id in accounts:
                dropped_ids.append(member_id)  # the survivor's membership (and role) stays
            else:
                accounts.add(account_id)
                keep.append(member_id)
        if keep:
            moved[str(customer_id)] = keep
    table = AccountMember.__table__
    dropped = read_rows(session, table, "id", dropped_ids)
    if dropped_ids:
        session.execute(table.delete().where(table.c.id.in_(dropped_ids)))
    for ids in moved.values():
        _point(session, AccountMember, ids, survivor_id)
    return dropped, moved


def _point(session: Session, model: Any, ids: list[int], customer_id: int) -> None:
    """Rows ``ids`` of ``model`` now belong to ``customer_id`` (IN lists of at most 1,000)."""
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        session.execute(update(model).where(model.id.in_(chunk)).values(customer_id=customer_id)
                        .execution_options(synchronize_session=False))


def move_back(
    session: Session, moved: dict[str, dict[str, list[int]]], dropped: list[dict[str, Any]]
) -> None:
    """The undo's half of :func:`move_records`: each moved row back to its customer, dropped rows back."""
    models = {**RECORDS, MEMBERSHIPS: AccountMember}
    for key, per_customer in moved.items():
        model = models[key]
        for customer_id, ids in per_customer.items():
            _point(session, model, ids, int(customer_id))
    if dropped:
        session.execute(AccountMember.__table__.insert(), [decode_row(r) for r in dropped])
