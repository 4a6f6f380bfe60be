"""Account members: add a customer, change his role, take him out; the member list and the summary.

Every write records one feed event carrying both ids, so it shows in the account's feed and in the
member's. Guards and the feed record come from ``accounts``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlmodel import Session

from crm_app.domain.accounts import (
    MAX_ACCOUNT_PAGE,
    AccountSummary,
    CustomerAccount,
    MemberDTO,
    MemberPage,
    check_role,
)
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, Forbidden, NotFound
from crm_app.domain.phones import format_phone
from crm_app.models import ROLES, Account, AccountMember, Customer, CustomerTag, Tag
from crm_app.services import feed
from crm_app.services.accounts import active_account, actor_organization, record_account_event
from crm_app.services.customer_search import decode_cursor, encode_cursor
from crm_app.services.tenancy import active_org_row, org_row

MEMBER_PAGE = 50


def _membership(session: Session, account_id: int, customer_id: int) -> AccountMember | None:
    return session.execute(
        select(AccountMember).where(
            AccountMember.account_id == account_id, AccountMember.customer_id == customer_id
        )
    ).scalar_one_or_none()


def _member_event(data: dict[str, Any], account: Account, customer: Customer) -> dict[str, Any]:
    return {"account_name": account.name, "customer_name": customer.display_name, **data}


def add_member(
    *, session: Session, actor: Actor, account_id: int, customer_id: int, role: str = "member"
) -> str:
    """Add an active customer of the organization to the account with ``role``; returns his name.

    Raises NotFound (account or customer), ValidationFailed({"role"}) or Conflict("already_member").
    """
    account = active_account(session, actor, account_id)
    customer = active_org_row(session, Customer, customer_id, actor, "customer")  # the trashed cannot join
    check_role(role)
    if _membership(session, account.id, customer.id) is not None:
        raise Conflict("already_member", name=customer.display_name)
    session.add(
        AccountMember(
            organization_id=actor.organization_id,
            account_id=account.id,
            customer_id=customer.id,
            role=role,
            created_by=actor.user_id,
        )
    )
    session.flush()
    record_account_event(
        session,
        actor,
        "member_added",
        account.id,
        _member_event({"role": role}, account, customer),
        customer_id=customer.id,
    )
    return customer.display_name


def _existing_membership(
    session: Session, actor: Actor, account_id: int, customer_id: int
) -> tuple[Account, Customer, AccountMember]:
    account = active_account(session, actor, account_id)
    customer = org_row(session, Customer, customer_id, actor, "member")  # trashed or not
    member = _membership(session, account.id, customer.id)
    if member is None:
        raise NotFound("member")
    return account, customer, member


def set_member_role(*, session: Session, actor: Actor, account_id: int, customer_id: int, role: str) -> None:
    """Change a member's role. Raises NotFound("account" | "member"), ValidationFailed({"role"})."""
    account, customer, member = _existing_membership(session, actor, account_id, customer_id)
    check_role(role)
    if member.role == role:
        return
    before, member.role = member.role, role
    session.add(member)
    session.flush()
    record_account_event(
        session,
        actor,
        "member_role_changed",
        account.id,
        _member_event({"before": before, "after": role}, account, customer),
        customer_id=customer.id,
    )


def remove_member(*, session: Session, actor: Actor, account_id: int, customer_id: int) -> None:
    """Take the customer out of the account (the customer himself stays). NotFound if not a member."""
    account, customer, member = _existing_membership(session, actor, account_id, customer_id)
    session.delete(member)
    session.flush()
    record_account_event(
        session,
        actor,
        "member_removed",
        account.id,
        _member_event({"role": member.role}, account, customer),
        customer_id=customer.id,
    )


def list_members(
    *, session: Session, actor: Actor, account_id: int, after: str = "", limit: int = MEMBER_PAGE
) -> MemberPage:
    """One page of the account's active members by name, keyset paged (``after`` = previous next_cursor)."""
    org = actor_organization(session, actor)
    account = active_account(session, actor, account_id)
    limit = max(1, min(int(limit), MAX_ACCOUNT_PAGE))
    statement = (
        select(Customer, AccountMember.role)
        .join(AccountMember, AccountMember.customer_id == Customer.id)
        .where(AccountMember.account_id == account.id, Customer.deleted_at.is_(None))
    )
    if after:
        key, row_id = decode_cursor(after, "name")
        statement = statement.where(tuple_(Customer.sort_name, Customer.id) > (key, row_id))
    rows = session.execute(statement.order_by(Customer.sort_name, Customer.id).limit(limit + 1)).all()
    next_cursor = ""
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1][0]
        next_cursor = encode_cursor("name", last.sort_name, last.id)
    return MemberPage(
        members=tuple(
            MemberDTO(
                customer_id=c.id,
                name=c.display_name,
                client_type=c.client_type,
                role=role,
                phone=format_phone(c.primary_phone_e164, "national", org.country)
                if c.primary_phone_e164
                else "",
                email=c.primary_email,
            )
            for c, role in rows
        ),
        next_cursor=next_cursor,
    )


def account_summary(*, session: Session, actor: Actor, account_id: int) -> AccountSummary:
    """Active member count, their total credit limit, and their tags (commonest first, at most 30)."""
    account = active_account(session, actor, account_id)
    members = (
        select(AccountMember.customer_id)
        .join(Customer, Customer.id == AccountMember.customer_id)
        .where(AccountMember.account_id == account.id, Customer.deleted_at.is_(None))
    )
    count, total, with_credit = session.execute(
        select(
            func.count(), func.coalesce(func.sum(Customer.credit_limit), 0), func.count(Customer.credit_limit)
        ).where(Customer.id.in_(members))
    ).one()
    tags = session.execute(
        select(Tag.name, func.count())
        .join(CustomerTag, CustomerTag.tag_id == Tag.id)
        .where(CustomerTag.customer_id.in_(members))
        .group_by(Tag.id, Tag.name)
        .order_by(func.count().desc(), Tag.name)
        .limit(30)
    ).all()
    return AccountSummary(
        member_count=int(count),
        credit_limit_total=Decimal(total).quantize(Decimal("0.01")),
        members_with_credit=int(with_credit),
        tags=tuple((name, int(n)) for name, n in tags),
    )


def customer_accounts(*, session: Session, actor: Actor, customer_id: int) -> list[CustomerAccount]:
    """The active accounts a customer belongs to, by name, with his role in each (at most 100)."""
    if actor.role not in ROLES:
        raise Forbidden()
    feed.check_customer(session, actor, customer_id)
    rows = session.execute(
        select(Account.id, Account.name, AccountMember.role)
        .join(AccountMember, AccountMember.account_id == Account.id)
        .where(
            AccountMember.customer_id == customer_id,
            Account.organization_id == actor.organization_id,
            Account.deleted_at.is_(None),
        )
        .order_by(Account.sort_name, Account.id)
        .limit(100)
    ).all()
    return [CustomerAccount(account_id=i, name=n, role=r) for i, n, r in rows]
