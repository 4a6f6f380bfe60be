"""One keyset page of orders, sales or leads for the list pages: newest first by id (ids grow with
time), narrowed by the filters of a ``DocumentQuery``, each through an (organization, column, id)
index, so a page costs the same at two million rows as at two hundred.

A search is a document number (one indexed lookup) or else the client: the customer list's own search
(names without accents, phone digits, tax ID) finds up to ``CLIENT_MATCHES`` customers, and the page
keeps their documents. Leads have no client yet: their service passes its own text condition.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, false, select
from sqlmodel import Session

from crm_app.domain.customers import CustomerQuery
from crm_app.domain.documents import DocumentQuery, number_searched
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.local_time import zone
from crm_app.services import customers as customer_service
from crm_app.services.tenancy import actor_organization

MAX_PAGE = 100
CLIENT_MATCHES = 100


def _day_start(day: str, tz: str, field: str) -> datetime:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise ValidationFailed({field: FieldError("date_invalid")}) from None
    return datetime.combine(parsed, time(0), tzinfo=zone(tz)).astimezone(UTC)


def _cursor(after: str) -> int | None:
    if not after:
        return None
    if not after.isdigit() or len(after) > 12:
        raise ValidationFailed({"after": FieldError("cursor_invalid")})
    return int(after)


def client_ids(session: Session, actor: Actor, text: str) -> list[int]:
    """The customers the list's search finds for ``text``, at most CLIENT_MATCHES of them."""
    page = customer_service.list_customers(
        session=session, actor=actor, query=CustomerQuery(search=text, limit=CLIENT_MATCHES)
    )
    return [row.id for row in page.rows]


def document_page(
    session: Session,
    actor: Actor,
    model: Any,
    query: DocumentQuery,
    *,
    filters: dict[str, ColumnElement | None] | None = None,
    text_condition: ColumnElement | None = None,
) -> tuple[list[Any], str]:
    """(rows of ``model``, next cursor or "") for the actor's organization.

    ``filters`` maps a query field to the column it filters ("status", "type_id", "owner_id",
    "customer_id", "method"); a query field the model has no column for is ignored. ``text_condition``
    replaces the client search for a model without a client (leads)."""
    columns = {"status": model.status, "customer_id": getattr(model, "customer_id", None), **(filters or {})}
    org = actor_organization(session, actor)
    # Deleted documents (admins only, soft) leave the lists; their numbers stay taken.
    statement = select(model).where(model.organization_id == actor.organization_id, model.deleted_at.is_(None))
    for field, column in columns.items():
        value = getattr(query, field)
        if column is not None and value not in (None, ""):
            statement = statement.where(column == value)
    if query.date_from:
        statement = statement.where(model.created_at >= _day_start(query.date_from, org.timezone, "from"))
    if query.date_to:
        end = _day_start(query.date_to, org.timezone, "to") + timedelta(days=1)
        statement = statement.where(model.created_at < end)
    statement = _searched(session, actor, model, statement, query.search, text_condition)
    after = _cursor(query.after)
    if after is not None:
        statement = statement.where(model.id < after)
    limit = max(1, min(query.limit, MAX_PAGE))
    rows = list(session.execute(statement.order_by(model.id.desc()).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, str(rows[-1].id) if more and rows else ""


def _searched(session, actor, model, statement, text: str, text_condition):
    text = text.strip()
    if not text:
        return statement
    number = number_searched(text) if hasattr(model, "number") else None
    if number is not None:
        return statement.where(model.number == number)
    if text_condition is not None:
        return statement.where(text_condition)
    ids = client_ids(session, actor, text)
    return statement.where(model.customer_id.in_(ids) if ids else false())
