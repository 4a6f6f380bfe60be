"""Admin settings: the organization, duplicate rules, editable lists (acquisition channels, phone type
labels, order types), tags (rename, merge, delete) and the admin activity log.

Every function is admin-only, one transaction, and records what changed (before -> after) in the
activity log; the log itself is read one keyset page at a time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, SQLModel

from crm_app.domain.campaigns import MAX_PACE, MIN_PACE
from crm_app.domain.dto import Actor, OrganizationDTO
from crm_app.domain.errors import FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.search_text import normalize
from crm_app.domain.text import clean_line
from crm_app.models import (
    AcquisitionChannel,
    ActivityLog,
    CustomerTag,
    OrderType,
    Organization,
    PhoneLabel,
    Tag,
    User,
)
from crm_app.services.customer_duplicates import DuplicatePolicy, get_duplicate_policy
from crm_app.services.form_config import log_change
from crm_app.services.ordering import move_one_step
from crm_app.services.organizations import OrganizationInput, to_dto, validate_organization
from crm_app.services.tenancy import org_row, valid_id

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOG_PAGE = 25


def _admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden()


def _name(raw: str, limit: int, field: str = "name") -> str:
    name = clean_line(raw)
    if not name:
        raise ValidationFailed({field: FieldError("required")})
    if len(name) > limit:
        raise ValidationFailed({field: FieldError("too_long", max=limit)})
    return name


# --------------------------------------------------------------------------- organization


def update_organization(*, session: Session, actor: Actor, data: OrganizationInput) -> OrganizationDTO:
    """Name, country (phone region, tax-ID scheme), currency, language and time zone."""
    _admin(actor)
    data = OrganizationInput(name=clean_line(data.name), country=data.country, currency=data.currency.upper(),
                             language=data.language, timezone=data.timezone)
    errors = validate_organization(data)
    if errors:
        raise ValidationFailed(errors)
    org = session.get(Organization, actor.organization_id)
    before = to_dto(org)
    org.name, org.country, org.currency = data.name, data.country, data.currency
    org.language, org.timezone = data.language, data.timezone
    session.add(org)
    session.flush()
    after = to_dto(org)
    if after != before:
        log_change(session, actor, "settings.organization", before.__dict__, after.__dict__)
    return after


def set_duplicate_rules(*, session: Session, actor: Actor, policy: DuplicatePolicy) -> DuplicatePolicy:
    """Turn each duplicate rule (phone, e-mail, tax ID) on or off."""
    _admin(actor)
    before = get_duplicate_policy(session=session, actor=actor)
    org = session.get(Organization, actor.organization_id)
    org.duplicate_check_phone, org.duplicate_check_email = bool(policy.phone), bool(policy.email)
    org.duplicate_check_tax_id = bool(policy.tax_id)
    session.add(org)
    session.flush()
    after = get_duplicate_policy(session=session, actor=actor)
    if after != before:
        log_change(session, actor, "settings.duplicates", before.__dict__, after.__dict__)
    return after


# --------------------------------------------------------------------------- lists


@dataclass(frozen=True)
class ListEntry:
    id: int
    name: str
    color: str = ""  # order types only
    active: bool = True
    walk_in: bool = False  # order types only: its orders may have no client


@dataclass(frozen=True)
class _ListKind:
    """How one editable list is stored: its table, name length, and whether it is ordered/deactivated."""

    model: type[SQLModel]
    max_name: int
    log_kind: str
    ordered: bool  # has position and is_active (phone labels are neither: sorted by name, deleted)


LISTS = {
    "channels": _ListKind(AcquisitionChannel, 100, "settings.channels", True),
    "phone_labels": _ListKind(PhoneLabel, 60, "settings.phone_labels", False),
    "order_types": _ListKind(OrderType, 60, "settings.order_types", True),
}


def _kind(list_name: str) -> _ListKind:
    if list_name not in LISTS:
        raise NotFound("list")
    return LISTS[list_name]


def _entry(row) -> ListEntry:
    return ListEntry(id=row.id, name=row.name, color=getattr(row, "color", ""),
                     active=getattr(row, "is_active", True), walk_in=getattr(row, "walk_in_allowed", False))


def list_entries(*, session: Session, actor: Actor, list_name: str) -> list[ListEntry]:
    """Every entry of one list (deactivated ones too), in display order. Lists are short by nature."""
    _admin(actor)
    kind = _kind(list_name)
    model = kind.model
    order = (model.position, model.id) if kind.ordered else (model.name,)
    rows = session.execute(select(model).where(model.organization_id == actor.organization_id)
                           .order_by(*order).limit(500)).scalars()
    return [_entry(r) for r in rows]


def _entry_row(session: Session, actor: Actor, kind: _ListKind, entry_id: int):
    row = session.get(kind.model, entry_id) if valid_id(entry_id) else None
    if row is None or row.organization_id != actor.organization_id:
        raise NotFound("list_entry")
    return row


def _check_unique(session: Session, actor: Actor, kind: _ListKind, name: str, exclude: int | None) -> None:
    names = session.execute(select(kind.model.id, kind.model.name).where(
        kind.model.organization_id == actor.organization_id)).all()
    if any(normalize(other) == normalize(name) and other_id != exclude for other_id, other in names):
        raise ValidationFailed({"name": FieldError("name_taken")})


def _color(raw: str) -> str:
    if not _COLOR.match(raw or ""):
        raise ValidationFailed({"color": FieldError("color_invalid")})
    return raw.lower()


def add_entry(*, session: Session, actor: Actor, list_name: str, name: str, color: str = "") -> ListEntry:
    """A new entry at the end of the list (order types need a colour "#rrggbb")."""
    _admin(actor)
    kind = _kind(list_name)
    name = _name(name, kind.max_name)
    _check_unique(session, actor, kind, name, None)
    extra: dict = {}
    if kind.ordered:
        extra["position"] = session.execute(
            select(func.coalesce(func.max(kind.model.position), -1)).where(
                kind.model.organization_id == actor.organization_id)
        ).scalar_one() + 1
    if kind.model is OrderType:
        extra["color"] = _color(color)
    row = kind.model(organization_id=actor.organization_id, name=name, **extra)
    session.add(row)
    session.flush()
    log_change(session, actor, kind.log_kind, None, _entry(row).__dict__)
    return _entry(row)


def edit_entry(
    *, session: Session, actor: Actor, list_name: str, entry_id: int, name: str, color: str = "",
    walk_in: bool | None = None,
) -> ListEntry:
    """Rename an entry (and recolour an order type, or let its orders go without a client: ``walk_in``).
    Customers keep pointing at it."""
    _admin(actor)
    kind = _kind(list_name)
    row = _entry_row(session, actor, kind, entry_id)
    before = _entry(row)
    row.name = _name(name, kind.max_name)
    _check_unique(session, actor, kind, row.name, row.id)
    if kind.model is OrderType:
        row.color = _color(color)
        if walk_in is not None:
            row.walk_in_allowed = bool(walk_in)
    session.add(row)
    session.flush()
    if _entry(row) != before:
        log_change(session, actor, kind.log_kind, before.__dict__, _entry(row).__dict__)
    return _entry(row)


def set_entry_active(*, session: Session, actor: Actor, list_name: str, entry_id: int, active: bool) -> None:
    """Hide an entry from new choices (customers that have it keep it) or show it again; phone labels,
    which customers hold as text, are deleted instead."""
    _admin(actor)
    kind = _kind(list_name)
    row = _entry_row(session, actor, kind, entry_id)
    before = _entry(row)
    if not kind.ordered:
        if not active:
            session.delete(row)
            session.flush()
            log_change(session, actor, kind.log_kind, before.__dict__, None)
        return
    row.is_active = bool(active)
    session.add(row)
    session.flush()
    if _entry(row) != before:
        log_change(session, actor, kind.log_kind, before.__dict__, _entry(row).__dict__)


def move_entry(*, session: Session, actor: Actor, list_name: str, entry_id: int, offset: int) -> None:
    """Move an entry of an ordered list up (-1) or down (+1)."""
    _admin(actor)
    kind = _kind(list_name)
    if not kind.ordered:
        return
    row = _entry_row(session, actor, kind, entry_id)
    rows = session.execute(select(kind.model).where(kind.model.organization_id == actor.organization_id)
                           .order_by(kind.model.position, kind.model.id)).scalars().all()
    moved = move_one_step(session, rows, row, offset)
    if moved is None:
        return
    index, target = moved
    log_change(session, actor, kind.log_kind, {"name": row.name, "position": index},
               {"name": row.name, "position": target})


# --------------------------------------------------------------------------- tags


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
    _admin(actor)
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
    _admin(actor)
    row = _tag(session, actor, tag_id)
    name = _name(name, 60)
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
    _admin(actor)
    ids = list(dict.fromkeys(int(i) for i in tag_ids))
    if len(ids) < 2:
        raise ValidationFailed({"tags": FieldError("merge_needs_two")})
    tags = [_tag(session, actor, i) for i in ids]
    name = _name(name, 60)
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
    _admin(actor)
    row = _tag(session, actor, tag_id)
    affected = _tag_count(session, row.id)
    session.execute(delete(CustomerTag).where(CustomerTag.tag_id == row.id))
    session.delete(row)
    session.flush()
    log_change(session, actor, "settings.tag_deleted", {"tag": row.name, "customers": affected}, None)
    return affected


def tag_customer_count(*, session: Session, actor: Actor, tag_id: int) -> int:
    _admin(actor)
    return _tag_count(session, _tag(session, actor, tag_id).id)


# --------------------------------------------------------------------------- activity log


@dataclass(frozen=True)
class LogEntry:
    id: int
    at: datetime
    who: str
    kind: str
    before: str
    after: str


def _compact(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, default=str)[:600]


def list_activity(
    *, session: Session, actor: Actor, before_id: int = 0, limit: int = LOG_PAGE
) -> list[LogEntry]:
    """The organization's activity log, newest first, keyset paged on the id (``before_id`` = the last
    id of the previous page). Asks for ``limit`` rows; ask one more to know whether a next page exists."""
    _admin(actor)
    limit = max(1, min(int(limit), 101))
    query = (select(ActivityLog, User.name).outerjoin(User, User.id == ActivityLog.actor_id)
             .where(ActivityLog.organization_id == actor.organization_id))
    if before_id:
        query = query.where(ActivityLog.id < int(before_id))
    entries = []
    for row, who in session.execute(query.order_by(ActivityLog.id.desc()).limit(limit)).all():
        try:
            detail = json.loads(row.detail or "{}")
        except ValueError:
            detail = {}
        has_diff = isinstance(detail, dict) and ("before" in detail or "after" in detail)
        before, after = (detail.get("before"), detail.get("after")) if has_diff else (None, detail)
        entries.append(LogEntry(id=row.id, at=row.created_at, who=who or "", kind=row.kind,
                                before=_compact(before), after=_compact(after)))
    return entries


# --------------------------------------------------------------------------- campaign pace

CAMPAIGN_PACE = (MIN_PACE, MAX_PACE)  # campaign e-mails a minute: at least one, at most ten a second


def set_campaign_pace(*, session: Session, actor: Actor, per_minute: int | None) -> int:
    """How many campaign e-mails a minute the outbox may send for the organization (logged); None (not a
    whole number) is refused like a number out of range."""
    _admin(actor)
    low, high = CAMPAIGN_PACE
    if isinstance(per_minute, bool) or not isinstance(per_minute, int) or not low <= per_minute <= high:
        raise ValidationFailed({"campaign_per_minute": FieldError("campaign_pace_range", min=low, max=high)})
    org = session.get(Organization, actor.organization_id)
    before, org.campaign_per_minute = org.campaign_per_minute, per_minute
    session.add(org)
    session.flush()
    if before != per_minute:
        log_change(session, actor, "settings.campaign_pace", {"per_minute": before},
                   {"per_minute": per_minute})
    return per_minute
