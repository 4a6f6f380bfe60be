"""Customer use cases: create, edit, soft delete/restore, read, list/search; tags and channels.

Every function takes the session and the actor, checks the actor's organization on every id (another
organization's customer is NotFound, exactly like a missing one) and leaves the commit to the
caller's ``session_scope``: one call is one transaction. Sales and admins may both manage customers.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from crm_app.domain.customer_diff import diff_customers
from crm_app.domain.customer_validation import CleanCustomer, clean_customer
from crm_app.domain.customers import (
    CLIENT_TYPES,
    CustomerDTO,
    CustomerInput,
    CustomerPage,
    CustomerQuery,
    EmailDTO,
    PhoneDTO,
)
from crm_app.domain.dto import Actor
from crm_app.domain.feed_changes import change_entries, custom_entries, initial_entries
from crm_app.domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain import local_time
from crm_app.domain.custom_values import StoredValue, clean_custom_values
from crm_app.domain.form_config import (
    FormConfig,
    input_from_dto,
    keep_hidden,
    public_config,
    public_input,
    required_errors,
)
from crm_app.domain.phones import format_phone
from crm_app.domain.search_text import customer_search_text, name_key, normalize
from crm_app.domain.tax_ids import format_tax_id
from crm_app.models import (
    AcquisitionChannel,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
    Organization,
    PhoneLabel,
    Tag,
)
from crm_app.models.types import utcnow
from crm_app.services import customer_search, feed
from crm_app.services import form_config as form_service
from crm_app.services.tags import resolve_tags, tag_names
from crm_app.services.tenancy import valid_id
from crm_app.services.versioned import set_deleted, stale_conflict, user_names, versioned_update
from crm_app.domain.text import clean_line

log = logging.getLogger("crm_app.customers")

DEFAULT_CHANNELS = {
    "es": ("Recomendación", "Redes sociales", "Google", "Pasó por la tienda", "Otro"),
    "en": ("Referral", "Social media", "Google", "Walked in", "Other"),
}


# --------------------------------------------------------------------------- helpers


def _organization(session: Session, actor: Actor) -> Organization:
    org = session.get(Organization, actor.organization_id)
    if org is None:  # an actor always belongs to an existing organization
        raise NotFound("organization")
    return org


def _get_row(session: Session, actor: Actor, customer_id: int, *, lock: bool = False) -> Customer:
    """The actor's organization's customer (trashed ones included), else NotFound("customer")."""
    if not valid_id(customer_id):
        raise NotFound("customer")
    query = select(Customer).where(
        Customer.id == customer_id, Customer.organization_id == actor.organization_id
    )
    if lock:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound("customer")
    return row


@lru_cache(maxsize=8192)
def _phone_forms(e164: str, region: str) -> tuple[str, str]:
    return format_phone(e164, "national", region), format_phone(e164, "international", region)


def _to_dto(session: Session, org: Organization, row: Customer) -> CustomerDTO:
    phones = (
        session.execute(
            select(CustomerPhone).where(CustomerPhone.customer_id == row.id).order_by(CustomerPhone.position)
        )
        .scalars()
        .all()
    )
    emails = (
        session.execute(
            select(CustomerEmail).where(CustomerEmail.customer_id == row.id).order_by(CustomerEmail.position)
        )
        .scalars()
        .all()
    )
    channel_name = ""
    if row.channel_id is not None:
        channel = session.get(AcquisitionChannel, row.channel_id)
        channel_name = channel.name if channel is not None else ""
    names = user_names(session, (row.created_by, row.updated_by))
    return CustomerDTO(
        id=row.id,
        version=row.version,
        client_type=row.client_type,
        display_name=row.display_name,
        first_name=row.first_name,
        last_name=row.last_name,
        legal_name=row.legal_name,
        trade_name=row.trade_name,
        contact_name=row.contact_name,
        tax_id_type=row.tax_id_type,
        tax_id=row.tax_id or "",
        tax_id_formatted=format_tax_id(org.country, row.tax_id_type, row.tax_id or ""),
        phones=tuple(
            PhoneDTO(
                id=p.id,
                raw=p.raw,
                e164=p.e164,
                national=_phone_forms(p.e164, org.country)[0],
                international=_phone_forms(p.e164, org.country)[1],
                kind=p.kind,
                label=p.label,
                whatsapp=p.whatsapp,
                viber=p.viber,
                sms=p.sms,
                primary=p.is_primary,
            )
            for p in phones
        ),
        emails=tuple(
            EmailDTO(
                id=e.id,
                address=e.address,
                accepts_email=e.accepts_email,
                consent_at=e.consent_at,
                consent_source=e.consent_source,
                primary=e.is_primary,
            )
            for e in emails
        ),
        loyalty_id=row.loyalty_id or "",
        birthday=row.birthday,
        street=row.street,
        city=row.city,
        region=row.region,
        postal_code=row.postal_code,
        address_country=row.address_country,
        latitude=row.latitude,
        longitude=row.longitude,
        credit_limit=row.credit_limit,
        discount_percent=row.discount_percent,
        channel_id=row.channel_id,
        channel_name=channel_name,
        notes=row.notes,
        tags=tag_names(session, CustomerTag.customer_id, row.id),
        is_supplier=row.is_supplier,
        is_conflictive=row.is_conflictive,
        source=row.source,
        created_at=row.created_at,
        created_by_name=names.get(row.created_by or 0, ""),
        updated_at=row.updated_at,
        updated_by_name=names.get(row.updated_by or 0, ""),
        deleted_at=row.deleted_at,
        custom=form_service.read_values(session, row.id),
    )


def _today(org: Organization) -> date:
    """Today in the organization's time zone (a birthday "tomorrow" in UTC may be today there)."""
    return datetime.now(local_time.zone(org.timezone)).date()


def _search_text(org: Organization, clean: CleanCustomer) -> str:
    return customer_search_text(
        names=(clean.first_name, clean.last_name, clean.legal_name, clean.trade_name, clean.contact_name),
        tax_id=clean.tax_id or "",
        loyalty_id=clean.loyalty_id or "",
        emails=[e.address for e in clean.emails],
        phones_e164=[p.e164 for p in clean.phones],
        region=org.country,
    )


# --------------------------------------------------------------------------- duplicates


@dataclass(frozen=True)
class _Values:
    """What a duplicate check looks at: the customer's phones, e-mails, tax ID and loyalty ID."""

    phones: tuple[str, ...]
    emails: tuple[str, ...]
    tax_id: str | None
    loyalty_id: str | None


def _duplicate_errors(
    session: Session,
    org: Organization,
    values: _Values,
    *,
    exclude_id: int | None,
) -> dict[str, FieldError]:
    """Errors for values held by another *active* customer of the organization (policy permitting).

    Keys point at the offending input ("phones.<i>.number", "emails.<i>.address", "tax_id",
    "loyalty_id"); params name the other customer and his id, for a link to him.
    """
    errors: dict[str, FieldError] = {}
    not_self = Customer.id != exclude_id if exclude_id is not None else True

    def found(code: str, key: str, customer_id: int, name: str) -> None:
        errors.setdefault(key, FieldError(code, name=name, customer_id=customer_id))

    # Phones and e-mails live in child tables: one query per table for all the customer's values.
    for model, column, wanted, code, key, enabled in (
        (CustomerPhone, CustomerPhone.e164, values.phones, "duplicate_phone", "phones.{}.number",
         org.duplicate_check_phone),
        (CustomerEmail, CustomerEmail.address, values.emails, "duplicate_email", "emails.{}.address",
         org.duplicate_check_email),
    ):
        if not enabled or not wanted:
            continue
        rows = session.execute(
            select(column, Customer.id, Customer.display_name)
            .join(Customer, Customer.id == model.customer_id)
            .where(
                model.organization_id == org.id, column.in_(wanted), Customer.deleted_at.is_(None), not_self
            )
            .order_by(Customer.id)
        ).all()
        for value, customer_id, name in rows:
            found(code, key.format(wanted.index(value)), customer_id, name)
    for column, value, code, key, enabled in (
        (Customer.tax_id, values.tax_id, "duplicate_tax_id", "tax_id", org.duplicate_check_tax_id),
        (Customer.loyalty_id, values.loyalty_id, "duplicate_loyalty_id", "loyalty_id", True),
    ):
        if not enabled or not value:
            continue
        row = session.execute(
            select(Customer.id, Customer.display_name)
            .where(
                Customer.organization_id == org.id, column == value, Customer.deleted_at.is_(None), not_self
            )
            .order_by(Customer.id)
            .limit(1)
        ).first()
        if row is not None:
            found(code, key, row[0], row[1])
    return errors


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
    """Field rules, the organization's form (required fields, custom values), then the database
    rules (channel, duplicates); all errors in one ValidationFailed. ``config`` is the form of
    ``data.client_type`` when the caller has already read it."""
    errors: dict[str, FieldError] = {}
    custom: dict[int, list[StoredValue]] = {}
    if data.client_type not in CLIENT_TYPES:
        config = None
    else:
        if config is None:
            config = form_service.load_form_config(session, org.id, data.client_type)
        if public_form:
            config = public_config(config)
        errors.update(required_errors(config, data))
        custom, custom_errors = clean_custom_values(config, data.custom)
        errors.update(custom_errors)
    try:
        clean = clean_customer(data, country=org.country, today=_today(org), currency=org.currency)
    except ValidationFailed as exc:
        raise ValidationFailed({**errors, **exc.errors}) from None
    try:
        _check_channel(session, org, clean.channel_id, current_channel)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    values = _Values(
        phones=tuple(p.e164 for p in clean.phones),
        emails=tuple(e.address for e in clean.emails),
        tax_id=clean.tax_id,
        loyalty_id=clean.loyalty_id,
    )
    errors.update(_duplicate_errors(session, org, values, exclude_id=exclude_id))
    if errors:
        raise ValidationFailed(errors)
    return _Validated(clean, config, custom)


# --------------------------------------------------------------------------- writes


_ROW_FIELDS = (
    "client_type",
    "first_name",
    "last_name",
    "legal_name",
    "trade_name",
    "contact_name",
    "display_name",
    "sort_name",
    "tax_id_type",
    "tax_id",
    "loyalty_id",
    "birthday",
    "street",
    "city",
    "region",
    "postal_code",
    "address_country",
    "latitude",
    "longitude",
    "credit_limit",
    "discount_percent",
    "channel_id",
    "notes",
    "is_supplier",
    "is_conflictive",
)


def _row_values(org: Organization, clean: CleanCustomer) -> dict[str, Any]:
    values = {name: getattr(clean, name) for name in _ROW_FIELDS}
    values["search_text"] = _search_text(org, clean)
    values["primary_phone_e164"] = next((p.e164 for p in clean.phones if p.primary), "")
    values["primary_email"] = next((e.address for e in clean.emails if e.primary), "")
    return values


def _write_children(
    session: Session,
    org: Organization,
    customer_id: int,
    clean: CleanCustomer,
    *,
    source: str,
    previous_emails: dict[str, CustomerEmail] | None = None,
) -> None:
    now = utcnow()
    previous_emails = previous_emails or {}
    for position, phone in enumerate(clean.phones):
        session.add(
            CustomerPhone(
                organization_id=org.id,
                customer_id=customer_id,
                raw=phone.raw,
                e164=phone.e164,
                kind=phone.kind,
                label=phone.label,
                whatsapp=phone.whatsapp,
                viber=phone.viber,
                sms=phone.sms,
                is_primary=phone.primary,
                position=position,
            )
        )
    for position, email in enumerate(clean.emails):
        before = previous_emails.get(email.address)
        if not email.accepts_email:
            consent_at, consent_source = None, ""
        elif before is not None and before.accepts_email and before.consent_at is not None:
            consent_at, consent_source = before.consent_at, before.consent_source  # consent given earlier
        else:
            consent_at, consent_source = now, source
        session.add(
            CustomerEmail(
                organization_id=org.id,
                customer_id=customer_id,
                address=email.address,
                accepts_email=email.accepts_email,
                consent_at=consent_at,
                consent_source=consent_source,
                is_primary=email.primary,
                position=position,
            )
        )
    for tag_id in resolve_tags(session, org.id, clean.tags):
        session.add(CustomerTag(customer_id=customer_id, tag_id=tag_id, organization_id=org.id))


def _unique_guard(
    session: Session, org: Organization, clean: CleanCustomer, exclude_id: int | None, write
) -> None:
    """Run ``write``; a race lost on the loyalty ID's unique index becomes the usual duplicate error.

    No SAVEPOINT (pysqlite would commit the outer work on RELEASE): the transaction is rolled back,
    which the caller's session_scope does anyway when we raise, and the winner is read afresh.
    """
    try:
        write()
    except IntegrityError:
        session.rollback()
        values = _Values(phones=(), emails=(), tax_id=None, loyalty_id=clean.loyalty_id)
        errors = _duplicate_errors(session, org, values, exclude_id=exclude_id)
        if errors:
            raise ValidationFailed(errors) from None
        raise


def _record_change(
    session: Session,
    actor: Actor,
    kind: str,
    customer_id: int,
    data: dict[str, Any] | None = None,
) -> None:
    """The change's feed event, in the same transaction as the change itself."""
    feed.record_event(
        session,
        organization_id=actor.organization_id,
        customer_id=customer_id,
        actor_id=actor.user_id,
        kind=kind,
        data=data,
    )


def _update_entries(before: CustomerDTO, after: CustomerDTO, config: FormConfig | None) -> list[dict]:
    """The feed's change entries for an edit: the channel by name, custom fields one by one by label
    (``config`` is the form the edit was validated with)."""
    changes = [
        ("channel", before.channel_name, after.channel_name) if field == "channel_id" else (field, old, new)
        for field, old, new in diff_customers(before, after)
        if field != "custom"
    ]
    entries = change_entries(changes)
    if config is not None and before.custom != after.custom:
        entries += custom_entries(list(config.custom), dict(before.custom), dict(after.custom))
    return entries


def create_customer(
    *, session: Session, actor: Actor, data: CustomerInput, public_form: bool = False
) -> CustomerDTO:
    """Validate and create a customer with his phones, e-mails and tags. Raises ValidationFailed.

    ``public_form``: the data comes from the public form (an invitation), which shows no staff-only
    field: only what that form shows is taken, and only what it shows is required.
    """
    org = _organization(session, actor)
    config = None
    if public_form and data.client_type in CLIENT_TYPES:
        config = form_service.load_form_config(session, org.id, data.client_type)
        data = public_input(config, data)
    checked = _validate(session, org, data, exclude_id=None, public_form=public_form, config=config)
    clean = checked.clean
    now = utcnow()
    # The name key holds the id, unknown before the INSERT: a unique placeholder first (the search
    # index trigger files the row under it), the real key right after.
    row = Customer(
        organization_id=org.id,
        source=clean.source,
        created_at=now,
        created_by=actor.user_id,
        updated_at=now,
        updated_by=actor.user_id,
        version=1,
        name_key=-1 - secrets.randbits(62),
        **_row_values(org, clean),
    )
    session.add(row)
    _unique_guard(session, org, clean, None, session.flush)
    row.name_key = name_key(row.sort_name, row.id)
    session.flush()
    _write_children(session, org, row.id, clean, source=clean.source)
    form_service.write_values(session, org.id, row.id, checked.config, checked.custom)
    session.flush()
    consents = [e.address for e in clean.emails if e.accepts_email]
    _record_change(
        session, actor, "customer_created", row.id,
        {"source": clean.source, "changes": initial_entries(consents)},
    )
    return _to_dto(session, org, row)


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
    org = _organization(session, actor)
    row = _get_row(session, actor, customer_id)
    if row.deleted_at is not None:
        raise Conflict("customer_deleted")
    if row.version != version:
        raise stale_conflict(session, row, "stale_version")
    before = _to_dto(session, org, row)
    config = None
    if data.client_type in CLIENT_TYPES:  # what the form hides is kept, not cleared
        config = form_service.load_form_config(session, org.id, data.client_type)
        data = keep_hidden(config, data, input_from_dto(before))
    checked = _validate(
        session, org, data, exclude_id=row.id, current_channel=row.channel_id, config=config
    )
    clean = checked.clean
    values = _row_values(org, clean)
    values["name_key"] = name_key(values["sort_name"], row.id)
    # Compare-and-set on the version: of two saves of the same version, exactly one wins.
    statement = versioned_update(Customer, row.id, version, actor, values)
    outcome: list[int] = []
    _unique_guard(session, org, clean, row.id, lambda: outcome.append(session.execute(statement).rowcount))
    session.expire(row)
    if outcome != [1]:
        raise stale_conflict(session, row, "stale_version")
    previous_emails = {
        e.address: e
        for e in session.execute(select(CustomerEmail).where(CustomerEmail.customer_id == row.id)).scalars()
    }
    for email in previous_emails.values():
        session.expunge(email)  # read for their consent dates, then deleted below
    for model in (CustomerPhone, CustomerEmail, CustomerTag):
        session.execute(delete(model).where(model.customer_id == row.id))
    _write_children(session, org, row.id, clean, source=clean.source, previous_emails=previous_emails)
    form_service.write_values(session, org.id, row.id, checked.config, checked.custom)
    session.flush()
    session.refresh(row)
    after = _to_dto(session, org, row)
    entries = _update_entries(before, after, checked.config)
    if entries:  # a save that changed nothing leaves no line in the feed
        _record_change(session, actor, "customer_updated", row.id, {"changes": entries})
    return after


def delete_customer(*, session: Session, actor: Actor, customer_id: int) -> None:
    """Move the customer to the trash (soft delete). Deleting a trashed customer does nothing."""
    row = _get_row(session, actor, customer_id)
    if row.deleted_at is not None:
        return
    set_deleted(session, Customer, row, actor, True)
    _record_change(session, actor, "customer_deleted", row.id)


def restore_customer(*, session: Session, actor: Actor, customer_id: int) -> CustomerDTO:
    """Take the customer out of the trash.

    Refused with the duplicate errors (ValidationFailed) when an active customer now holds one of his
    phones, e-mails, tax ID (per the organization's policy) or his loyalty ID.
    """
    org = _organization(session, actor)
    row = _get_row(session, actor, customer_id)
    if row.deleted_at is None:
        return _to_dto(session, org, row)
    phones = tuple(
        session.execute(
            select(CustomerPhone.e164)
            .where(CustomerPhone.customer_id == row.id)
            .order_by(CustomerPhone.position)
        ).scalars()
    )
    emails = tuple(
        session.execute(
            select(CustomerEmail.address)
            .where(CustomerEmail.customer_id == row.id)
            .order_by(CustomerEmail.position)
        ).scalars()
    )
    values = _Values(phones=phones, emails=emails, tax_id=row.tax_id, loyalty_id=row.loyalty_id)
    errors = _duplicate_errors(session, org, values, exclude_id=row.id)
    if errors:
        raise ValidationFailed(errors)
    set_deleted(session, Customer, row, actor, False)
    session.refresh(row)
    _record_change(session, actor, "customer_restored", row.id)
    return _to_dto(session, org, row)


# --------------------------------------------------------------------------- reads


def get_customer(*, session: Session, actor: Actor, customer_id: int) -> CustomerDTO:
    """One customer of the actor's organization, trashed ones too (``deleted_at`` set). Else NotFound."""
    org = _organization(session, actor)
    return _to_dto(session, org, _get_row(session, actor, customer_id))


def list_customers(*, session: Session, actor: Actor, query: CustomerQuery) -> CustomerPage:
    """One page of customers (keyset paged, searched and filtered): see services/customer_search.py.

    Raises ValidationFailed({"after": ...}) for a cursor that is not one of ours.
    """
    org = _organization(session, actor)
    return customer_search.search(session, org.id, org.country, query)


# --------------------------------------------------------------------------- tags and channels


def list_tags(*, session: Session, actor: Actor, prefix: str = "", limit: int = 20) -> list[str]:
    """The organization's tag names in alphabetical order, those starting with ``prefix`` if given."""
    limit = max(1, min(int(limit), 100))
    query = select(Tag.name).where(Tag.organization_id == actor.organization_id)
    key = normalize(prefix)[:60]
    if key:
        # A range on the unique (organization_id, normalized) index, not LIKE: "_" and "%" are literal.
        query = query.where(Tag.normalized >= key, Tag.normalized < key + "\U0010ffff")
    return list(session.execute(query.order_by(Tag.normalized).limit(limit)).scalars())


def ensure_default_channels(session: Session, organization_id: int, language: str = "es") -> None:
    """Give an organization without channels the default list (called when it is created)."""
    exists = session.execute(
        select(AcquisitionChannel.id).where(AcquisitionChannel.organization_id == organization_id).limit(1)
    ).first()
    if exists:
        return
    for position, name in enumerate(DEFAULT_CHANNELS.get(language, DEFAULT_CHANNELS["es"])):
        session.add(AcquisitionChannel(organization_id=organization_id, name=name, position=position))
    session.flush()


def list_channels(*, session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Active acquisition channels ``(id, name)`` in the organization's order.

    Organizations created before channels existed get the default ones on first use.
    """

    def read() -> list[tuple[int, str]]:
        return [
            tuple(r)
            for r in session.execute(
                select(AcquisitionChannel.id, AcquisitionChannel.name)
                .where(
                    AcquisitionChannel.organization_id == actor.organization_id,
                    AcquisitionChannel.is_active.is_(True),
                )
                .order_by(AcquisitionChannel.position, AcquisitionChannel.id)
            ).all()
        ]

    channels = read()
    if not channels:
        org = _organization(session, actor)
        ensure_default_channels(session, org.id, org.language)
        channels = read()
    return channels


def create_channel(*, session: Session, actor: Actor, name: str) -> tuple[int, str]:
    """Add an acquisition channel at the end of the list (admins only)."""
    if not actor.is_admin:
        raise Forbidden()
    name = clean_line(name)
    if not name:
        raise ValidationFailed({"name": FieldError("required")})
    if len(name) > 100:
        raise ValidationFailed({"name": FieldError("too_long", max=100)})
    org_id = actor.organization_id
    taken = session.execute(
        select(AcquisitionChannel.id, AcquisitionChannel.name).where(
            AcquisitionChannel.organization_id == org_id
        )
    ).all()
    if any(normalize(existing) == normalize(name) for _, existing in taken):
        raise ValidationFailed({"name": FieldError("channel_exists")})
    position = (
        session.execute(
            select(func.coalesce(func.max(AcquisitionChannel.position), -1)).where(
                AcquisitionChannel.organization_id == org_id
            )
        ).scalar_one()
        + 1
    )
    channel = AcquisitionChannel(organization_id=org_id, name=name, position=position)
    session.add(channel)
    session.flush()
    return channel.id, channel.name


def list_phone_labels(*, session: Session, actor: Actor) -> list[str]:
    """The organization's own phone types (Settings), suggested for a phone whose type is "Other"."""
    return list(session.execute(
        select(PhoneLabel.name).where(PhoneLabel.organization_id == actor.organization_id)
        .order_by(PhoneLabel.name).limit(200)
    ).scalars())


# --------------------------------------------------------------------------- duplicate policy


@dataclass(frozen=True)
class DuplicatePolicy:
    phone: bool
    email: bool
    tax_id: bool


def get_duplicate_policy(*, session: Session, actor: Actor) -> DuplicatePolicy:
    org = _organization(session, actor)
    return DuplicatePolicy(org.duplicate_check_phone, org.duplicate_check_email, org.duplicate_check_tax_id)


def set_duplicate_policy(*, session: Session, actor: Actor, policy: DuplicatePolicy) -> DuplicatePolicy:
    """Turn each duplicate rule on or off (admins only). Loyalty IDs are always unique."""
    if not actor.is_admin:
        raise Forbidden()
    org = _organization(session, actor)
    org.duplicate_check_phone = bool(policy.phone)
    org.duplicate_check_email = bool(policy.email)
    org.duplicate_check_tax_id = bool(policy.tax_id)
    session.add(org)
    session.flush()
    return get_duplicate_policy(session=session, actor=actor)
