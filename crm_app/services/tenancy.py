"""Rows of the actor's organization: another organization's id is NotFound, exactly like a missing one."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.domain.ids import is_row_id
from crm_app.models import Organization

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
