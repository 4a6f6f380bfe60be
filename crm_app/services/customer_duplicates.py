"""Duplicate customers: which values another active customer already holds, and the organization's
policy of which ones to refuse (phones, e-mails, tax IDs; loyalty IDs are always unique)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from crm_app.domain.customer_validation import CleanCustomer
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.models import Customer, CustomerEmail, CustomerPhone, Organization
from crm_app.services.tenancy import actor_organization

T = TypeVar("T")


@dataclass(frozen=True)
class DuplicateValues:
    """What a duplicate check looks at: the customer's phones, e-mails, tax ID and loyalty ID."""

    phones: tuple[str, ...]
    emails: tuple[str, ...]
    tax_id: str | None
    loyalty_id: str | None

    @classmethod
    def of(cls, clean: CleanCustomer) -> DuplicateValues:
        """A cleaned input's values."""
        phones, emails = tuple(p.e164 for p in clean.phones), tuple(e.address for e in clean.emails)
        return cls(phones, emails, clean.tax_id, clean.loyalty_id)

    @classmethod
    def stored(cls, session: Session, row: Customer) -> DuplicateValues:
        """A stored customer's values (a trashed one's, before he is restored)."""
        phones = select(CustomerPhone.e164).where(CustomerPhone.customer_id == row.id)
        emails = select(CustomerEmail.address).where(CustomerEmail.customer_id == row.id)
        return cls(
            tuple(session.execute(phones.order_by(CustomerPhone.position)).scalars()),
            tuple(session.execute(emails.order_by(CustomerEmail.position)).scalars()),
            row.tax_id,
            row.loyalty_id,
        )


def duplicate_errors(
    session: Session,
    org: Organization,
    values: DuplicateValues,
    *,
    exclude_id: int | None,
) -> dict[str, FieldError]:
    """Errors for values held by another *active* customer of the organization (policy permitting).

    Keys point at the offending input ("phones.<i>.number", "emails.<i>.address", "tax_id",
    "loyalty_id"); params name the other customer and his id, for a link to him.
    """
    return duplicate_errors_many(session, org, [(values, exclude_id)])[0]


# The checks: where a value lives, which of a customer's values it looks at, its error and input key,
# and the organization's switch for it (None: always on).
_CHECKS = (
    (CustomerPhone.e164, lambda v: v.phones, "duplicate_phone", "phones.{}.number", "duplicate_check_phone"),
    (CustomerEmail.address, lambda v: v.emails, "duplicate_email", "emails.{}.address",
     "duplicate_check_email"),
    (Customer.tax_id, lambda v: (v.tax_id,) if v.tax_id else (), "duplicate_tax_id", "tax_id",
     "duplicate_check_tax_id"),
    (Customer.loyalty_id, lambda v: (v.loyalty_id,) if v.loyalty_id else (), "duplicate_loyalty_id",
     "loyalty_id", None),
)


def duplicate_errors_many(
    session: Session,
    org: Organization,
    items: Sequence[tuple[DuplicateValues, int | None]],
) -> list[dict[str, FieldError]]:
    """:func:`duplicate_errors` of several customers at once (an import's batch): one query per kind of
    value for all of them, the same errors as one by one."""
    errors: list[dict[str, FieldError]] = [{} for _ in items]
    for column, wanted_of, code, key, switch in _CHECKS:
        if switch is not None and not getattr(org, switch):
            continue
        wanted = {value for values, _ in items for value in wanted_of(values)}
        if not wanted:
            continue
        holders: dict[str, list[tuple[int, str]]] = {}
        # Filtered on the value's own table by organization: its (organization_id, value) index answers,
        # whatever the planner believes of the organization's size (mid-import, its statistics are old).
        query = select(column, Customer.id, Customer.display_name).where(
            column.table.c.organization_id == org.id, column.in_(wanted), Customer.deleted_at.is_(None)
        )
        if column.table is not Customer.__table__:  # a phone or an e-mail: its customer's row
            query = query.join(Customer, Customer.id == column.table.c.customer_id)
        for value, customer_id, name in session.execute(query.order_by(Customer.id)).all():
            holders.setdefault(value, []).append((customer_id, name))
        for found, (values, exclude_id) in zip(errors, items, strict=True):
            for index, value in enumerate(wanted_of(values)):
                holder = next((h for h in holders.get(value, ()) if h[0] != exclude_id), None)
                if holder is not None:
                    error = FieldError(code, name=holder[1], customer_id=holder[0])
                    found.setdefault(key.format(index), error)
    return errors


def unique_guard(
    session: Session,
    org: Organization,
    loyalty_id: str | None,
    exclude_id: int | None,
    write: Callable[[], T],
) -> T:
    """Run ``write`` and return what it returns; a race lost on the loyalty ID's unique index becomes the
    usual duplicate error.

    No SAVEPOINT (pysqlite would commit the outer work on RELEASE): the transaction is rolled back,
    which the caller's session_scope does anyway when we raise, and the winner is read afresh.
    """
    try:
        return write()
    except IntegrityError:
        session.rollback()
        values = DuplicateValues(phones=(), emails=(), tax_id=None, loyalty_id=loyalty_id)
        errors = duplicate_errors(session, org, values, exclude_id=exclude_id)
        if errors:
            raise ValidationFailed(errors) from None
        raise


# --------------------------------------------------------------------------- duplicate policy


@dataclass(frozen=True)
class DuplicatePolicy:
    phone: bool
    email: bool
    tax_id: bool


def get_duplicate_policy(*, session: Session, actor: Actor) -> DuplicatePolicy:
    org = actor_organization(session, actor)
    return DuplicatePolicy(org.duplicate_check_phone, org.duplicate_check_email, org.duplicate_check_tax_id)


def set_duplicate_policy(*, session: Session, actor: Actor, policy: DuplicatePolicy) -> DuplicatePolicy:
    """Turn each duplicate rule on or off (admins only). Loyalty IDs are always unique."""
    if not actor.is_admin:
        raise Forbidden()
    org = actor_organization(session, actor)
    org.duplicate_check_phone = bool(policy.phone)
    org.duplicate_check_email = bool(policy.email)
    org.duplicate_check_tax_id = bool(policy.tax_id)
    session.add(org)
    session.flush()
    return get_duplicate_policy(session=session, actor=actor)
