"""Account use cases: create, edit, delete, list/search; members (add, change role, remove); summary.

Like the customer services: every function takes the session and the actor, checks the actor's
role and organization on every id (another organization's account or customer is NotFound, exactly
like a missing one), and leaves the commit to the caller's ``session_scope``. Both roles (admin,
sales) manage accounts. Each write records its feed event in the same transaction: the account's
own feed, and for membership changes the member's feed too (one event carrying both ids).

Deleting an account is a soft delete (its feed events keep pointing at it); its memberships stay in
the database but the account disappears everywhere, and the member customers are never touched.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlmodel import Session

from crm_app.domain.accounts import (
    ACCOUNT_SORTS,
    MAX_ACCOUNT_PAGE,
    AccountDTO,
    AccountInput,
    AccountPage,
    AccountQuery,
    AccountRow,
    AccountSummary,
    CleanAccount,
    CustomerAccount,
    MemberDTO,
    MemberPage,
    check_role,
    clean_account,
    diff_accounts,
)
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.feed_changes import change_entries
from crm_app.domain.phones import format_phone
from crm_app.domain.search_text import normalize
from crm_app.domain.tax_ids import format_tax_id
from crm_app.models import (
    ROLES,
    Account,
    AccountMember,
    AccountTag,
    Customer,
    CustomerTag,
    Organization,
    Tag,
    User,
)
from crm_app.models.types import utcnow
from crm_app.services import feed, tasks
from crm_app.services.customer_search import decode_cursor, encode_cursor
from crm_app.services.tags import resolve_tags, tag_names
from crm_app.services.tenancy import valid_id
from crm_app.services.versioned import set_deleted, stale_conflict, user_names, versioned_update

MEMBER_PAGE = 50


# --------------------------------------------------------------------------- helpers


def _organization(session: Session, actor: Actor) -> Organization:
    if actor.role not in ROLES:
        raise Forbidden()
    org = session.get(Organization, actor.organization_id)
    if org is None:
        raise NotFound("organization")
    return org


def _get_row(session: Session, actor: Actor, account_id: int) -> Account:
    """The actor's organization's active account, else NotFound("account")."""
    if actor.role not in ROLES:
        raise Forbidden()
    if not valid_id(account_id):
        raise NotFound("account")
    row = session.execute(
        select(Account).where(
            Account.id == account_id,
            Account.organization_id == actor.organization_id,
            Account.deleted_at.is_(None),
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("account")
    return row


def _get_customer(session: Session, actor: Actor, customer_id: int) -> Customer:
    """The organization's active customer (a trashed one cannot join an account), else NotFound."""
    if not valid_id(customer_id):
        raise NotFound("customer")
    row = session.execute(
        select(Customer).where(
            Customer.id == customer_id,
            Customer.organization_id == actor.organization_id,
            Customer.deleted_at.is_(None),
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("customer")
    return row


def _to_dto(session: Session, org: Organization, row: Account) -> AccountDTO:
    owner = user_names(session, (row.owner_id,))
    return AccountDTO(
        id=row.id,
        version=row.version,
        name=row.name,
        tax_id_type=row.tax_id_type,
        tax_id=row.tax_id or "",
        tax_id_formatted=format_tax_id(org.country, row.tax_id_type, row.tax_id or ""),
        address=row.address,
        city=row.city,
        phone_raw=row.phone_raw,
        phone_e164=row.phone_e164,
        phone_international=format_phone(row.phone_e164, "international", org.country)
        if row.phone_e164
        else "",
        email=row.email,
        industry=row.industry,
        owner_id=row.owner_id,
        owner_name=owner.get(row.owner_id or 0, ""),
        notes=row.notes,
        tags=tag_names(session, AccountTag.account_id, row.id),
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
    )


def _validate(
    session: Session, org: Organization, data: AccountInput, *, exclude_id: int | None
) -> CleanAccount:
    """Field rules, then the database's: the owner is an active user of the organization, and no
    other active account has the same tax ID. Every error at once."""
    try:
        clean = clean_account(data, country=org.country)
        errors: dict[str, FieldError] = {}
    except ValidationFailed as exc:
        errors = dict(exc.errors)
        clean = None
    if data.owner_id is not None and "owner_id" not in errors:
        owner = session.get(User, data.owner_id) if valid_id(data.owner_id) else None
        if owner is None or owner.organization_id != org.id or not owner.is_active:
            errors["owner_id"] = FieldError("account_owner_unknown")
    if clean is not None and clean.tax_id:
        query = select(Account.id, Account.name).where(
            Account.organization_id == org.id, Account.tax_id == clean.tax_id, Account.deleted_at.is_(None)
        )
        if exclude_id is not None:
            query = query.where(Account.id != exclude_id)
        taken = session.execute(query.limit(1)).first()
        if taken is not None:
            errors["tax_id"] = FieldError("duplicate_account_tax_id", name=taken[1], account_id=taken[0])
    if errors or clean is None:
        raise ValidationFailed(errors)
    return clean


_ROW_FIELDS = (
    "name",
    "sort_name",
    "tax_id_type",
    "tax_id",
    "address",
    "city",
    "phone_raw",
    "phone_e164",
    "email",
    "industry",
    "owner_id",
    "notes",
)


def _row_values(clean: CleanAccount) -> dict[str, Any]:
    return {**{name: getattr(clean, name) for name in _ROW_FIELDS}, "search_text": clean.search_text()}


def _write_tags(session: Session, org: Organization, account_id: int, names: tuple[str, ...]) -> None:
    session.execute(AccountTag.__table__.delete().where(AccountTag.account_id == account_id))
    for tag_id in resolve_tags(session, org.id, names):
        session.add(AccountTag(account_id=account_id, tag_id=tag_id, organization_id=org.id))
    session.flush()


def _record(
    session: Session,
    actor: Actor,
    kind: str,
    account_id: int,
    data: dict[str, Any],
    customer_id: int | None = None,
) -> None:
    feed.record_event(
        session,
        organization_id=actor.organization_id,
        account_id=account_id,
        customer_id=customer_id,
        actor_id=actor.user_id,
        kind=kind,
        data=data,
    )


# --------------------------------------------------------------------------- account writes


def create_account(*, session: Session, actor: Actor, data: AccountInput) -> AccountDTO:
    """Validate and create an account with its tags. Raises ValidationFailed."""
    org = _organization(session, actor)
    clean = _validate(session, org, data, exclude_id=None)
    now = utcnow()
    row = Account(
        organization_id=org.id,
        created_at=now,
        created_by=actor.user_id,
        updated_at=now,
        updated_by=actor.user_id,
        version=1,
        **_row_values(clean),
    )
    session.add(row)
    session.flush()
    _write_tags(session, org, row.id, clean.tags)
    _record(session, actor, "account_created", row.id, {"name": row.name})
    return _to_dto(session, org, row)


def update_account(
    *, session: Session, actor: Actor, account_id: int, version: int, data: AccountInput
) -> AccountDTO:
    """Save an edit made on ``version``; the tags are replaced.

    Raises NotFound, ValidationFailed, or Conflict("account_stale_version", by=<who saved last>) when
    someone saved in between (nothing is overwritten).
    """
    org = _organization(session, actor)
    row = _get_row(session, actor, account_id)
    if row.version != version:
        raise stale_conflict(session, row, "account_stale_version")
    before = _to_dto(session, org, row)
    clean = _validate(session, org, data, exclude_id=row.id)
    # Compare-and-set on the version: of two saves of the same version, exactly one wins.
    outcome = session.execute(versioned_update(Account, row.id, version, actor, _row_values(clean))).rowcount
    session.expire(row)
    if outcome != 1:
        raise stale_conflict(session, row, "account_stale_version")
    _write_tags(session, org, row.id, clean.tags)
    session.refresh(row)
    after = _to_dto(session, org, row)
    entries = change_entries(diff_accounts(before, after))
    if entries:  # a save that changed nothing leaves no line in the feed
        _record(session, actor, "account_updated", row.id, {"changes": entries})
    return after


def delete_account(*, session: Session, actor: Actor, account_id: int) -> str:
    """Delete the account (soft: its feed keeps it) and return its name. Its members are left untouched."""
    row = _get_row(session, actor, account_id)
    set_deleted(session, Account, row, actor, True)
    _record(session, actor, "account_deleted", row.id, {"name": row.name})
    return row.name


# --------------------------------------------------------------------------- account reads


def get_account(*, session: Session, actor: Actor, account_id: int) -> AccountDTO:
    org = _organization(session, actor)
    return _to_dto(session, org, _get_row(session, actor, account_id))


def owner_options(*, session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Active staff of the organization who may own an account, by name (the tasks' assignees)."""
    _organization(session, actor)
    return tasks.assignees(session=session, actor=actor)


def _active_member_counts(session: Session, account_ids: list[int]) -> dict[int, int]:
    """Members per account, trashed customers left out: one grouped query for the page."""
    if not account_ids:
        return {}
    return dict(
        session.execute(
            select(AccountMember.account_id, func.count())
            .join(Customer, Customer.id == AccountMember.customer_id)
            .where(AccountMember.account_id.in_(account_ids), Customer.deleted_at.is_(None))
            .group_by(AccountMember.account_id)
        ).all()
    )


def list_accounts(*, session: Session, actor: Actor, query: AccountQuery) -> AccountPage:
    """One page of active accounts, searched and sorted, keyset paged (no OFFSET, no total count).

    The search walks the (organization, name|creation, id) index from the cursor testing each row's
    search text for every word, up to a page: fine at the number of accounts an organization has.
    Raises ValidationFailed for an unknown sort or a cursor that is not ours.
    """
    org = _organization(session, actor)
    if query.sort not in ACCOUNT_SORTS:
        raise ValidationFailed({"sort": FieldError("sort_invalid")})
    limit = max(1, min(int(query.limit), MAX_ACCOUNT_PAGE))
    field = query.sort.lstrip("-")
    descending = query.sort.startswith("-")
    key_column = Account.sort_name if field == "name" else Account.created_at
    statement = select(Account).where(Account.organization_id == org.id, Account.deleted_at.is_(None))
    for word in normalize(query.search).split()[:8]:
        statement = statement.where(Account.search_text.contains(word, autoescape=True))
    if query.after:
        key, row_id = decode_cursor(query.after, field)
        position = tuple_(key_column, Account.id)
        statement = statement.where(position < (key, row_id) if descending else position > (key, row_id))
    order = (key_column.desc(), Account.id.desc()) if descending else (key_column, Account.id)
    rows = list(session.execute(statement.order_by(*order).limit(limit + 1)).scalars())
    next_cursor = ""
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(field, last.sort_name if field == "name" else last.created_at, last.id)
    counts = _active_member_counts(session, [r.id for r in rows])
    owners = user_names(session, (r.owner_id for r in rows))
    return AccountPage(
        rows=tuple(
            AccountRow(
                id=r.id,
                name=r.name,
                tax_id_formatted=format_tax_id(org.country, r.tax_id_type, r.tax_id or ""),
                city=r.city,
                industry=r.industry,
                owner_name=owners.get(r.owner_id or 0, ""),
                member_count=counts.get(r.id, 0),
                created_at=r.created_at,
            )
            for r in rows
        ),
        next_cursor=next_cursor,
    )


# --------------------------------------------------------------------------- members


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
    account = _get_row(session, actor, account_id)
    customer = _get_customer(session, actor, customer_id)
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
    _record(
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
    account = _get_row(session, actor, account_id)
    if not valid_id(customer_id):
        raise NotFound("member")
    customer = session.execute(
        select(Customer).where(Customer.id == customer_id, Customer.organization_id == actor.organization_id)
    ).scalar_one_or_none()
    member = _membership(session, account.id, customer_id) if customer is not None else None
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
    _record(
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
    _record(
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
    org = _organization(session, actor)
    account = _get_row(session, actor, account_id)
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
    account = _get_row(session, actor, account_id)
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
