"""A lead becomes a customer: converted into a new one, or linked to one who already is.

``convert_lead`` creates the customer through ``services/customers.create_customer``, the staff form's
own path (the organization's form for the client type, its checks and its duplicate rules), with
source "lead", and marks the lead won with the customer's id, in the caller's one transaction: a
refused customer (a required field missing, a phone another customer has) leaves the lead untouched
and writes nothing. ``link_lead`` is the way out of a duplicate: the lead is won for the customer who
already holds that phone or e-mail. Either records ``lead_converted`` with both the customer and the
lead set, so it shows in the customer's feed and in the lead's history.
"""

from __future__ import annotations

import dataclasses

from sqlmodel import Session

from crm_app.domain.customers import CustomerDTO, CustomerInput
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from crm_app.domain.leads import LeadDTO
from crm_app.models import Customer, Lead
from crm_app.models.types import utcnow
from crm_app.services import customers as customer_service
from crm_app.services.leads import STALE, active_lead, compare_and_set, record, to_dto
from crm_app.services.tenancy import active_org_row
from crm_app.services.versioned import stale_conflict


def _open_lead(session: Session, actor: Actor, lead_id: int, version: int) -> Lead:
    """The lead, still without a customer and at ``version``. Raises NotFound, Conflict."""
    row = active_lead(session, actor, lead_id)
    if row.customer_id is not None:
        raise Conflict("lead_already_converted")
    if row.version != version:
        raise stale_conflict(session, row, STALE)
    return row


def _won(session: Session, actor: Actor, row: Lead, version: int, customer_id: int, name: str,
         linked: bool) -> LeadDTO:
    compare_and_set(session, actor, row, version, {
        "status": "won", "lost_reason": "", "customer_id": customer_id, "converted_at": utcnow(),
    })
    record(session, actor, row, "lead_converted", customer=name, linked=linked)
    return to_dto(session, row)


def convert_lead(
    *, session: Session, actor: Actor, lead_id: int, version: int, data: CustomerInput
) -> tuple[LeadDTO, CustomerDTO]:
    """Create the customer ``data`` describes (the lead's fields as the user confirmed them) and mark
    the lead won for him. Raises NotFound, ValidationFailed (the customer form's errors, keyed as its
    fields: a duplicate's params name the customer who has the value), Conflict(STALE) or
    Conflict("lead_already_converted")."""
    row = _open_lead(session, actor, lead_id, version)
    customer = customer_service.create_customer(
        session=session, actor=actor, data=dataclasses.replace(data, source="lead")
    )
    return _won(session, actor, row, version, customer.id, customer.display_name, linked=False), customer


def link_lead(*, session: Session, actor: Actor, lead_id: int, version: int, customer_id: int) -> LeadDTO:
    """Mark the lead won for the existing customer ``customer_id`` instead of creating one. Raises
    NotFound (the lead), ValidationFailed (customer_id: not one of the organization's active
    customers), Conflict(STALE) or Conflict("lead_already_converted")."""
    row = _open_lead(session, actor, lead_id, version)
    try:
        customer = active_org_row(session, Customer, customer_id, actor, "customer")
    except NotFound:
        raise ValidationFailed({"customer_id": FieldError("lead_customer_unknown")}) from None
    return _won(session, actor, row, version, customer.id, customer.display_name, linked=True)
