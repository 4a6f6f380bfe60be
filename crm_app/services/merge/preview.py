"""The merge's preview: the customers side by side, field by field, each field's default choice, and
what the survivor ends up with (phones, e-mails, tags, flags) and gets moved to him."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain import local_time
from crm_app.domain.custom_values import display_value
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.form_config import CustomFieldDef
from crm_app.domain.locale_format import format_money, format_percent
from crm_app.domain.merge import (
    FIELDS,
    LABEL_KEYS,
    Candidate,
    MergeCustomer,
    MergePreview,
    custom_field,
    field_choices,
    suggested_survivor,
)
from crm_app.domain.phones import format_phone
from crm_app.domain.tax_ids import format_tax_id
from crm_app.i18n import t
from crm_app.models import (
    AcquisitionChannel,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
    Organization,
    Tag,
)
from crm_app.services import form_config as form_service
from crm_app.services.admin_settings import admin_only
from crm_app.services.merge import access, moves
from crm_app.services.merge.details import contact_plan  # the merge applies the same plan
from crm_app.services.tenancy import actor_organization


def _shown(org: Organization, c: Customer, channels: dict[int, str], lang: str) -> dict[str, str]:
    """Each scalar field of ``c`` as the preview shows it ("" = empty)."""
    address = ", ".join(x for x in (c.street, c.city, c.region, c.postal_code, c.address_country) if x)
    if c.latitude is not None and c.longitude is not None:
        address = f"{address} ({c.latitude}, {c.longitude})".strip()
    return {
        "client_type": t(f"client_type_{c.client_type}", lang),
        "first_name": c.first_name, "last_name": c.last_name, "legal_name": c.legal_name,
        "trade_name": c.trade_name, "contact_name": c.contact_name,
        "tax_id": format_tax_id(org.country, c.tax_id_type, c.tax_id or "") if c.tax_id else "",
        "loyalty_id": c.loyalty_id or "",
        "birthday": local_time.local_date(c.birthday, lang) if c.birthday else "",
        "address": address,
        "credit_limit": "" if c.credit_limit is None
        else format_money(c.credit_limit, org.currency, lang, org.country),
        "discount_percent": format_percent(c.discount_percent, lang, org.country)
        if c.discount_percent else "",
        "channel_id": channels.get(c.channel_id or 0, ""),
        "notes": c.notes,
    }


def custom_defs(session: Session, org_id: int) -> dict[int, CustomFieldDef]:
    """The organization's custom fields (every client type's, removed ones too), by id, in form order."""
    defs: dict[int, CustomFieldDef] = {}
    for client_type in CLIENT_TYPES:
        for field in form_service.load_form_config(session, org_id, client_type).custom:
            defs[field.id] = field
    return defs


def candidates(
    session: Session, org: Organization, customers: list[Customer], lang: str
) -> tuple[list[Candidate], dict[str, str]]:
    """The customers as the choice sees them, and every field's label in the form's order."""
    channel_ids = {c.channel_id for c in customers if c.channel_id}
    channels = dict(session.execute(select(AcquisitionChannel.id, AcquisitionChannel.name)
                                    .where(AcquisitionChannel.id.in_(channel_ids or {0}))).all())
    defs = custom_defs(session, org.id)
    stored = {c.id: dict(form_service.read_values(session, c.id)) for c in customers}
    labels = {name: t(LABEL_KEYS[name], lang) for name in FIELDS}
    used = {field_id for values in stored.values() for field_id in values}
    for field_id, field in defs.items():
        if field_id in used:
            labels[custom_field(field_id)] = field.label(lang)
    result = []
    for c in customers:
        values = _shown(org, c, channels, lang)
        for field_id, rows in stored[c.id].items():
            if field_id in defs:
                text = display_value(defs[field_id], rows, lang)
                values[custom_field(field_id)] = t("yes" if text == "true" else "no", lang) \
                    if defs[field_id].kind == "boolean" and text else text
        result.append(Candidate(id=c.id, created_at=c.created_at, updated_at=c.updated_at, values=values))
    return result, labels


def _contacts(session: Session, org: Organization, ordered: list[int], lang: str) -> tuple[tuple, tuple]:
    """The survivor's phones and e-mails after the merge, as shown (see domain merge_contacts)."""
    phones, emails = contact_plan(session, ordered)
    by_id = {p.id: p for p in session.execute(
        select(CustomerPhone).where(CustomerPhone.customer_id.in_(ordered))).scalars()}
    shown_phones = tuple(format_phone(by_id[k.id].e164, "international", org.country) for k in phones[0])
    addresses = dict(session.execute(select(CustomerEmail.id, CustomerEmail.address)
                                     .where(CustomerEmail.customer_id.in_(ordered))).all())
    shown_emails = tuple(
        addresses[k.id] if k.flags.get("accepts_email")
        else t("merge_email_no_consent", lang, address=addresses[k.id])
        for k in emails[0]
    )
    return shown_phones, shown_emails


def build_preview(
    *, session: Session, actor: Actor, customer_ids: list[int], survivor_id: int | None = None,
    lang: str = "es",
) -> MergePreview:
    admin_only(actor)
    org = actor_organization(session, actor)
    ids = access.merge_ids(customer_ids)
    customers = access.load_customers(session, actor, ids)
    found, labels = candidates(session, org, customers, lang)
    if survivor_id is None:
        survivor_id = suggested_survivor(found)
    elif survivor_id not in ids:
        raise ValidationFailed({"survivor_id": FieldError("merge_survivor_unknown")})
    ordered = [survivor_id, *(i for i in ids if i != survivor_id)]
    counted = moves.counts(session, list(ids), ("phones", "emails", *moves.COUNTED))
    merged_counts = moves.counts(session, ordered[1:], (*moves.RECORDS, moves.MEMBERSHIPS))
    moved: dict[str, int] = {}
    for per in merged_counts.values():
        for key, count in per.items():
            moved[key] = moved.get(key, 0) + count
    phones, emails = _contacts(session, org, ordered, lang)
    tags = session.execute(select(Tag.name).join(CustomerTag, CustomerTag.tag_id == Tag.id)
                           .where(CustomerTag.customer_id.in_(ids)).distinct().order_by(Tag.name)).scalars()
    return MergePreview(
        customers=tuple(
            MergeCustomer(id=c.id, display_name=c.display_name, client_type=c.client_type,
                          created_at=c.created_at, updated_at=c.updated_at, version=c.version,
                          counts=counted[c.id])
            for c in customers
        ),
        survivor_id=survivor_id,
        fields=field_choices(found, labels),
        phones=phones,
        emails=emails,
        tags=tuple(tags),
        conflictive=any(c.is_conflictive for c in customers),
        moves=moved,
    )

