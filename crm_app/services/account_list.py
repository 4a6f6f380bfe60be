"""The list of accounts: one page, searched and sorted, keyset paged, with each account's member count."""

from __future__ import annotations

from sqlalchemy import func, select, tuple_
from sqlmodel import Session

from crm_app.domain.accounts import ACCOUNT_SORTS, MAX_ACCOUNT_PAGE, AccountPage, AccountQuery, AccountRow
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.search_text import normalize
from crm_app.domain.tax_ids import format_tax_id
from crm_app.models import Account, AccountMember, Customer
from crm_app.services.accounts import actor_organization
from crm_app.services.customer_search import decode_cursor, encode_cursor
from crm_app.services.versioned import user_names


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
    org = actor_organization(session, actor)
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
