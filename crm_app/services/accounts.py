"""Account use cases: the account itself (create, edit, delete, read) and the guards its siblings share.

Like the customer services: every function takes the session and the actor, checks the actor's
role and organization on every id (another organization's account or customer is NotFound, exactly
like a missing one), and leaves the commit to the caller's ``session_scope``. Both roles (admin,
sales) manage accounts. Each write records its feed event in the same transaction.

Deleting an account is a soft delete (its feed events keep pointing at it); its memberships stay in
the database but the account disappears everywhere, and the member customers are never touched.
The list of accounts is ``account_list``; members, roles and the summary are ``account_members``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.accounts import AccountDTO, AccountInput, CleanAccount, clean_account, diff_accounts
from crm_app.domain.dto import Actor, fields_of
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.domain.feed_changes import change_entries
from crm_app.domain.phones import format_phone
from crm_app.domain.tax_ids import format_tax_id
from crm_app.models import ROLES, Account, AccountTag, Organization, User
from crm_app.models.audit import created_by
from crm_app.services import feed, tasks
from crm_app.services.tags import resolve_tags, tag_names
from crm_app.services.tenancy import active_org_row, staff_organization, valid_id
from crm_app.services.versioned import set_deleted, stale_conflict, user_names, versioned_update

# --------------------------------------------------------------------------- guards (shared by account_*)


# The actor's organization, once his role is one of the staff roles (the account services' name for it).
actor_organization = staff_organization


def active_account(session: Session, actor: Actor, account_id: int) -> Account:
    """The actor's organization's active account, else NotFound("account")."""
    if actor.role not in ROLES:
        raise Forbidden()
    return active_org_row(session, Account, account_id, actor, "account")


def record_account_event(
    session: Session,
    actor: Actor,
    kind: str,
    account_id: int,
    data: dict[str, Any],
    customer_id: int | None = None,
) -> None:
    """The write's feed event, in its transaction; a membership event also carries the customer."""
    feed.record_event(
        session,
        organization_id=actor.organization_id,
        account_id=account_id,
        customer_id=customer_id,
        actor_id=actor.user_id,
        kind=kind,
        data=data,
    )


# --------------------------------------------------------------------------- helpers


def _to_dto(session: Session, org: Organization, row: Account) -> AccountDTO:
    owner = user_names(session, (row.owner_id,))
    phone = format_phone(row.phone_e164, "international", org.country) if row.phone_e164 else ""
    return fields_of(
        AccountDTO,
        row,
        tax_id=row.tax_id or "",
        tax_id_formatted=format_tax_id(org.country, row.tax_id_type, row.tax_id or ""),
        phone_international=phone,
        owner_name=owner.get(row.owner_id or 0, ""),
        tags=tag_names(session, AccountTag.account_id, row.id),
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


# --------------------------------------------------------------------------- account writes


def create_account(*, session: Session, actor: Actor, data: AccountInput) -> AccountDTO:
    """Validate and create an account with its tags. Raises ValidationFailed."""
    org = actor_organization(session, actor)
    clean = _validate(session, org, data, exclude_id=None)
    row = Account(organization_id=org.id, **created_by(actor.user_id), **_row_values(clean))
    session.add(row)
    session.flush()
    _write_tags(session, org, row.id, clean.tags)
    record_account_event(session, actor, "account_created", row.id, {"name": row.name})
    return _to_dto(session, org, row)


def update_account(
    *, session: Session, actor: Actor, account_id: int, version: int, data: AccountInput
) -> AccountDTO:
    """Save an edit made on ``version``; the tags are replaced.

    Raises NotFound, ValidationFailed, or Conflict("account_stale_version", by=<who saved last>) when
    someone saved in between (nothing is overwritten).
    """
    org = actor_organization(session, actor)
    row = active_account(session, actor, account_id)
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
        record_account_event(session, actor, "account_updated", row.id, {"changes": entries})
    return after


def delete_account(*, session: Session, actor: Actor, account_id: int) -> str:
    """Delete the account (soft: its feed keeps it) and return its name. Its members are left untouched."""
    row = active_account(session, actor, account_id)
    set_deleted(session, Account, row, actor, True)
    record_account_event(session, actor, "account_deleted", row.id, {"name": row.name})
    return row.name


# --------------------------------------------------------------------------- account reads


def get_account(*, session: Session, actor: Actor, account_id: int) -> AccountDTO:
    org = actor_organization(session, actor)
    return _to_dto(session, org, active_account(session, actor, account_id))


def owner_options(*, session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Active staff of the organization who may own an account, by name (the tasks' assignees)."""
    actor_organization(session, actor)
    return tasks.assignees(session=session, actor=actor)
