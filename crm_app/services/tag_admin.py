"""Tags as admins look after them in /settings: listed with their customer counts, renamed, merged and
deleted. Admin-only, one transaction each, every change in the activity log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.search_text import normalize
from crm_app.models import CustomerTag, Tag
from crm_app.services.admin_settings import admin_only, clean_name
from crm_app.services.form_config import log_change
from crm_app.services.tenancy import org_row


@dataclass(frozen=True)
class TagInfo:
    id: int
    name: str
    customers: int


def list_tag_page(
    *, session: Session, actor: Actor, search: str = "", after: str = "", limit: int = 50
) -> tuple[list[TagInfo], str]:
    """One page of tags by name (keyset on the unique normalized name) with their customer counts,
    and the cursor of the next page ("" = last page)."""
    admin_only(actor)
    limit = max(1, min(int(limit), 100))
    query = select(Tag.id, Tag.name, Tag.normalized).where(Tag.organization_id == actor.organization_id)
    key = normalize(search)[:60]
    if key:
        query = query.where(Tag.normalized >= key, Tag.normalized < key + "\U0010ffff")
    if after:
        query = query.where(Tag.normalized > after)
    rows = session.execute(query.order_by(Tag.normalized).limit(limit + 1)).all()
    page = rows[:limit]
    counts = dict(session.execute(
        select(CustomerTag.tag_id, func.count()).where(CustomerTag.tag_id.in_([r.id for r in page]))
        .group_by(CustomerTag.tag_id)
    ).all()) if page else {}
    cursor = page[-1].normalized if len(rows) > limit else ""
    return [TagInfo(r.id, r.name, counts.get(r.id, 0)) for r in page], cursor


def _tag(session: Session, actor: Actor, tag_id: int) -> Tag:
    return org_row(session, Tag, tag_id, actor, "tag")


def _tag_count(session: Session, tag_id: int) -> int:
    return session.execute(select(func.count()).where(CustomerTag.tag_id == tag_id)).scalar_one()


def rename_tag(*, session: Session, actor: Actor, tag_id: int, name: str) -> TagInfo:
    """Rename a tag; a name another tag already has is refused (merging them is the way)."""
    admin_only(actor)
    row = _tag(session, actor, tag_id)
    name = clean_name(name, 60)
    key = normalize(name)
    other = session.execute(select(Tag.id).where(Tag.organization_id == actor.organization_id,
                                                 Tag.normalized == key, Tag.id != row.id)).first()
    if other is not None:
        raise ValidationFailed({"name": FieldError("tag_exists_merge")})
    before = row.name
    row.name, row.normalized = name, key
    session.add(row)
    session.flush()
    if before != name:
        log_change(session, actor, "settings.tag_renamed", {"tag": before}, {"tag": name})
    return TagInfo(row.id, row.name, _tag_count(session, row.id))


def merge_tags(*, session: Session, actor: Actor, tag_ids: list[int], name: str) -> TagInfo:
    """Merge two or more tags into one called ``name``: every customer of any of them carries the
    merged tag once; the others are deleted. Nothing else about the customers changes."""
    admin_only(actor)
    ids = list(dict.fromkeys(int(i) for i in tag_ids))
    if len(ids) < 2:
        raise ValidationFailed({"tags": FieldError("merge_needs_two")})
    tags = [_tag(session, actor, i) for i in ids]
    name = clean_name(name, 60)
    key = normalize(name)
    # The survivor: the tag already holding that name, else the first one chosen.
    clash = session.execute(select(Tag).where(Tag.organization_id == actor.organization_id,
                                              Tag.normalized == key)).scalar_one_or_none()
    if clash is not None and clash.id not in ids:
        tags.insert(0, clash)
    keep, others = tags[0], tags[1:]
    before = {t.name: _tag_count(session, t.id) for t in tags}
    other_ids = [t.id for t in others]
    holders = select(CustomerTag.customer_id).where(CustomerTag.tag_id == keep.id)
    for other in other_ids:  # one tag at a time: a customer holding two of them moves only once
        session.execute(update(CustomerTag).where(CustomerTag.tag_id == other,
                                                  CustomerTag.customer_id.not_in(holders))
                        .values(tag_id=keep.id).execution_options(synchronize_session=False))
    session.execute(delete(CustomerTag).where(CustomerTag.tag_id.in_(other_ids))
                    .execution_options(synchronize_session=False))
    session.execute(delete(Tag).where(Tag.id.in_(other_ids)).execution_options(synchronize_session=False))
    session.flush()
    keep.name, keep.normalized = name, key
    session.add(keep)
    session.flush()
    merged = TagInfo(keep.id, keep.name, _tag_count(session, keep.id))
    log_change(session, actor, "settings.tags_merged", before, {merged.name: merged.customers})
    return merged


def delete_tag(*, session: Session, actor: Actor, tag_id: int) -> int:
    """Delete a tag from every customer; returns how many customers had it."""
    admin_only(actor)
    row = _tag(session, actor, tag_id)
    affected = _tag_count(session, row.id)
    session.execute(delete(CustomerTag).where(CustomerTag.tag_id == row.id))
    session.delete(row)
    session.flush()
    log_change(session, actor, "settings.tag_deleted", {"tag": row.name, "customers": affected}, None)
    return affected


def tag_customer_count(*, session: Session, actor: Actor, tag_id: int) -> int:
    admin_only(actor)
    return _tag_count(session, _tag(session, actor, tag_id).id)
