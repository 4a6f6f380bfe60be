"""One customer of the actor's organization, read as the CustomerDTO the screens and the feed get."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.customers import CustomerDTO, EmailDTO, PhoneDTO
from crm_app.domain.dto import Actor
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
def _phone_forms(e164: str, region: str) -> tuple[str, str]:
    return format_phone(e164, "national", region), format_phone(e164, "international", region)


def to_dto(session: Session, org: Organization, row: Customer) -> CustomerDTO:
    """The customer as the screens show him: phones in both forms, the channel and users by name."""
    phones = _in_order(session, CustomerPhone, row.id)
    emails = _in_order(session, CustomerEmail, row.id)
    channel_name = ""
    if row.channel_id is not None:
        channel = session.get(AcquisitionChannel, row.channel_id)
        channel_name = channel.name if channel is not None else ""
    names = user_names(session, (row.created_by, row.updated_by))
    return CustomerDTO(
        id=row.id,
        version=row.version,
        client_type=row.client_type,
        display_name=row.display_name,
        first_name=row.first_name,
        last_name=row.last_name,
        legal_name=row.legal_name,
        trade_name=row.trade_name,
        contact_name=row.contact_name,
        tax_id_type=row.tax_id_type,
        tax_id=row.tax_id or "",
        tax_id_formatted=format_tax_id(org.country, row.tax_id_type, row.tax_id or ""),
        phones=tuple(
            PhoneDTO(
                id=p.id,
                raw=p.raw,
                e164=p.e164,
                national=_phone_forms(p.e164, org.country)[0],
                international=_phone_forms(p.e164, org.country)[1],
                kind=p.kind,
                label=p.label,
                whatsapp=p.whatsapp,
                viber=p.viber,
                sms=p.sms,
                primary=p.is_primary,
            )
            for p in phones
        ),
        emails=tuple(
            EmailDTO(
                id=e.id,
                address=e.address,
                accepts_email=e.accepts_email,
                consent_at=e.consent_at,
                consent_source=e.consent_source,
                primary=e.is_primary,
            )
            for e in emails
        ),
        loyalty_id=row.loyalty_id or "",
        birthday=row.birthday,
        street=row.street,
        city=row.city,
        region=row.region,
        postal_code=row.postal_code,
        address_country=row.address_country,
        latitude=row.latitude,
        longitude=row.longitude,
        credit_limit=row.credit_limit,
        discount_percent=row.discount_percent,
        channel_id=row.channel_id,
        channel_name=channel_name,
        notes=row.notes,
        tags=tag_names(session, CustomerTag.customer_id, row.id),
        is_supplier=row.is_supplier,
        is_conflictive=row.is_conflictive,
        source=row.source,
        created_at=row.created_at,
        created_by_name=names.get(row.created_by or 0, ""),
        updated_at=row.updated_at,
        updated_by_name=names.get(row.updated_by or 0, ""),
        deleted_at=row.deleted_at,
        custom=form_service.read_values(session, row.id),
    )
