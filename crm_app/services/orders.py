"""Work orders: create, edit, change status, delete (admins, soft), read one, list a page.

Like the other record services: every function takes the session and the actor, checks his role and
organization, and leaves the commit to the caller's ``session_scope``. Both staff roles create and
edit orders; deleting one, and cancelling one already delivered, are for admins. The type, the client
and the assignee named in a save are checked against the actor's organization: another
organization's id is refused next to its field exactly like one that does not exist. An edit or a
status change is a compare-and-set on the version it was made on: a stale one is refused, never
overwritten. Each write records its feed event (in the client's feed, pointing at the order) in the
same transaction.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session

from crm_app.domain.documents import ORDER_STATUSES, DocumentQuery, Line, order_needs_client
from crm_app.domain.dto import Actor, fields_of
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.domain.orders import CleanOrder, OrderDTO, OrderInput, OrderPage, OrderRow, clean_order
from crm_app.domain.orders import OrderType as OrderTypeOption
from crm_app.models import Customer, Order, OrderLine, OrderType, User
from crm_app.models.audit import created_by
from crm_app.models.types import utcnow
from crm_app.services import feed
from crm_app.services.document_numbers import next_number
from crm_app.services.document_pages import document_page
from crm_app.services.tenancy import active_org_row, org_ref, staff_organization
from crm_app.services.versioned import set_deleted, stale_conflict, user_names, versioned_update

STALE = "order_stale_version"
_LINE_FIELDS = ("description", "quantity", "unit_price", "discount_percent", "line_total")

# --------------------------------------------------------------------------- guards


def _active_order(session: Session, actor: Actor, order_id: int) -> Order:
    staff_organization(session, actor)
    return active_org_row(session, Order, order_id, actor, "order")


def _checked_refs(
    session: Session, org_id: int, data: OrderInput, current: Order | None, errors: dict[str, FieldError]
) -> tuple[OrderType | None, Customer | None]:
    """The order's type and client as named in ``data``, each refused next to its field when it is
    not one the organization may use now (a deactivated type stays on the orders that have it)."""
    kept_type = current.order_type_id if current is not None else None
    kept_assignee = current.assignee_id if current is not None else None
    order_type = org_ref(session, OrderType, data.order_type_id, org_id)
    if order_type is None or not (order_type.is_active or order_type.id == kept_type):
        errors["order_type_id"] = FieldError("order_type_unknown")
        order_type = None
    client = None
    if data.customer_id is not None:
        client = org_ref(session, Customer, data.customer_id, org_id)
        if client is None or client.deleted_at is not None:
            errors["customer_id"] = FieldError("order_customer_unknown")
            client = None
    if data.assignee_id is not None:
        user = org_ref(session, User, data.assignee_id, org_id)
        if user is None or not (user.is_active or user.id == kept_assignee):
            errors["assignee_id"] = FieldError("order_assignee_unknown")
    return order_type, client


def _validated(
    session: Session, org_id: int, data: OrderInput, *, status: str, currency: str, current: Order | None
) -> tuple[CleanOrder, OrderType]:
    """Every rule at once: the fields, the lines and totals, the references, and that a confirmed
    order keeps a client unless its type takes walk-in orders. Raises ValidationFailed."""
    errors: dict[str, FieldError] = {}
    order_type, client = _checked_refs(session, org_id, data, current, errors)
    personal = client.discount_percent if client is not None and client.discount_percent else Decimal(0)
    clean = clean_order(data, currency, personal, errors)
    # An order confirmed as walk-in stays editable if an admin turns walk-in off for its type later: the
    # rule is for confirming an order, and for the client or the type a save changes.
    kept_walk_in = (current is not None and current.customer_id is None and order_type is not None
                    and current.order_type_id == order_type.id)
    if (order_type is not None and client is None and "customer_id" not in errors and not kept_walk_in
            and order_needs_client(status, order_type.walk_in_allowed)):
        errors["customer_id"] = FieldError("order_client_required")
    if errors or order_type is None:
        raise ValidationFailed(errors)
    return clean, order_type


# --------------------------------------------------------------------------- helpers


def _values(data: OrderInput, clean: CleanOrder, order_type: OrderType) -> dict[str, Any]:
    t = clean.totals
    return {
        "order_type_id": order_type.id, "customer_id": data.customer_id, "due_date": clean.due_date,
        "assignee_id": data.assignee_id, "notes": clean.notes, "subtotal": t.subtotal,
        "discount_percent": t.discount_percent, "discount_amount": t.discount_amount, "total": t.total,
    }


def _write_lines(session: Session, order: Order, lines: tuple[Line, ...]) -> None:
    session.execute(delete(OrderLine).where(OrderLine.order_id == order.id))
    session.add_all(
        OrderLine(order_id=order.id, organization_id=order.organization_id, position=i,
                  **{name: getattr(line, name) for name in _LINE_FIELDS})
        for i, line in enumerate(lines)
    )
    session.flush()


def _lines_of(session: Session, order_id: int) -> tuple[Line, ...]:
    rows = session.execute(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.position)
    ).scalars()
    return tuple(Line(**{name: getattr(r, name) for name in _LINE_FIELDS}) for r in rows)


def _to_dto(session: Session, row: Order) -> OrderDTO:
    order_type = session.get(OrderType, row.order_type_id)
    client = session.get(Customer, row.customer_id) if row.customer_id else None
    return fields_of(
        OrderDTO, row,
        type_name=order_type.name if order_type else "",
        type_color=order_type.color if order_type else "",
        walk_in_allowed=bool(order_type and order_type.walk_in_allowed),
        customer_name=client.display_name if client else "",
        assignee_name=user_names(session, (row.assignee_id,)).get(row.assignee_id or 0, ""),
        lines=_lines_of(session, row.id),
    )


def _record(session: Session, actor: Actor, row: Order, kind: str, **data: Any) -> None:
    feed.record_event(
        session, organization_id=row.organization_id, customer_id=row.customer_id, actor_id=actor.user_id,
        kind=kind, data={"number": row.number, **data}, ref_id=row.id,
    )


def _compare_and_set(
    session: Session, actor: Actor, row: Order, version: int, values: dict[str, Any]
) -> None:
    """Of two saves made on the same version exactly one wins; the other is told who saved between."""
    if row.version != version:
        raise stale_conflict(session, row, STALE)
    changed = session.execute(versioned_update(Order, row.id, version, actor, values)).rowcount
    session.expire(row)
    if changed != 1:
        raise stale_conflict(session, row, STALE)


# --------------------------------------------------------------------------- writes


def create_order(*, session: Session, actor: Actor, data: OrderInput) -> OrderDTO:
    """A new open order with the next number of the organization. Raises ValidationFailed."""
    org = staff_organization(session, actor)
    clean, order_type = _validated(session, org.id, data, status="open", currency=org.currency, current=None)
    row = Order(
        organization_id=org.id, number=next_number(session, org.id, "order"), status="open",
        currency=org.currency, **_values(data, clean, order_type), **created_by(actor.user_id),
    )
    session.add(row)
    session.flush()
    _write_lines(session, row, clean.lines)
    _record(session, actor, row, "order_created", type=order_type.name, total=str(row.total),
            currency=row.currency)
    return _to_dto(session, row)


def update_order(
    *, session: Session, actor: Actor, order_id: int, version: int, data: OrderInput
) -> OrderDTO:
    """Save an edit made on ``version``; its lines are replaced and its totals computed again (in the
    currency it was created in). Raises NotFound, ValidationFailed, or Conflict(STALE, by=<who>)."""
    row = _active_order(session, actor, order_id)
    if row.version != version:
        raise stale_conflict(session, row, STALE)
    clean, order_type = _validated(
        session, row.organization_id, data, status=row.status, currency=row.currency, current=row
    )
    _compare_and_set(session, actor, row, version, _values(data, clean, order_type))
    _write_lines(session, row, clean.lines)
    session.refresh(row)
    _record(session, actor, row, "order_updated")
    return _to_dto(session, row)


def change_status(
    *, session: Session, actor: Actor, order_id: int, version: int, status: str
) -> OrderDTO:
    """Move the order to ``status``. Confirming it (past "open") needs a client unless its type takes
    walk-in orders; cancelling a delivered order is for admins. Raises NotFound, ValidationFailed,
    Forbidden, or Conflict(STALE)."""
    row = _active_order(session, actor, order_id)
    if status not in ORDER_STATUSES:
        raise ValidationFailed({"status": FieldError("order_status_invalid")})
    if row.version != version:
        raise stale_conflict(session, row, STALE)
    before = row.status
    if status == before:
        return _to_dto(session, row)
    if before == "delivered" and status == "cancelled" and not actor.is_admin:
        raise Forbidden()
    order_type = session.get(OrderType, row.order_type_id)
    walk_in = bool(order_type and order_type.walk_in_allowed)
    if row.customer_id is None and order_needs_client(status, walk_in):
        raise ValidationFailed({"customer_id": FieldError("order_client_required")})
    _compare_and_set(session, actor, row, version, {"status": status, "status_changed_at": utcnow()})
    session.refresh(row)
    _record(session, actor, row, "order_status_changed", before=before, after=status)
    return _to_dto(session, row)


def delete_order(*, session: Session, actor: Actor, order_id: int) -> int:
    """Delete the order (admins; soft: its number stays taken, its feed events stay). Returns its number."""
    if not actor.is_admin:
        raise Forbidden()
    row = _active_order(session, actor, order_id)
    set_deleted(session, Order, row, actor, True)
    _record(session, actor, row, "order_deleted")
    return row.number


# --------------------------------------------------------------------------- reads


def get_order(*, session: Session, actor: Actor, order_id: int) -> OrderDTO:
    return _to_dto(session, _active_order(session, actor, order_id))


def order_types(*, session: Session, actor: Actor) -> list[OrderTypeOption]:
    """The organization's order types in the admin's order, deactivated ones included (an order keeps
    its type): the form offers the active ones."""
    staff_organization(session, actor)
    rows = session.execute(
        select(OrderType).where(OrderType.organization_id == actor.organization_id)
        .order_by(OrderType.position, OrderType.id).limit(500)
    ).scalars()
    return [OrderTypeOption(r.id, r.name, r.color, r.walk_in_allowed) for r in rows if r.is_active]


def list_orders(*, session: Session, actor: Actor, query: DocumentQuery) -> OrderPage:
    """One keyset page of the organization's orders, newest first (services/document_pages), with the
    names it shows read in one more query for the whole page. Raises ValidationFailed for a status
    that is not one, a bad date or a cursor that is not ours."""
    staff_organization(session, actor)
    if query.status and query.status not in ORDER_STATUSES:
        raise ValidationFailed({"status": FieldError("order_status_invalid")})
    rows, next_cursor = document_page(
        session, actor, Order, query,
        filters={"type_id": Order.order_type_id, "owner_id": Order.assignee_id},
    )
    names = {
        r.id: r
        for r in session.execute(
            select(Order.id, OrderType.name, OrderType.color, Customer.display_name, User.name.label("user"))
            .join(OrderType, OrderType.id == Order.order_type_id)
            .outerjoin(Customer, Customer.id == Order.customer_id)
            .outerjoin(User, User.id == Order.assignee_id)
            .where(Order.id.in_([r.id for r in rows]))
        ).all()
    } if rows else {}
    return OrderPage(
        rows=tuple(
            OrderRow(
                id=r.id, number=r.number, status=r.status, type_name=names[r.id].name,
                type_color=names[r.id].color, customer_id=r.customer_id,
                customer_name=names[r.id].display_name or "", assignee_name=names[r.id].user or "",
                due_date=r.due_date, total=r.total, currency=r.currency, created_at=r.created_at,
            )
            for r in rows
        ),
        next_cursor=next_cursor,
    )
