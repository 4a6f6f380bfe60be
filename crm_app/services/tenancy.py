"""Rows of the actor's organization: another organization's id is NotFound, exactly like a missing one."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, NotFound
from crm_app.domain.ids import is_row_id
from crm_app.models import ROLES, AcquisitionChannel, Organization, User

Row = TypeVar("Row")


def valid_id(value: object) -> bool:
    """A positive 64-bit int (not a bool): anything else from a client is simply not found."""
    return is_row_id(value)


def actor_organization(session: Session, actor: Actor) -> Organization:
    """The actor's organization row."""
    org = session.get(Organization, actor.organization_id)
    if org is None:  # an actor always belongs to an existing organization
        raise NotFound("organization")
    return org


def staff_organization(session: Session, actor: Actor) -> Organization:
    """The actor's organization, once his role is one of the staff roles (else Forbidden)."""
    if actor.role not in ROLES:
        raise Forbidden()
    return actor_organization(session, actor)


def org_ref(session: Session, model: type[Row], row_id: object, org_id: int) -> Row | None:
    """``model``'s row ``row_id`` when it is organization ``org_id``'s, else None (missing and another
    organization's alike): a reference a form names, refused next to its field by the caller."""
    row = session.get(model, row_id) if valid_id(row_id) else None
    return row if row is not None and row.organization_id == org_id else None


def org_row(session: Session, model: type[Row], row_id: object, actor: Actor, what: str) -> Row:
    """The ``model`` row ``row_id`` if it belongs to the actor's organization, else NotFound(what)."""
    row = session.get(model, row_id) if valid_id(row_id) else None
    if row is None or row.organization_id != actor.organization_id:
        raise NotFound(what)
    return row


def active_org_row(session: Session, model: type[Row], row_id: object, actor: Actor, what: str) -> Row:
    """Like ``org_row``, and not in the trash: a trashed row is NotFound(what) too."""
    row = org_row(session, model, row_id, actor, what)
    if row.deleted_at is not None:
        raise NotFound(what)
    return row


def channel_and_owner_errors(
    session: Session, org_id: int, channel_id: int | None, owner_id: int | None
) -> dict[str, FieldError]:
    """What a connector's settings (website form, Lead Ads) name as the channel of what comes in and its
    owner: the organization's channel, and one of its active users; a refusal per field otherwise."""
    errors: dict[str, FieldError] = {}
    if channel_id is not None and org_ref(session, AcquisitionChannel, channel_id, org_id) is None:
        errors["channel_id"] = FieldError("invalid_choice")
    owner = org_ref(session, User, owner_id, org_id) if owner_id is not None else None
    if owner_id is not None and (owner is None or not owner.is_active):
        errors["owner_id"] = FieldError("invalid_choice")
    return errors
