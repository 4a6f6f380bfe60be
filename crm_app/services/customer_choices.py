"""What the customer form offers to pick from: the organization's tags, acquisition channels (with the
defaults a new organization gets) and phone types; and the customer a document's client picker picks
(``client_choice``)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.domain.customers import ClientChoice
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.domain.search_text import normalize
from crm_app.domain.text import clean_line
from crm_app.i18n import t
from crm_app.models import AcquisitionChannel, Customer, PhoneLabel, Tag
from crm_app.services.tenancy import active_org_row, actor_organization, org_row

# The acquisition channels a new organization starts with, named in its language (catalogue keys).
DEFAULT_CHANNELS = ("referral", "social", "google", "walk_in", "other")


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
    for position, key in enumerate(DEFAULT_CHANNELS):
        name = t(f"default_channel_{key}", language)
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
        org = actor_organization(session, actor)
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


def client_choice(*, session: Session, actor: Actor, customer_id: int) -> ClientChoice:
    """The customer ``customer_id`` as a document's client: his name, flags and terms.

    Another organization's customer, a trashed one or an id that is not one is NotFound("customer").
    """
    row = active_org_row(session, Customer, customer_id, actor, "customer")
    return ClientChoice(
        id=row.id,
        name=row.display_name,
        is_conflictive=row.is_conflictive,
        is_supplier=row.is_supplier,
        discount_percent=row.discount_percent or Decimal(0),
        credit_limit=row.credit_limit,
    )


def customer_name(*, session: Session, actor: Actor, customer_id: int) -> str:
    """The name of one of the organization's customers, in the trash too (a list narrowed to him still
    says whose documents it shows). Another organization's customer is NotFound("customer")."""
    return org_row(session, Customer, customer_id, actor, "customer").display_name
