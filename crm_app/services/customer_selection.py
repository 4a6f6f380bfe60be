"""The customers a selection picks: the list's filters walked page by page (campaigns' segments, a bulk
action's "all N that match"), or ids ticked on the list, checked against the organization.

Walks read each page in a short transaction of their own (``open_session``) and hand back the cursor
after it, so a caller that stopped can start again from there. A campaign walks the list's pages (100
customers, the list's own search and order); a bulk action walks larger pages of ids only
(customer_search.search_ids): at 100,000 customers, 1,000 pages of list rows cost 7 s on SQLite, where
100 pages of ids cost about a second.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from urllib.parse import parse_qsl

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.domain.customer_list_params import ListFilters, read_filters
from crm_app.domain.customers import MAX_PAGE
from crm_app.domain.dto import Actor
from crm_app.models import Customer
from crm_app.services import customer_search
from crm_app.services.tenancy import staff_organization, valid_id

OpenSession = Callable[[], AbstractContextManager[Session]]
WALK_PAGE = customer_search.WALK_PAGE


def list_filters(query: str, *, active_only: bool = False) -> ListFilters:
    """The list's filters an address query spells (``tags=vip&trash=1``); ``active_only`` drops the trash."""
    filters = read_filters(dict(parse_qsl(query or "")))
    return dataclasses.replace(filters, trash=False) if active_only else filters


def segment_query(query: str, *, after: str = ""):
    """The CustomerQuery of a segment: the list's filters, active customers, in the list's order."""
    return list_filters(query, active_only=True).query(after=after, limit=MAX_PAGE)


def walk_ids(
    open_session: OpenSession, actor: Actor, query: str, *, after: str = "", page: int = WALK_PAGE,
    active_only: bool = False,
) -> Iterator[tuple[list[int], str]]:
    """Yield (customer ids, cursor after them) for every customer the list's filters select (trashed
    ones when the query says trash=1, unless ``active_only``), ``page`` at a time, in the list's order."""
    filters = list_filters(query, active_only=active_only)
    cursor: str | None = after
    while cursor is not None:
        with open_session() as session:
            org = staff_organization(session, actor)
            ids, next_cursor = customer_search.search_ids(
                session, org.id, filters.query(after=cursor, limit=page), limit=page)
        cursor = next_cursor or None
        if ids:
            yield ids, next_cursor


def walk_segment(
    open_session: OpenSession, actor: Actor, query: str, *, after: str = "",
) -> Iterator[tuple[list[int], str]]:
    """A campaign's segment, a list page (100) at a time: active customers only."""
    yield from walk_ids(open_session, actor, query, after=after, page=MAX_PAGE, active_only=True)


def _no_filters(filters: ListFilters) -> bool:
    return all(not value for name, value in filters.params().items() if name != "sort")


def count_matching(*, session: Session, actor: Actor, query: str) -> int:
    """How many customers the list's filters select (active ones, or trashed ones with trash=1): the
    list's "all N customers" banner. The plain active list is one count on the organization's index; a
    filtered one is walked in pages of ids (about a second per 100,000 matches: call it from a
    background event)."""
    org = staff_organization(session, actor)
    filters = list_filters(query)
    if _no_filters(filters):
        return session.execute(
            select(func.count()).select_from(Customer)
            .where(Customer.organization_id == org.id, Customer.deleted_at.is_(None))
        ).scalar_one()
    total, cursor = 0, ""
    while True:
        ids, cursor = customer_search.search_ids(session, org.id,
                                                 filters.query(after=cursor, limit=WALK_PAGE))
        total += len(ids)
        if not cursor:
            return total


def organization_ids(session: Session, organization_id: int, ids: Iterable[object]) -> list[int]:
    """The ids, among ``ids``, of the organization's customers (any other is left out, as missing),
    ascending and once each."""
    wanted = sorted({int(i) for i in ids if valid_id(i)})
    found: list[int] = []
    for start in range(0, len(wanted), WALK_PAGE):
        chunk = wanted[start:start + WALK_PAGE]
        found += session.execute(
            select(Customer.id).where(Customer.organization_id == organization_id, Customer.id.in_(chunk))
        ).scalars()
    return sorted(found)
