"""Duplicate customers (issue 16): the scan (a background job, scan.py) finds candidate pairs by
blocking and scoring (compare.py, domain/duplicates.py), groups them (store.py), the review page lists
them (listing.py); a dismissed pair is never proposed again; a merge or the trash forgets customers.

CONTRACT: the public functions below (names and signatures) are what the review page and the merge
call."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.duplicates import PairDTO, ordered, reason_names
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.models import Customer, DuplicateDismissal, DuplicatePair
from crm_app.services.admin_settings import admin_only
from crm_app.services.duplicates import reading, store
from crm_app.services.duplicates.compare import pairs_around
from crm_app.services.duplicates.listing import get_group, list_groups
from crm_app.services.duplicates.scan import SCAN_JOB, cancel_scan, scan_status, start_scan
from crm_app.services.tenancy import active_org_row, org_row, staff_organization

__all__ = [
    "SCAN_JOB",
    "cancel_scan",
    "candidates_for",
    "dismiss_pair",
    "forget_customers",
    "get_group",
    "list_groups",
    "scan_status",
    "start_scan",
]


def dismiss_pair(*, session: Session, actor: Actor, customer_a_id: int, customer_b_id: int) -> None:
    """"Not duplicates" (admins): remembered for the pair, which leaves its group (a group left with no
    pair disappears)."""
    admin_only(actor)
    for customer_id in (customer_a_id, customer_b_id):
        org_row(session, Customer, customer_id, actor, "customer")
    if customer_a_id == customer_b_id:
        raise ValidationFailed({"customer_b_id": FieldError("invalid_choice")})
    org_id = actor.organization_id
    a, b = ordered(customer_a_id, customer_b_id)
    exists = session.execute(select(DuplicateDismissal.id).where(
        DuplicateDismissal.organization_id == org_id, DuplicateDismissal.customer_a_id == a,
        DuplicateDismissal.customer_b_id == b)).first()
    if exists is None:
        session.add(DuplicateDismissal(organization_id=org_id, customer_a_id=a, customer_b_id=b,
                                       dismissed_by=actor.user_id))
    pair = session.execute(select(DuplicatePair).where(
        DuplicatePair.organization_id == org_id, DuplicatePair.customer_a_id == a,
        DuplicatePair.customer_b_id == b)).scalars().first()
    if pair is not None:
        key = pair.group_key
        session.delete(pair)
        session.flush()
        store.regroup(session, org_id, {key})
    session.flush()


def forget_customers(session: Session, organization_id: int, customer_ids: list[int]) -> None:
    """Customers merged away or trashed leave every pair and group (in the caller's transaction)."""
    store.forget(session, organization_id, customer_ids)
    session.flush()


def candidates_for(*, session: Session, actor: Actor, customer_id: int) -> list[PairDTO]:
    """Who this customer may be a duplicate of, now (any staff): the scan's own scoring, around him;
    dismissed pairs left out; best score first."""
    staff_organization(session, actor)
    active_org_row(session, Customer, customer_id, actor, "customer")
    org_id = actor.organization_id
    profiles = reading.profiles_of(session, org_id, [customer_id])
    pairs = pairs_around(session, org_id, profiles,
                         lambda candidates: store.dismissed_among(session, org_id, candidates))
    return sorted((PairDTO(a, b, score, reason_names(bits)) for a, b, score, bits in pairs),
                  key=lambda p: (-p.score, p.customer_a_id, p.customer_b_id))
