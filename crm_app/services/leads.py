"""Leads: create, edit, change status, delete (admins, soft), read one, list a page.

Like the other record services: every function takes the session and the actor, checks his role and
organization, and leaves the commit to the caller's ``session_scope``. Both staff roles create and
edit leads; deleting one is for admins. The channel and owner named in a save are checked against the
actor's organization: another organization's id is refused next to its field exactly like one that
does not exist. An edit or a status change is a compare-and-set on the version it was made on: a stale
one is refused, never overwritten. Each write records its event in the lead's history (``lead_id``
set; ``customer_id`` too once the lead has a customer) in the same transaction. Converting a lead is
``services/lead_conversion``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlmodel import Session

from crm_app.domain.documents import DocumentQuery
from crm_app.domain.dto import Actor, fields_of
from crm_app.domain.errors import Conflict, FieldError, Forbidden, ValidationFailed
from crm_app.domain.leads import (
    MANUAL_STATUSES,
    CleanLead,
    LeadDTO,
    LeadInput,
    LeadPage,
    LeadRow,
    clean_lead,
    clean_lost_reason,
)
from crm_app.domain.search_text import customer_search_text, normalize
from crm_app.models import AcquisitionChannel, Customer, Lead, Organization, User
from crm_app.models.audit import created_by
from crm_app.services import feed
from crm_app.services.document_pages import document_page
from crm_app.services.tenancy import active_org_row, actor_organization, org_ref, staff_organization
from crm_app.services.versioned import set_deleted, stale_conflict, user_names, versioned_update

STALE = "lead_stale_version"

# --------------------------------------------------------------------------- guards


def active_lead(session: Session, actor: Actor, lead_id: int) -> Lead:
    staff_organization(session, actor)
    return active_org_row(session, Lead, lead_id, actor, "lead")


def _check_refs(
    session: Session, org_id: int, data: LeadInput, current: Lead | None, errors: dict[str, FieldError]
) -> None:
    """The channel and owner named in ``data``, each refused next to its field unless the organization
    may use it now (a channel disabled or an owner deactivated since stays on the leads that have it)."""
    if data.channel_id is not None:
        channel = org_ref(session, AcquisitionChannel, data.channel_id, org_id)
        kept = current is not None and current.channel_id == data.channel_id
        if channel is None or not (channel.is_active or kept):
            errors["channel_id"] = FieldError("channel_unknown")
    if data.owner_id is not None:
        owner = org_ref(session, User, data.owner_id, org_id)
        kept = current is not None and current.owner_id == data.owner_id
        if owner is None or not (owner.is_active or kept):
            errors["owner_id"] = FieldError("lead_owner_unknown")


def _check_customer(session: Session, org_id: int, data: LeadInput, errors: dict[str, FieldError]) -> None:
    """A lead about an existing customer (a new opportunity, started from his profile) names one of the
    organization's active customers."""
    if data.customer_id is None:
        return
    customer = org_ref(session, Customer, data.customer_id, org_id)
    if customer is None or customer.deleted_at is not None:
        errors["customer_id"] = FieldError("lead_customer_unknown")


def _validated(
    session: Session, org: Organization, data: LeadInput, current: Lead | None
) -> CleanLead:
    errors: dict[str, FieldError] = {}
    clean = clean_lead(data, org.country, errors)
    _check_refs(session, org.id, data, current, errors)
    if current is None:
        _check_customer(session, org.id, data, errors)
    if errors:
        raise ValidationFailed(errors)
    return clean


# --------------------------------------------------------------------------- helpers


def _values(data: LeadInput, clean: CleanLead, owner_id: int | None, country: str) -> dict[str, Any]:
    return {
        "name": clean.name, "phone_raw": clean.phone_raw, "phone_e164": clean.phone_e164,
        "email": clean.email, "channel_id": data.channel_id, "owner_id": owner_id, "notes": clean.notes,
        "next_step_on": clean.next_step_on,
        "search_text": customer_search_text(names=[clean.name], emails=[clean.email],
                                            phones_e164=[clean.phone_e164] if clean.phone_e164 else [],
                                            region=country),
    }


def to_dto(session: Session, row: Lead) -> LeadDTO:
    channel = session.get(AcquisitionChannel, row.channel_id) if row.channel_id else None
    customer = session.get(Customer, row.customer_id) if row.customer_id else None
    return fields_of(
        LeadDTO, row,
        channel_name=channel.name if channel else "",
        owner_name=user_names(session, (row.owner_id,)).get(row.owner_id or 0, ""),
        customer_name=customer.display_name if customer else "",
    )


def record(session: Session, actor: Actor, row: Lead, kind: str, **data: Any) -> None:
    """A lead event in its history, and in its customer's feed once it has one."""
    feed.record_event(
        session, organization_id=row.organization_id, customer_id=row.customer_id, actor_id=actor.user_id,
        kind=kind, data={"name": row.name, **data}, ref_id=row.id, lead_id=row.id,
    )


def compare_and_set(session: Session, actor: Actor, row: Lead, version: int, values: dict[str, Any]) -> None:
    """Of two saves made on the same version exactly one wins; the other is told who saved between."""
    if row.version != version:
        raise stale_conflict(session, row, STALE)
    changed = session.execute(versioned_update(Lead, row.id, version, actor, values)).rowcount
    session.expire(row)
    if changed != 1:
        raise stale_conflict(session, row, STALE)
    session.refresh(row)


# --------------------------------------------------------------------------- writes


def create_lead(*, session: Session, actor: Actor, data: LeadInput) -> LeadDTO:
    """A new lead (status "new"), owned by ``data.owner_id`` or else by its creator; about an existing
    customer when ``data.customer_id`` names one. Raises ValidationFailed."""
    org = staff_organization(session, actor)
    clean = _validated(session, org, data, None)
    row = Lead(organization_id=org.id, status="new", customer_id=data.customer_id,
               **_values(data, clean, data.owner_id or actor.user_id, org.country),
               **created_by(actor.user_id))
    session.add(row)
    session.flush()
    record(session, actor, row, "lead_created")
    return to_dto(session, row)


def update_lead(*, session: Session, actor: Actor, lead_id: int, version: int, data: LeadInput) -> LeadDTO:
    """Save an edit made on ``version`` (no owner named keeps the lead's). Raises NotFound,
    ValidationFailed, or Conflict(STALE, by=<who>)."""
    row = active_lead(session, actor, lead_id)
    if row.version != version:
        raise stale_conflict(session, row, STALE)
    org = actor_organization(session, actor)
    clean = _validated(session, org, data, row)
    values = _values(data, clean, data.owner_id or row.owner_id, org.country)
    compare_and_set(session, actor, row, version, values)
    record(session, actor, row, "lead_updated")
    return to_dto(session, row)


def change_status(
    *, session: Session, actor: Actor, lead_id: int, version: int, status: str, lost_reason: str = ""
) -> LeadDTO:
    """Move the lead to ``status``: new, contacted, qualified, or lost with a reason. "won" is the
    conversion's (services/lead_conversion), except for a lead about an existing customer, which is
    simply won; a won lead stays won. Raises NotFound, ValidationFailed, Conflict("lead_already_won")
    or Conflict(STALE)."""
    row = active_lead(session, actor, lead_id)
    if status not in statuses_for(row.customer_id):
        raise ValidationFailed({"status": FieldError("lead_status_invalid")})
    if row.version != version:
        raise stale_conflict(session, row, STALE)
    if row.status == "won":
        raise Conflict("lead_already_won")
    try:
        reason = clean_lost_reason(status, lost_reason)
    except FieldError as exc:
        raise ValidationFailed({"lost_reason": exc}) from None
    before = row.status
    if status == before and reason == row.lost_reason:
        return to_dto(session, row)
    compare_and_set(session, actor, row, version, {"status": status, "lost_reason": reason})
    record(session, actor, row, "lead_status_changed", before=before, after=status)
    return to_dto(session, row)


def statuses_for(customer_id: int | None) -> tuple[str, ...]:
    """The statuses a user may set: "won" too once the lead has its customer."""
    return (*MANUAL_STATUSES, "won") if customer_id else MANUAL_STATUSES


def delete_lead(*, session: Session, actor: Actor, lead_id: int) -> str:
    """Delete the lead (admins; soft: its history stays). Returns its name."""
    if not actor.is_admin:
        raise Forbidden()
    row = active_lead(session, actor, lead_id)
    set_deleted(session, Lead, row, actor, True)
    record(session, actor, row, "lead_deleted")
    return row.name


# --------------------------------------------------------------------------- reads


def get_lead(*, session: Session, actor: Actor, lead_id: int) -> LeadDTO:
    return to_dto(session, active_lead(session, actor, lead_id))


def _search_condition(text: str) -> ColumnElement | None:
    """Every word typed found in the lead's search text (name without accents, e-mail, phone digits in
    national and international form): "maria 0991" finds María Vera, 099 123 4567. Leads have no
    search index: the page walks the organization's leads newest first and stops at a page of matches,
    which is quick for the few thousand leads a business has."""
    words = normalize(text).split()
    if not words:
        return None
    return and_(*[Lead.search_text.contains(word, autoescape=True) for word in words[:8]])


def list_leads(*, session: Session, actor: Actor, query: DocumentQuery) -> LeadPage:
    """One keyset page of the organization's leads, newest first (services/document_pages), filtered by
    status, source (``query.type_id``: the list's ``type`` parameter), owner, customer and creation
    dates, searched by name, e-mail or phone digits; the names it shows are read in one more query.
    Raises ValidationFailed for a status that is not one, a bad date or a cursor that is not ours."""
    staff_organization(session, actor)
    if query.status and query.status not in (*MANUAL_STATUSES, "won"):
        raise ValidationFailed({"status": FieldError("lead_status_invalid")})
    # The search is the leads' own: document_page's number/client search does not apply to them.
    condition = _search_condition(query.search)
    rows, next_cursor = document_page(
        session, actor, Lead, query,
        filters={"type_id": Lead.channel_id, "owner_id": Lead.owner_id},
        text_condition=condition,
    )
    names = {
        r.id: r
        for r in session.execute(
            select(Lead.id, AcquisitionChannel.name.label("channel"), User.name.label("owner"))
            .outerjoin(AcquisitionChannel, AcquisitionChannel.id == Lead.channel_id)
            .outerjoin(User, User.id == Lead.owner_id)
            .where(Lead.id.in_([r.id for r in rows]))
        ).all()
    } if rows else {}
    return LeadPage(
        rows=tuple(
            LeadRow(
                id=r.id, name=r.name, phone_e164=r.phone_e164, email=r.email, status=r.status,
                channel_name=names[r.id].channel or "", owner_name=names[r.id].owner or "",
                next_step_on=r.next_step_on, customer_id=r.customer_id, created_at=r.created_at,
            )
            for r in rows
        ),
        next_cursor=next_cursor,
    )
