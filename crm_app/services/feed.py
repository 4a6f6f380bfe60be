"""The customer's event feed: record an event in the caller's transaction, read it newest first.

Kinds are declared once in :data:`KINDS`: a name, the filter category it belongs to and, for events
that point at a row of their own (a comment, a task, a file), a loader that reads those rows for a
whole page in one query. Adding a kind (messages, invitations, imports, merges) is one entry here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.models import Comment, Customer, FeedEvent, StoredFile, Task, User

Loader = Callable[[Session, list[int]], dict[int, dict[str, Any]]]


def _comments(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = session.execute(select(Comment).where(Comment.id.in_(ids))).scalars()
    return {c.id: {"body": c.body, "author_id": c.author_id, "edited_at": c.edited_at} for c in rows}


def _tasks(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = session.execute(select(Task).where(Task.id.in_(ids))).scalars()
    return {
        t.id: {
            "title": t.title,
            "due_at": t.due_at,
            "assignee_id": t.assignee_id,
            "done_at": t.done_at,
            "created_by": t.created_by,
        }
        for t in rows
    }


def _files(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = session.execute(select(StoredFile).where(StoredFile.id.in_(ids))).scalars()
    return {
        f.id: {
            "name": f.original_name,
            "content_type": f.content_type,
            "size": f.size,
            "is_image": f.is_image,
            "has_thumbnail": f.has_thumbnail,
        }
        for f in rows
    }


@dataclass(frozen=True)
class FeedKind:
    name: str
    category: str  # what the feed's kind filter groups it under
    loader: Loader | None = None  # reads the rows that events of this kind point at (ref_id)


# Filter categories, in the order the profile offers them.
CATEGORIES = ("changes", "comments", "tasks", "files")

KINDS: dict[str, FeedKind] = {
    kind.name: kind
    for kind in (
        FeedKind("customer_created", "changes"),
        FeedKind("customer_updated", "changes"),
        FeedKind("customer_deleted", "changes"),
        FeedKind("customer_restored", "changes"),
        FeedKind("comment", "comments", _comments),
        FeedKind("task", "tasks", _tasks),
        FeedKind("file", "files", _files),
    )
}


def kinds_of(category: str) -> tuple[str, ...]:
    return tuple(k.name for k in KINDS.values() if k.category == category)


def record_event(
    session: Session,
    *,
    organization_id: int,
    customer_id: int | None,
    actor_id: int | None,
    kind: str,
    data: dict[str, Any] | None = None,
    ref_id: int | None = None,
) -> FeedEvent:
    """Add a feed event to the caller's transaction (it commits or rolls back with the change)."""
    if kind not in KINDS:
        raise ValueError(f"unknown feed kind {kind!r}: declare it in services/feed.py KINDS")
    event = FeedEvent(
        organization_id=organization_id,
        customer_id=customer_id,
        actor_id=actor_id,
        kind=kind,
        data=json.dumps(data or {}, ensure_ascii=False, default=str, separators=(",", ":")),
        ref_id=ref_id,
    )
    session.add(event)
    session.flush()
    return event


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
    ref_id: int | None = None  # that row's id (the comment to edit, the task to tick, the file to fetch)


@dataclass(frozen=True)
class FeedPage:
    entries: tuple[FeedEntry, ...]
    next_before: int | None  # pass as ``before`` for the next (older) page; None at the end


FEED_PAGE_SIZE = 25


def check_customer(session: Session, actor: Actor, customer_id: int) -> None:
    if not isinstance(customer_id, int) or isinstance(customer_id, bool) or customer_id <= 0:
        raise NotFound("customer")
    found = session.execute(
        select(Customer.id).where(
            Customer.id == customer_id, Customer.organization_id == actor.organization_id
        )
    ).first()
    if found is None:
        raise NotFound("customer")


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
    names: dict[int, str] = {}
    if user_ids:
        names = dict(session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
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
            ref_id=r.ref_id,
        )
        for r in rows
    )
    return FeedPage(entries=entries, next_before=rows[-1].id if more and rows else None)


def _with_names(ref: dict[str, Any] | None, names: dict[int, str]) -> dict[str, Any] | None:
    if ref is None:
        return None
    if "assignee_id" in ref:
        ref = {**ref, "assignee_name": names.get(ref["assignee_id"] or 0, "")}
    return ref
