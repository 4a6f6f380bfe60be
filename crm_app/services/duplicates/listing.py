"""The review page's reading: groups best score first (keyset on the (organization, score, id) index),
filtered by reason, with their members (active ones only) and pairs."""

from __future__ import annotations

import json

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.duplicates import (
    REASONS,
    DuplicateGroupDTO,
    GroupMember,
    GroupPage,
    PairDTO,
    reason_names,
)
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.phones import format_phone
from crm_app.models import Customer, DuplicateGroup, DuplicatePair
from crm_app.services.admin_settings import admin_only
from crm_app.services.duplicates.reading import active
from crm_app.services.tenancy import actor_organization, org_row

MAX_LIMIT = 100


def _cursor(after: str) -> tuple[int, int] | None:
    score, _, group_id = (after or "").partition(".")
    return (int(score), int(group_id)) if score.isdigit() and group_id.isdigit() else None


def list_groups(*, session: Session, actor: Actor, reason: str = "", after: str = "",
                limit: int = 20) -> GroupPage:
    admin_only(actor)
    if reason and reason not in REASONS:
        raise ValidationFailed({"reason": FieldError("invalid_choice")})
    limit = max(1, min(MAX_LIMIT, int(limit)))
    where = [DuplicateGroup.organization_id == actor.organization_id]
    if reason:
        where.append(DuplicateGroup.reasons.op("&")(1 << REASONS.index(reason)) != 0)
    total = session.execute(select(func.count()).select_from(DuplicateGroup).where(*where)).scalar_one()
    query = select(DuplicateGroup).where(*where)
    cursor = _cursor(after)
    if cursor is not None:
        query = query.where(or_(DuplicateGroup.score < cursor[0],
                                and_(DuplicateGroup.score == cursor[0], DuplicateGroup.id < cursor[1])))
    rows = list(session.execute(query.order_by(DuplicateGroup.score.desc(), DuplicateGroup.id.desc())
                                .limit(limit + 1)).scalars())
    more, rows = len(rows) > limit, rows[:limit]
    groups = tuple(g for g in _to_dtos(session, actor, rows) if len(g.members) >= 2)
    next_cursor = f"{rows[-1].score}.{rows[-1].id}" if more and rows else ""
    return GroupPage(groups=groups, next_cursor=next_cursor, total=total)


def get_group(*, session: Session, actor: Actor, group_id: int) -> DuplicateGroupDTO:
    admin_only(actor)
    row = org_row(session, DuplicateGroup, group_id, actor, "duplicate_group")
    return _to_dtos(session, actor, [row])[0]


def _to_dtos(session: Session, actor: Actor, rows: list[DuplicateGroup]) -> list[DuplicateGroupDTO]:
    """The groups with their active members and the pairs between them: three queries for a page."""
    if not rows:
        return []
    org_id = actor.organization_id
    country = actor_organization(session, actor).country
    ids = sorted({cid for g in rows for cid in json.loads(g.customer_ids)})
    members: dict[int, GroupMember] = {}
    for start in range(0, len(ids), 900):
        query = active(select(Customer.id, Customer.display_name, Customer.client_type,
                              Customer.primary_phone_e164, Customer.primary_email, Customer.tax_id,
                              Customer.created_at), org_id).where(Customer.id.in_(ids[start:start + 900]))
        for r in session.execute(query):
            phone = format_phone(r.primary_phone_e164, "national", country) if r.primary_phone_e164 else ""
            members[r.id] = GroupMember(r.id, r.display_name, r.client_type, phone, r.primary_email or "",
                                        r.tax_id or "", r.created_at)
    pairs: dict[int, list[PairDTO]] = {}
    query = select(DuplicatePair).where(DuplicatePair.organization_id == org_id,
                                        DuplicatePair.group_key.in_([g.group_key for g in rows]))
    for p in session.execute(query).scalars():
        if p.customer_a_id in members and p.customer_b_id in members:
            pairs.setdefault(p.group_key, []).append(
                PairDTO(p.customer_a_id, p.customer_b_id, p.score, reason_names(p.reasons)))
    dtos = []
    for g in rows:
        mine = sorted(pairs.get(g.group_key, []), key=lambda p: (-p.score, p.customer_a_id, p.customer_b_id))
        shown = tuple(members[c] for c in json.loads(g.customer_ids) if c in members)
        dtos.append(DuplicateGroupDTO(id=g.id, score=g.score, reasons=reason_names(g.reasons),
                                      members=shown, pairs=tuple(mine)))
    return dtos
