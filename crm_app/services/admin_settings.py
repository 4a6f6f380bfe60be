"""Admin settings: the organization, duplicate rules, editable lists (acquisition channels, phone type
labels, order types), the campaign pace and the admin activity log (tags: services/tag_admin.py).

Every function is admin-only, one transaction, and records what changed (before -> after) in the
activity log; the log itself is read one keyset page at a time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from crm_app.domain.campaigns import MAX_PACE, MIN_PACE
from crm_app.domain.countries import default_language
from crm_app.domain.dto import Actor, OrganizationDTO
from crm_app.domain.errors import FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.search_text import normalize
from crm_app.domain.text import clean_line
from crm_app.models import (
    AcquisitionChannel,
    ActivityLog,
    OrderType,
    Organization,
    PhoneLabel,
    User,
)
from crm_app.services.customer_duplicates import DuplicatePolicy, get_duplicate_policy
from crm_app.services.form_config import log_change
from crm_app.services.ordering import move_one_step
from crm_app.services.organizations import OrganizationInput, to_dto, validate_organization
from crm_app.services.tenancy import valid_id

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOG_PAGE = 25


def admin_only(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden()


def clean_name(raw: str, limit: int, field: str = "name") -> str:
    name = clean_line(raw)
    if not name:
        raise ValidationFailed({field: FieldError("required")})
    if len(name) > limit:
        raise ValidationFailed({field: FieldError("too_long", max=limit)})
    return name


# --------------------------------------------------------------------------- organization


def update_organization(*, session: Session, actor: Actor, data: OrganizationInput) -> OrganizationDTO:
    """Name, country (phone region, tax-ID scheme), currency, language and time zone."""
    admin_only(actor)
    data = OrganizationInput(name=clean_line(data.name), country=data.country, currency=data.currency.upper(),
                             language=data.language, timezone=data.timezone)
    errors = validate_organization(data)
    if errors:
        raise ValidationFailed(errors)
    org = session.get(Organization, actor.organization_id)
    before = to_dto(org)
    language = data.language
    if data.country != org.country and language == org.language == default_language(org.country):
        # A move to Brazil brings Portuguese (and back), unless the admin had picked another language.
        language = default_language(data.country)
    org.name, org.country, org.currency = data.name, data.country, data.currency
    org.language, org.timezone = language, data.timezone
    session.add(org)
    session.flush()
    after = to_dto(org)
    if after != before:
        log_change(session, actor, "settings.organization", before.__dict__, after.__dict__)
    return after


def set_duplicate_rules(*, session: Session, actor: Actor, policy: DuplicatePolicy) -> DuplicatePolicy:
    """Turn each duplicate rule (phone, e-mail, tax ID) on or off."""
    admin_only(actor)
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
    admin_only(actor)
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
    admin_only(actor)
    kind = _kind(list_name)
    name = clean_name(name, kind.max_name)
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
    admin_only(actor)
    kind = _kind(list_name)
    row = _entry_row(session, actor, kind, entry_id)
    before = _entry(row)
    row.name = clean_name(name, kind.max_name)
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
    admin_only(actor)
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
    admin_only(actor)
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
    admin_only(actor)
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
    admin_only(actor)
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
