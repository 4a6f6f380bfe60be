"""Tags shared by customers and accounts: an organization's tag rows and the names linked to a record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import Session

from crm_app.domain.search_text import normalize
from crm_app.models import Tag


def resolve_tags(session: Session, organization_id: int, names: tuple[str, ...]) -> list[int]:
    """Ids of the organization's tags with these names, creating the missing ones.

    Two requests creating the same new tag at the same moment: the loser gets the unique index's
    IntegrityError (its transaction is rolled back as a whole; saving again works).
    """
    if not names:
        return []
    by_key = {normalize(name): name for name in names}
    existing = dict(
        session.execute(
            select(Tag.normalized, Tag.id).where(
                Tag.organization_id == organization_id, Tag.normalized.in_(list(by_key))
            )
        ).all()
    )
    for key, name in by_key.items():
        if key not in existing:
            tag = Tag(organization_id=organization_id, name=name, normalized=key)
            session.add(tag)
            session.flush()
            existing[key] = tag.id
    return [existing[key] for key in by_key]


def tag_names(session: Session, owner_column: InstrumentedAttribute, owner_id: int) -> tuple[str, ...]:
    """The names of the tags linked to one record, alphabetically.

    ``owner_column`` is the link table's column naming the record, e.g. ``CustomerTag.customer_id``.
    """
    link = owner_column.class_
    return tuple(
        session.execute(
            select(Tag.name)
            .join(link, link.tag_id == Tag.id)
            .where(owner_column == owner_id)
            .order_by(Tag.normalized)
        ).scalars()
    )
