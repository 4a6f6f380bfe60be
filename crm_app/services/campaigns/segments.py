"""Saved segments: named views of the customer list (its filters, as its address spells them), for
campaigns. Stored normalized (read the way the list reads them), so one segment is one selection."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.campaigns import SegmentDTO
from crm_app.domain.customer_list_params import read_filters
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.text import clean_line
from crm_app.models import Campaign, CustomerSegment
from crm_app.services.campaigns.records import require_admin, segment_row

MAX_SEGMENTS = 200
MAX_NAME = 100


def normalize_query(query: str) -> str:
    """The list's address query as the list reads it: unknown or unreadable parameters dropped, the
    page cursor and the trash left out (a campaign never goes to trashed customers)."""
    params = dict(parse_qsl(query or "", keep_blank_values=False))
    read = read_filters(params).params()
    read.pop("trash", None)
    read.pop("sort", None)
    return urlencode({k: v for k, v in read.items() if v})


def _dto(segment: CustomerSegment) -> SegmentDTO:
    return SegmentDTO(id=segment.id, name=segment.name, query=segment.query)


def list_segments(*, session: Session, actor: Actor) -> list[SegmentDTO]:
    require_admin(actor)
    rows = session.execute(
        select(CustomerSegment).where(CustomerSegment.organization_id == actor.organization_id)
        .order_by(CustomerSegment.name).limit(MAX_SEGMENTS)
    ).scalars()
    return [_dto(r) for r in rows]


def save_segment(*, session: Session, actor: Actor, name: str, query: str) -> SegmentDTO:
    """Save the list's filters under ``name`` (unique in the organization)."""
    require_admin(actor)
    clean = clean_line(name or "")
    if not clean:
        raise ValidationFailed({"name": FieldError("required")})
    if len(clean) > MAX_NAME:
        raise ValidationFailed({"name": FieldError("too_long", max=MAX_NAME)})
    taken = session.execute(select(CustomerSegment.id).where(
        CustomerSegment.organization_id == actor.organization_id, CustomerSegment.name == clean)).first()
    if taken:
        raise ValidationFailed({"name": FieldError("camp_segment_name_taken", name=clean)})
    segment = CustomerSegment(organization_id=actor.organization_id, name=clean,
                              query=normalize_query(query), created_by=actor.user_id)
    session.add(segment)
    session.flush()
    return _dto(segment)


def delete_segment(*, session: Session, actor: Actor, segment_id: int) -> None:
    """Campaigns that used it keep their own copy of its filters (Campaign.query)."""
    segment = segment_row(session, actor, segment_id)
    for campaign in session.execute(select(Campaign).where(Campaign.segment_id == segment.id)).scalars():
        campaign.segment_id = None
    session.flush()
    session.delete(segment)
