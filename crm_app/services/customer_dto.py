"""One customer of the actor's organization, read as the CustomerDTO the screens and the feed get."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.customers import CustomerDTO, EmailDTO, PhoneDTO
from crm_app.domain.dto import Actor, fields_of
from crm_app.domain.errors import NotFound
from crm_app.domain.phones import format_phone
from crm_app.domain.tax_ids import format_tax_id
from crm_app.models import (
    AcquisitionChannel,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
    Organization,
)
from crm_app.services import form_config as form_service
from crm_app.services.tags import tag_names
from crm_app.services.tenancy import valid_id
from crm_app.services.versioned import user_names


def customer_row(session: Session, actor: Actor, customer_id: int, *, lock: bool = False) -> Customer:
    """The actor's organization's customer (trashed ones included), else NotFound("customer")."""
    if not valid_id(customer_id):
        raise NotFound("customer")
    query = select(Customer).where(
        Customer.id == customer_id, Customer.organization_id == actor.organization_id
    )
    if lock:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound("customer")
    return row


def _in_order(session: Session, model: type[CustomerPhone] | type[CustomerEmail], customer_id: int) -> list:
    """The customer's phones or e-mails, in his order."""
    query = select(model).where(model.customer_id == customer_id).order_by(model.position)
    return list(session.execute(query).scalars())


@lru_cache(maxsize=8192)
def _phone_forms(e164: str, region: str) -> dict[str, str]:
    """The number as the screens show it (read only: unpacked into each PhoneDTO)."""
    return {
        "national": format_phone(e164, "national", region),
        "international": format_phone(e164, "international", region),
    }


def to_dto(session: Session, org: Organization, row: Customer) -> CustomerDTO:
    """The customer as the screens show him: phones in both forms, the channel and users by name."""
    phones = _in_order(session, CustomerPhone, row.id)
    emails = _in_order(session, CustomerEmail, row.id)
    channel_name = ""
    if row.channel_id is not None:
        channel = session.get(AcquisitionChannel, row.channel_id)
        channel_name = channel.name if channel is not None else ""
    names = user_names(session, (row.created_by, row.updated_by))
    return fields_of(
        CustomerDTO,
        row,
        tax_id=row.tax_id or "",
        tax_id_formatted=format_tax_id(org.country, row.tax_id_type, row.tax_id or ""),
        phones=tuple(
            fields_of(PhoneDTO, p, primary=p.is_primary, **_phone_forms(p.e164, org.country)) for p in phones
        ),
        emails=tuple(fields_of(EmailDTO, e, primary=e.is_primary) for e in emails),
        loyalty_id=row.loyalty_id or "",
        channel_name=channel_name,
        tags=tag_names(session, CustomerTag.customer_id, row.id),
        created_by_name=names.get(row.created_by or 0, ""),
        updated_by_name=names.get(row.updated_by or 0, ""),
        custom=form_service.read_values(session, row.id),
    )
