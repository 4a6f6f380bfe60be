"""Reading customers as the scan compares them (domain.duplicates.Profile): the organization's active
customers in id order, a batch at a time, or given ones, with their phones and e-mails.

Active = not in the trash and not merged into another (a merged customer is soft-deleted too, but the
pointer is checked as well: he must never be proposed again)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.domain.duplicates import Profile, make_profile
from crm_app.models import Customer, CustomerEmail, CustomerPhone

BATCH = 5_000

_COLUMNS = (Customer.id, Customer.display_name, Customer.legal_name, Customer.trade_name, Customer.tax_id,
            Customer.loyalty_id, Customer.birthday, Customer.street, Customer.city)


def active(query, org_id: int):
    return query.where(Customer.organization_id == org_id, Customer.deleted_at.is_(None),
                       Customer.merged_into_id.is_(None))


def count_active(session: Session, org_id: int) -> int:
    return session.execute(active(select(func.count()).select_from(Customer), org_id)).scalar_one()


def _contacts(session: Session, org_id: int, ids: list[int], low: int | None = None,
              high: int | None = None) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The phones and e-mails of customers ``ids`` (or of the id range [low, high]: a batch's range reads
    the (customer_id, position) indexes in one sweep instead of an IN list of thousands)."""
    out: tuple[dict[int, list[str]], dict[int, list[str]]] = ({}, {})
    for found, column, table in ((out[0], CustomerPhone.e164, CustomerPhone),
                                 (out[1], CustomerEmail.address, CustomerEmail)):
        query = select(table.customer_id, column).where(table.organization_id == org_id)
        if low is not None:
            query = query.where(table.customer_id.between(low, high))
        else:
            query = query.where(table.customer_id.in_(ids))
        for customer_id, value in session.execute(query):
            found.setdefault(customer_id, []).append(value)
    return out


def _profiles(session: Session, org_id: int, rows: list, ranged: bool) -> list[Profile]:
    if not rows:
        return []
    ids = [r.id for r in rows]
    phones, emails = (_contacts(session, org_id, ids, ids[0], ids[-1]) if ranged
                      else _contacts(session, org_id, ids))
    return [
        make_profile(r.id, names=(r.display_name, r.legal_name, r.trade_name), phones=phones.get(r.id, ()),
                     emails=emails.get(r.id, ()), tax_id=r.tax_id, loyalty_id=r.loyalty_id,
                     birthday=r.birthday, street=r.street, city=r.city)
        for r in rows
    ]


def walk(session: Session, org_id: int, batch: int = BATCH) -> Iterator[list[Profile]]:
    """Every active customer of the organization, ``batch`` at a time, in id order (keyset)."""
    after = 0
    while True:
        rows = session.execute(active(select(*_COLUMNS), org_id).where(Customer.id > after)
                               .order_by(Customer.id).limit(batch)).all()
        if not rows:
            return
        yield _profiles(session, org_id, rows, ranged=True)
        after = rows[-1].id


def profiles_of(session: Session, org_id: int, ids: Iterable[int]) -> list[Profile]:
    """The active ones among customers ``ids`` (others, another organization's included, left out)."""
    wanted = sorted(set(ids))
    found: list[Profile] = []
    for start in range(0, len(wanted), 900):  # SQLite's bound parameters
        chunk = wanted[start:start + 900]
        rows = session.execute(active(select(*_COLUMNS), org_id).where(Customer.id.in_(chunk))
                               .order_by(Customer.id)).all()
        found.extend(_profiles(session, org_id, rows, ranged=False))
    return found


def changed_since(session: Session, org_id: int, since: datetime) -> list[int]:
    """Active customers changed (or created) since ``since``: ix_customer_org_updated's range."""
    query = active(select(Customer.id), org_id).where(Customer.updated_at >= since)
    return list(session.execute(query).scalars())


def gone_since(session: Session, org_id: int, since: datetime) -> list[int]:
    """Customers trashed (or merged away) since ``since``: the trash's (organization, deleted_at) index."""
    query = select(Customer.id).where(Customer.organization_id == org_id, Customer.deleted_at.is_not(None),
                                      Customer.deleted_at >= since)
    return list(session.execute(query).scalars())
