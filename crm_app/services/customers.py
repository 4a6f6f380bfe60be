"""Customer use cases: create, edit, soft delete/restore, read, list/search.

Every function takes the session and the actor, checks the actor's organization on every id (another
organization's customer is NotFound, exactly like a missing one) and leaves the commit to the
caller's ``session_scope``: one call is one transaction. Sales and admins may both manage customers.

The pieces live beside this module: customer_rows (the rows written from a cleaned input),
customer_dto (a customer read back), customer_duplicates (duplicate checks and their policy),
customer_feed_entries (what a change writes in the feed), customer_choices (tags, channels, phone
types), customer_search (the list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from crm_app.domain import local_time
from crm_app.domain.custom_values import StoredValue
from crm_app.domain.customer_validation import CheckedCustomer, CleanCustomer, check_customer
from crm_app.domain.customers import CLIENT_TYPES, CustomerDTO, CustomerInput, CustomerPage, CustomerQuery
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, ValidationFailed
from crm_app.domain.feed_changes import initial_entries
from crm_app.domain.form_config import (
    FormConfig,
    input_from_dto,
    keep_hidden,
    public_config,
    public_input,
)
from crm_app.domain.search_text import name_key
from crm_app.models import AcquisitionChannel, Customer, Organization
from crm_app.services import customer_search, duplicates
from crm_app.services import form_config as form_service
from crm_app.services.customer_choices import (
    create_channel,
    list_channels,
    list_phone_labels,
    list_tags,
)
from crm_app.services.customer_dto import customer_row, to_dto
from crm_app.services.customer_duplicates import (
    DuplicatePolicy,
    DuplicateValues,
    duplicate_errors,
    get_duplicate_policy,
    set_duplicate_policy,
    unique_guard,
)
from crm_app.services.customer_feed_entries import record_change, update_entries
from crm_app.services.customer_rows import NewCustomer, insert_customers, replace_children, row_values
from crm_app.services.tenancy import actor_organization, valid_id
from crm_app.services.versioned import set_deleted, stale_conflict, versioned_update

# The use cases, and the choices and duplicate policy that states and tests call as customers.<name>.
__all__ = [
    "DuplicatePolicy",
    "create_channel",
    "create_customer",
    "delete_customer",
    "get_customer",
    "get_duplicate_policy",
    "list_channels",
    "list_customers",
    "list_phone_labels",
    "list_tags",
    "restore_customer",
    "set_duplicate_policy",
    "update_customer",
]


# --------------------------------------------------------------------------- validation


def today_in(org: Organization) -> date:
    """Today in the organization's time zone (a birthday "tomorrow" in UTC may be today there)."""
    return datetime.now(local_time.zone(org.timezone)).date()



def _check_channel(session: Session, org: Organization, channel_id: int | None, current: int | None) -> None:
    if channel_id is None or channel_id == current:  # keeping a channel that was since disabled is fine
        return
    channel = session.get(AcquisitionChannel, channel_id) if valid_id(channel_id) else None
    if channel is None or channel.organization_id != org.id or not channel.is_active:
        raise ValidationFailed({"channel_id": FieldError("channel_unknown")})


@dataclass(frozen=True)
class _Validated:
    clean: CleanCustomer
    config: FormConfig | None  # None for a client type without a form (refused anyway)
    custom: dict[int, list[StoredValue]]


def _validate(
    session: Session,
    org: Organization,
    data: CustomerInput,
    *,
    exclude_id: int | None,
    current_channel: int | None = None,
    public_form: bool = False,
    config: FormConfig | None = None,
) -> _Validated:
    """The shared rules (domain check_customer: the form's required fields and custom values, the
    fields), then the database's (channel, duplicates); all errors in one ValidationFailed.
    ``config`` is the form of ``data.client_type`` when the caller has already read it."""
    if data.client_type not in CLIENT_TYPES:
        config = None
    else:
        if config is None:
            config = form_service.load_form_config(session, org.id, data.client_type)
        if public_form:
            config = public_config(config)
    checked = check_customer(config, data, country=org.country, today=today_in(org), currency=org.currency)
    errors: dict[str, FieldError] = {}
    try:
        _check_channel(session, org, checked.clean.channel_id, current_channel)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    errors.update(duplicate_errors(session, org, DuplicateValues.of(checked.clean), exclude_id=exclude_id))
    if errors:
        raise ValidationFailed(errors)
    return _Validated(checked.clean, config, checked.custom)


# --------------------------------------------------------------------------- use cases


def create_customer(
    *, session: Session, actor: Actor, data: CustomerInput, public_form: bool = False
) -> CustomerDTO:
    """Validate and create a customer with his phones, e-mails and tags. Raises ValidationFailed.

    ``public_form``: the data comes from the public form (an invitation), which shows no staff-only
    field: only what that form shows is taken, and only what it shows is required.
    """
    org = actor_organization(session, actor)
    config = None
    if public_form and data.client_type in CLIENT_TYPES:
        config = form_service.load_form_config(session, org.id, data.client_type)
        data = public_input(config, data)
    checked = _validate(session, org, data, exclude_id=None, public_form=public_form, config=config)
    consents = [e.address for e in checked.clean.emails if e.accepts_email]
    event = {"source": checked.clean.source, "changes": initial_entries(consents)}
    new = NewCustomer(CheckedCustomer(checked.clean, checked.custom), checked.config, event)
    (customer_id,) = unique_guard(session, org, checked.clean.loyalty_id, None,
                                  lambda: insert_customers(session, org, actor, [new]))
    return to_dto(session, org, customer_row(session, actor, customer_id))


def update_customer(
    *,
    session: Session,
    actor: Actor,
    customer_id: int,
    version: int,
    data: CustomerInput,
) -> CustomerDTO:
    """Save an edit made on ``version`` of the customer; phones, e-mails and tags are replaced.

    Raises NotFound, ValidationFailed, or Conflict("stale_version", by=<who saved last>) when someone
    saved in between (nothing is overwritten), or Conflict("customer_deleted") for a trashed customer.
    """
    org = actor_organization(session, actor)
    row = customer_row(session, actor, customer_id)
    if row.deleted_at is not None:
        raise Conflict("customer_deleted")
    if row.version != version:
        raise stale_conflict(session, row, "stale_version")
    before = to_dto(session, org, row)
    config = None
    if data.client_type in CLIENT_TYPES:  # what the form hides is kept, not cleared
        config = form_service.load_form_config(session, org.id, data.client_type)
        data = keep_hidden(config, data, input_from_dto(before))
    checked = _validate(
        session, org, data, exclude_id=row.id, current_channel=row.channel_id, config=config
    )
    clean = checked.clean
    values = row_values(org, clean)
    values["name_key"] = name_key(values["sort_name"], row.id)
    # Compare-and-set on the version: of two saves of the same version, exactly one wins.
    statement = versioned_update(Customer, row.id, version, actor, values)
    saved = unique_guard(session, org, clean.loyalty_id, row.id, lambda: session.execute(statement).rowcount)
    session.expire(row)
    if saved != 1:
        raise stale_conflict(session, row, "stale_version")
    replace_children(session, org, row.id, clean)
    form_service.write_values(session, org.id, row.id, checked.config, checked.custom)
    session.flush()
    session.refresh(row)
    after = to_dto(session, org, row)
    entries = update_entries(before, after, checked.config)
    if entries:  # a save that changed nothing leaves no line in the feed
        record_change(session, actor, "customer_updated", row.id, {"changes": entries})
    return after


def delete_customer(*, session: Session, actor: Actor, customer_id: int) -> None:
    """Move the customer to the trash (soft delete). Deleting a trashed customer does nothing."""
    row = customer_row(session, actor, customer_id)
    if row.deleted_at is not None:
        return
    set_deleted(session, Customer, row, actor, True)
    # A trashed customer leaves the duplicate groups now, not at the next scan.
    duplicates.forget_customers(session, row.organization_id, [row.id])
    record_change(session, actor, "customer_deleted", row.id)


def restore_customer(*, session: Session, actor: Actor, customer_id: int) -> CustomerDTO:
    """Take the customer out of the trash.

    Refused with the duplicate errors (ValidationFailed) when an active customer now holds one of his
    phones, e-mails, tax ID (per the organization's policy) or his loyalty ID, and with
    Conflict("customer_merged") for a customer merged into another (only the merge's undo brings him back).
    """
    org = actor_organization(session, actor)
    row = customer_row(session, actor, customer_id)
    if row.merged_into_id is not None:
        raise Conflict("customer_merged", merged_into=row.merged_into_id)
    if row.deleted_at is None:
        return to_dto(session, org, row)
    errors = duplicate_errors(session, org, DuplicateValues.stored(session, row), exclude_id=row.id)
    if errors:
        raise ValidationFailed(errors)
    set_deleted(session, Customer, row, actor, False)
    session.refresh(row)
    record_change(session, actor, "customer_restored", row.id)
    return to_dto(session, org, row)


# --------------------------------------------------------------------------- reads


def get_customer(*, session: Session, actor: Actor, customer_id: int) -> CustomerDTO:
    """One customer of the actor's organization, trashed ones too (``deleted_at`` set). Else NotFound."""
    org = actor_organization(session, actor)
    return to_dto(session, org, customer_row(session, actor, customer_id))


def list_customers(*, session: Session, actor: Actor, query: CustomerQuery) -> CustomerPage:
    """One page of customers (keyset paged, searched and filtered): see services/customer_search/.

    Raises ValidationFailed({"after": ...}) for a cursor that is not one of ours.
    """
    org = actor_organization(session, actor)
    return customer_search.search(session, org.id, org.country, query)
