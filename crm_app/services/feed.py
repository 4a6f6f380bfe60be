"""The customer's event feed: record an event in the caller's transaction, read it newest first.

Kinds are declared once in :data:`KINDS`: a name, the filter category it belongs to and, for events
that point at a row of their own (a comment, a task, a file), a loader that reads those rows for a
whole page in one query. Adding a kind (messages, invitations, imports, merges) is one entry here.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.models import (
    Account,
    AccountMember,
    Comment,
    Customer,
    FeedEvent,
    Lead,
    OutboxMessage,
    StoredFile,
    Task,
)
from crm_app.models.types import utcnow
from crm_app.services import webhook_events
from crm_app.services.acting import current_via
from crm_app.services.tenancy import org_row, valid_id
from crm_app.services.versioned import user_names

Loader = Callable[[Session, list[int]], dict[int, dict[str, Any]]]


def _loader(model: Any, *fields: str, **renamed: str) -> Loader:
    """Reads the ``model`` rows a page of events points at: {id: {field: value}} in one query.

    ``fields`` keep the column's name; ``renamed`` maps a name in the feed to the column it reads.
    """
    columns = {**{f: f for f in fields}, **renamed}

    def load(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
        rows = session.execute(select(model).where(model.id.in_(ids))).scalars()
        return {r.id: {key: getattr(r, column) for key, column in columns.items()} for r in rows}

    return load


_comments = _loader(Comment, "body", "author_id", "edited_at")
_tasks = _loader(Task, "title", "due_at", "assignee_id", "done_at", "created_by")
_files = _loader(StoredFile, "content_type", "size", "is_image", "has_thumbnail", name="original_name")
_messages = _loader(
    OutboxMessage, "channel", "recipient", "subject", "body", "html", "status", "attempts", "sent_at",
    error="last_error",
)


@dataclass(frozen=True)
class FeedKind:
    name: str
    category: str  # what the feed's kind filter groups it under
    loader: Loader | None = None  # reads the rows that events of this kind point at (ref_id)


# Filter categories, in the order the profile offers them.
CATEGORIES = ("changes", "comments", "tasks", "files", "messages", "accounts", "documents")

KINDS: dict[str, FeedKind] = {
    kind.name: kind
    for kind in (
        FeedKind("customer_created", "changes"),
        FeedKind("customer_updated", "changes"),
        FeedKind("customer_deleted", "changes"),
        FeedKind("customer_restored", "changes"),
        # Merges (services/merge): on the survivor, ref_id the merge; data {"merge_id", "merged":
        # [{"id", "name"}], "moved": {"orders": 3...}}; the undo's {"merge_id", "restored": [...]}.
        FeedKind("customer_merged", "changes"),
        FeedKind("customer_merge_undone", "changes"),
        # Bulk actions (services/bulk): data {"kind", "params", "bulk_action_id"} (and "undo": true when
        # an undo put the value back); a bulk send_template records "message" events instead.
        FeedKind("bulk_change", "changes"),
        FeedKind("comment", "comments", _comments),
        FeedKind("task", "tasks", _tasks),
        FeedKind("file", "files", _files),
        FeedKind("message", "messages", _messages),
        # data: {"address", "campaign_id", "campaign"}: he used a campaign e-mail's unsubscribe link
        FeedKind("unsubscribed", "messages"),
        FeedKind("invitation", "messages"),  # data: {"email", "invited_by"}: the customer registered himself
        # Accounts (services/accounts.py): the account's own events have account_id set; membership
        # events have the member's customer_id too, so they show in both feeds.
        FeedKind("account_created", "accounts"),
        FeedKind("account_updated", "accounts"),
        FeedKind("account_deleted", "accounts"),
        FeedKind("member_added", "accounts"),
        FeedKind("member_removed", "accounts"),
        FeedKind("member_role_changed", "accounts"),
        # Orders, sales and leads: ref_id is the document's id, data carries its number and figures as
        # they were (services/orders.py, sales.py, leads.py). Lead events have lead_id set; a conversion
        # has the customer's id too, so it shows in both feeds.
        FeedKind("order_created", "documents"),
        FeedKind("order_updated", "documents"),
        FeedKind("order_status_changed", "documents"),
        FeedKind("order_deleted", "documents"),
        FeedKind("sale_recorded", "documents"),
        FeedKind("sale_cancelled", "documents"),
        FeedKind("sale_paid", "documents"),
        FeedKind("sale_deleted", "documents"),
        FeedKind("lead_created", "documents"),
        FeedKind("lead_updated", "documents"),
        FeedKind("lead_status_changed", "documents"),
        FeedKind("lead_converted", "documents"),
        FeedKind("lead_deleted", "documents"),
    )
}


def kinds_of(category: str) -> tuple[str, ...]:
    return tuple(k.name for k in KINDS.values() if k.category == category)


def event_values(
    *, organization_id: int, customer_id: int | None, actor_id: int | None, kind: str,
    data: dict[str, Any] | None = None, ref_id: int | None = None, account_id: int | None = None,
    lead_id: int | None = None,
) -> dict[str, Any]:
    """A feed event's column values (a batch INSERTs many at once); the kind must be declared."""
    if kind not in KINDS:
        raise ValueError(f"unknown feed kind {kind!r}: declare it in services/feed.py KINDS")
    via = current_via()
    if via is not None:  # made through the API or a connector: the feed says which
        data = {**(data or {}), "via": via}
    return {
        "organization_id": organization_id, "customer_id": customer_id, "account_id": account_id,
        "lead_id": lead_id,
        "actor_id": actor_id, "kind": kind, "ref_id": ref_id, "created_at": utcnow(),
        "data": json.dumps(data or {}, ensure_ascii=False, default=str, separators=(",", ":")),
    }


def record_event(
    session: Session,
    *,
    organization_id: int,
    customer_id: int | None,
    actor_id: int | None,
    kind: str,
    data: dict[str, Any] | None = None,
    ref_id: int | None = None,
    account_id: int | None = None,
    lead_id: int | None = None,
    flush: bool = True,
) -> FeedEvent:
    """Add a feed event to the caller's transaction (it commits or rolls back with the change); a batch
    of writes passes ``flush=False`` and flushes once."""
    event = FeedEvent(**event_values(organization_id=organization_id, customer_id=customer_id,
                                     account_id=account_id, actor_id=actor_id, kind=kind, data=data,
                                     ref_id=ref_id, lead_id=lead_id))
    session.add(event)
    # The matching webhook event (customer.*, lead.created, order.status_changed) joins the same transaction.
    webhook_events.on_feed_event(session, kind=kind, organization_id=organization_id, customer_id=customer_id,
                                 ref_id=ref_id, lead_id=lead_id, data=data)
    if flush:
        session.flush()
    return event


def add_with_event(
    session: Session, actor: Actor, row: Any, kind: str, data: dict[str, Any] | None = None
) -> int:
    """Insert ``row`` (a comment, task or file of ``row.customer_id``) and the feed event pointing at it.

    Both go in the caller's transaction; returns the row's id.
    """
    session.add(row)
    session.flush()
    record_event(
        session, organization_id=actor.organization_id, customer_id=row.customer_id, actor_id=actor.user_id,
        kind=kind, data=data, ref_id=row.id,
    )
    return row.id


def delete_events(session: Session, *, kind: str, ref_id: int) -> None:
    """Remove the events that point at a row being deleted (a comment): it leaves the feed."""
    for event in session.execute(
        select(FeedEvent).where(FeedEvent.kind == kind, FeedEvent.ref_id == ref_id)
    ).scalars():
        session.delete(event)


@dataclass(frozen=True)
class FeedEntry:
    id: int
    kind: str
    category: str
    created_at: datetime
    actor_id: int | None
    actor_name: str
    data: dict[str, Any]
    ref: dict[str, Any] | None  # the current comment/task/file for kinds with a loader
    # Whose feed the event is in; the name is filled in the account's Activity (events of several members).
    customer_id: int | None = None
    customer_name: str = ""
    ref_id: int | None = None  # that row's id (the comment to edit, the task to tick, the file to fetch)


@dataclass(frozen=True)
class FeedPage:
    entries: tuple[FeedEntry, ...]
    next_before: int | None  # pass as ``before`` for the next (older) page; None at the end


FEED_PAGE_SIZE = 25


def check_customer(session: Session, actor: Actor, customer_id: int) -> None:
    org_row(session, Customer, customer_id, actor, "customer")


def list_feed(
    *,
    session: Session,
    actor: Actor,
    customer_id: int,
    category: str = "",
    before: int | None = None,
    limit: int = FEED_PAGE_SIZE,
) -> FeedPage:
    """One page of the customer's feed, newest first, keyset paged on the event id.

    ``category`` is "" (everything) or one of :data:`CATEGORIES`; ``before`` is the previous page's
    ``next_before``. Another organization's customer is NotFound.
    """
    check_customer(session, actor, customer_id)
    limit = max(1, min(int(limit), 100))
    query = select(FeedEvent).where(
        FeedEvent.customer_id == customer_id, FeedEvent.organization_id == actor.organization_id
    )
    if category:
        query = query.where(FeedEvent.kind.in_(kinds_of(category) or ("",)))
    if before is not None:
        query = query.where(FeedEvent.id < int(before))
    return _page(session, query, limit)[0]


def check_account(session: Session, actor: Actor, account_id: int) -> None:
    """The actor's organization's active account, else NotFound("account") (other organizations too)."""
    if not valid_id(account_id):
        raise NotFound("account")
    found = session.execute(
        select(Account.id).where(
            Account.id == account_id,
            Account.organization_id == actor.organization_id,
            Account.deleted_at.is_(None),
        )
    ).first()
    if found is None:
        raise NotFound("account")


def list_account_feed(
    *,
    session: Session,
    actor: Actor,
    account_id: int,
    before: int | None = None,
    limit: int = FEED_PAGE_SIZE,
) -> FeedPage:
    """The account's Activity: its own events and its current members' feeds, merged newest first.

    One query, keyset paged on the event id: ``account_id`` (ix_feed_event_account_id) or the customer
    being a member (ix_feed_event_customer_id per member), ``id < before``. A membership event has both
    ids and is listed once. Another organization's account is NotFound.
    """
    check_account(session, actor, account_id)
    limit = max(1, min(int(limit), 100))
    members = select(AccountMember.customer_id).where(AccountMember.account_id == account_id)
    query = select(FeedEvent).where(
        FeedEvent.organization_id == actor.organization_id,
        or_(FeedEvent.account_id == account_id, FeedEvent.customer_id.in_(members)),
    )
    if before is not None:
        query = query.where(FeedEvent.id < int(before))
    page, rows = _page(session, query, limit)
    customer_ids = {r.customer_id for r in rows if r.customer_id}
    if not customer_ids:
        return page
    customers = dict(
        session.execute(select(Customer.id, Customer.display_name).where(Customer.id.in_(customer_ids))).all()
    )
    entries = tuple(
        dataclasses.replace(e, customer_name=customers.get(e.customer_id or 0, "")) for e in page.entries
    )
    return FeedPage(entries=entries, next_before=page.next_before)


def list_lead_feed(
    *, session: Session, actor: Actor, lead_id: int, before: int | None = None, limit: int = FEED_PAGE_SIZE
) -> FeedPage:
    """A lead's history, newest first (ix_feed_event_lead_id); another organization's lead is NotFound."""
    org_row(session, Lead, lead_id, actor, "lead")
    query = select(FeedEvent).where(
        FeedEvent.organization_id == actor.organization_id, FeedEvent.lead_id == int(lead_id)
    )
    if before is not None:
        query = query.where(FeedEvent.id < int(before))
    return _page(session, query, max(1, min(int(limit), 100)))[0]


def _page(session: Session, query, limit: int) -> tuple[FeedPage, list[FeedEvent]]:
    """Run a feed query newest first (``limit + 1`` rows say whether there is more) and load what the
    page's events point at: one query per kind with a loader, one for the users' names."""
    rows = list(session.execute(query.order_by(FeedEvent.id.desc()).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    refs: dict[str, dict[int, dict[str, Any]]] = {}
    for kind in {r.kind for r in rows}:
        loader = KINDS[kind].loader if kind in KINDS else None
        ids = [r.ref_id for r in rows if r.kind == kind and r.ref_id is not None]
        if loader is not None and ids:
            refs[kind] = loader(session, ids)
    user_ids = {r.actor_id for r in rows if r.actor_id}
    for loaded in refs.values():
        for ref in loaded.values():
            user_ids.update(ref[k] for k in ("assignee_id", "author_id") if ref.get(k))
    names = user_names(session, user_ids)
    entries = tuple(
        FeedEntry(
            id=r.id,
            kind=r.kind,
            category=KINDS[r.kind].category if r.kind in KINDS else "changes",
            created_at=r.created_at,
            actor_id=r.actor_id,
            actor_name=names.get(r.actor_id or 0, ""),
            data=json.loads(r.data or "{}"),
            ref=_with_names(refs.get(r.kind, {}).get(r.ref_id or 0), names),
            customer_id=r.customer_id,
            ref_id=r.ref_id,
        )
        for r in rows
    )
    return FeedPage(entries=entries, next_before=rows[-1].id if more and rows else None), rows


def _with_names(ref: dict[str, Any] | None, names: dict[int, str]) -> dict[str, Any] | None:
    if ref is None:
        return None
    if "assignee_id" in ref:
        ref = {**ref, "assignee_name": names.get(ref["assignee_id"] or 0, "")}
    return ref
