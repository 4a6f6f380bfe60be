"""Sales: record, cancel and delete (admins), mark a credit sale paid, read one, list a page.

Like the other record services: every function takes the session and the actor, checks his role and
organization, and leaves the commit to the caller's ``session_scope``. A sale's client is optional (a
counter sale), except for a credit sale, which must also fit in the client's credit limit or be
confirmed by an admin (``confirm_over_limit``; who confirmed is kept in ``credit_approved_by``). Another
organization's client is refused next to the field exactly like one that does not exist. Every write
keeps the client's purchase figures (``customer_totals``) and records its feed event in the client's
feed, in the same transaction as the sale.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import aliased
from sqlmodel import Session

from crm_app.domain.documents import SALE_STATUSES, DocumentQuery, Line, credit_available
from crm_app.domain.dto import Actor, fields_of
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.domain.sales import (
    CleanSale,
    CreditStatus,
    SaleDTO,
    SaleInput,
    SalePage,
    SaleRow,
    clean_sale,
    credit_refusal,
)
from crm_app.models import Customer, Organization, Sale, SaleLine, User
from crm_app.models.audit import created_by
from crm_app.models.types import utcnow
from crm_app.services import customer_totals, feed
from crm_app.services.document_numbers import next_number
from crm_app.services.document_pages import document_page
from crm_app.services.tenancy import active_org_row, org_ref, staff_organization
from crm_app.services.versioned import set_deleted, stale_conflict, user_names, versioned_update

STALE = "sale_stale_version"
_LINE_FIELDS = ("description", "quantity", "unit_price", "discount_percent", "line_total")

# --------------------------------------------------------------------------- guards


def _active_sale(session: Session, actor: Actor, sale_id: int) -> Sale:
    staff_organization(session, actor)
    return active_org_row(session, Sale, sale_id, actor, "sale")


def _client(session: Session, org_id: int, customer_id: int | None, errors: dict[str, FieldError]):
    """The client named, when he is an active customer of the organization; else the error is said next
    to the client (another organization's id exactly like a missing one)."""
    if customer_id is None:
        return None
    row = org_ref(session, Customer, customer_id, org_id)
    if row is None or row.deleted_at is not None:
        errors["customer_id"] = FieldError("sale_customer_unknown")
        return None
    return row


def _lock_client(session: Session, customer_id: int) -> None:
    """Two credit sales to one client at once must not both fit in what is left of his limit: his row is
    locked before his balance is read (PostgreSQL: FOR UPDATE; SQLite: one writer, whose lock the empty
    UPDATE takes now rather than at the first insert)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Customer.id).where(Customer.id == customer_id).with_for_update())
    else:
        session.execute(text("UPDATE customer SET id = id WHERE 0"))


def _validated(session: Session, org: Organization, data: SaleInput) -> tuple[CleanSale, Customer | None]:
    """Every rule that needs no balance at once: the fields, the lines and totals, the client, and that a
    credit sale has one. Raises ValidationFailed."""
    errors: dict[str, FieldError] = {}
    client = _client(session, org.id, data.customer_id, errors)
    personal = client.discount_percent if client is not None and client.discount_percent else Decimal(0)
    clean = clean_sale(data, org.currency, personal, errors)
    if clean.payment_method == "credit" and client is None and "customer_id" not in errors:
        errors["customer_id"] = FieldError("sale_credit_needs_client")
    if errors:
        raise ValidationFailed(errors)
    return clean, client


def _credit_approval(
    session: Session, actor: Actor, client: Customer, total: Decimal, currency: str, confirmed: bool
) -> int | None:
    """None when the credit sale fits in the client's limit; the admin's id when he confirmed one past
    it. Raises ValidationFailed (next to the payment method) otherwise."""
    _lock_client(session, client.id)
    owed = customer_totals.open_credit(session, client.organization_id, client.id)
    refusal = credit_refusal(client.credit_limit, owed, total, currency, admin=actor.is_admin)
    if refusal is None:
        return None
    if actor.is_admin and confirmed:
        return actor.user_id
    raise ValidationFailed({"payment_method": refusal})


# --------------------------------------------------------------------------- helpers


def _lines_of(session: Session, sale_id: int) -> tuple[Line, ...]:
    rows = session.execute(
        select(SaleLine).where(SaleLine.sale_id == sale_id).order_by(SaleLine.position)
    ).scalars()
    return tuple(Line(**{name: getattr(r, name) for name in _LINE_FIELDS}) for r in rows)


def _to_dto(session: Session, row: Sale) -> SaleDTO:
    client = session.get(Customer, row.customer_id) if row.customer_id else None
    names = user_names(session, (row.created_by, row.credit_approved_by))
    return fields_of(
        SaleDTO, row,
        customer_name=client.display_name if client else "",
        seller_name=names.get(row.created_by or 0, ""),
        approver_name=names.get(row.credit_approved_by or 0, ""),
        lines=_lines_of(session, row.id),
    )


def _record(session: Session, actor: Actor, row: Sale, kind: str, **data: Any) -> None:
    feed.record_event(
        session, organization_id=row.organization_id, customer_id=row.customer_id, actor_id=actor.user_id,
        kind=kind, data={"number": row.number, "total": str(row.total), "currency": row.currency, **data},
        ref_id=row.id,
    )


def _compare_and_set(session: Session, actor: Actor, row: Sale, version: int, values: dict[str, Any]) -> None:
    """Of two changes made on the same version (paid and cancelled at once) exactly one wins."""
    if row.version != version:
        raise stale_conflict(session, row, STALE)
    changed = session.execute(versioned_update(Sale, row.id, version, actor, values)).rowcount
    session.expire(row)
    if changed != 1:
        raise stale_conflict(session, row, STALE)
    session.refresh(row)


# --------------------------------------------------------------------------- writes


def create_sale(
    *, session: Session, actor: Actor, data: SaleInput, confirm_over_limit: bool = False
) -> SaleDTO:
    """Record a sale with the organization's next number; the client's figures grow with it. A credit
    sale past the client's limit needs an admin and ``confirm_over_limit``. Raises ValidationFailed."""
    org = staff_organization(session, actor)
    clean, client = _validated(session, org, data)
    approved_by = None
    if clean.payment_method == "credit" and client is not None:
        approved_by = _credit_approval(session, actor, client, clean.totals.total, org.currency,
                                       confirm_over_limit)
    t = clean.totals
    row = Sale(
        organization_id=org.id, number=next_number(session, org.id, "sale"), status="completed",
        customer_id=client.id if client else None, payment_method=clean.payment_method,
        credit_approved_by=approved_by, notes=clean.notes, subtotal=t.subtotal,
        discount_percent=t.discount_percent, discount_amount=t.discount_amount, total=t.total,
        currency=org.currency, **created_by(actor.user_id),
    )
    session.add(row)
    session.flush()
    session.add_all(
        SaleLine(sale_id=row.id, organization_id=org.id, position=i,
                 **{name: getattr(line, name) for name in _LINE_FIELDS})
        for i, line in enumerate(clean.lines)
    )
    if client is not None:
        customer_totals.add_sale(session, client.id, row.total, row.created_at)
    _record(session, actor, row, "sale_recorded", payment_method=row.payment_method)
    return _to_dto(session, row)


def mark_paid(*, session: Session, actor: Actor, sale_id: int, version: int) -> SaleDTO:
    """Settle a credit sale: it leaves what the client owes. Raises NotFound, ValidationFailed (not an
    open credit sale) or Conflict(STALE)."""
    row = _active_sale(session, actor, sale_id)
    if not (row.payment_method == "credit" and row.status == "completed" and row.paid_at is None):
        raise ValidationFailed({"payment_method": FieldError("sale_not_open_credit")})
    _compare_and_set(session, actor, row, version, {"paid_at": utcnow()})
    _record(session, actor, row, "sale_paid")
    return _to_dto(session, row)


def cancel_sale(*, session: Session, actor: Actor, sale_id: int, version: int) -> SaleDTO:
    """Cancel a sale (admins): it stops counting, and the client's figures are read again from his
    remaining sales. Raises Forbidden, NotFound, ValidationFailed or Conflict(STALE)."""
    if not actor.is_admin:
        raise Forbidden()
    row = _active_sale(session, actor, sale_id)
    if row.status != "completed":
        raise ValidationFailed({"status": FieldError("sale_already_cancelled")})
    _compare_and_set(session, actor, row, version, {"status": "cancelled"})
    if row.customer_id is not None:
        customer_totals.recompute(session, row.customer_id)
    _record(session, actor, row, "sale_cancelled")
    return _to_dto(session, row)


def delete_sale(*, session: Session, actor: Actor, sale_id: int) -> int:
    """Delete a sale (admins; soft: its number stays taken, its feed events stay); the client's figures
    and balance leave it out from now on. Returns its number."""
    if not actor.is_admin:
        raise Forbidden()
    row = _active_sale(session, actor, sale_id)
    set_deleted(session, Sale, row, actor, True)
    _record(session, actor, row, "sale_deleted")
    if row.customer_id is not None:
        customer_totals.recompute(session, row.customer_id)
    return row.number


# --------------------------------------------------------------------------- reads


def get_sale(*, session: Session, actor: Actor, sale_id: int) -> SaleDTO:
    return _to_dto(session, _active_sale(session, actor, sale_id))


def credit_status(*, session: Session, actor: Actor, customer_id: int) -> CreditStatus:
    """What the client owes and may still buy on credit (the form shows it once credit is chosen)."""
    staff_organization(session, actor)
    client = active_org_row(session, Customer, customer_id, actor, "customer")
    owed = customer_totals.open_credit(session, client.organization_id, client.id)
    available = max(credit_available(client.credit_limit, owed) or Decimal(0), Decimal(0))
    return CreditStatus(client.credit_limit, owed, available)


def list_sales(*, session: Session, actor: Actor, query: DocumentQuery) -> SalePage:
    """One keyset page of the organization's sales, newest first (services/document_pages), filtered by
    seller (``owner_id``) and payment method, with the client's and seller's names read in one more
    query for the whole page. Raises ValidationFailed for a status that is not one, a bad date or a
    cursor that is not ours."""
    staff_organization(session, actor)
    if query.status and query.status not in SALE_STATUSES:
        raise ValidationFailed({"status": FieldError("sale_status_invalid")})
    rows, next_cursor = document_page(
        session, actor, Sale, query,
        filters={"owner_id": Sale.created_by, "method": Sale.payment_method},
    )
    seller = aliased(User)
    names = {
        r.id: r
        for r in session.execute(
            select(Sale.id, Customer.display_name, seller.name.label("seller"))
            .outerjoin(Customer, Customer.id == Sale.customer_id)
            .outerjoin(seller, seller.id == Sale.created_by)
            .where(Sale.id.in_([r.id for r in rows]))
        ).all()
    } if rows else {}
    return SalePage(
        rows=tuple(
            SaleRow(
                id=r.id, number=r.number, status=r.status, payment_method=r.payment_method,
                customer_id=r.customer_id, customer_name=names[r.id].display_name or "",
                seller_name=names[r.id].seller or "", total=r.total, currency=r.currency,
                created_at=r.created_at, paid_at=r.paid_at,
            )
            for r in rows
        ),
        next_cursor=next_cursor,
    )
