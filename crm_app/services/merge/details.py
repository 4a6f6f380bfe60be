"""The survivor's details after a merge: phones (one per number, channels or'ed), e-mails (one per
address, consent at its most restrictive), tags (all of them), custom values (the chosen customer's
per field). Every detail row of a merged customer is moved to the survivor or dropped: none is left."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from crm_app.domain.merge import ContactRow, KeptContact, merge_contacts
from crm_app.models import CustomerEmail, CustomerFieldValue, CustomerPhone, CustomerTag

Plan = tuple[list[KeptContact], list[int]]
PHONE_FLAGS = ("whatsapp", "viber", "sms")


def _in_merge_order(rows: list, ordered: list[int]) -> list:
    rank = {customer_id: i for i, customer_id in enumerate(ordered)}
    return sorted(rows, key=lambda r: (rank[r.customer_id], r.position, r.id))


def contact_plan(session: Session, ordered: list[int]) -> tuple[Plan, Plan]:
    """The phones' and e-mails' plan (domain merge_contacts) for customers ``ordered``, survivor first."""
    phones = session.execute(select(CustomerPhone.__table__)
                             .where(CustomerPhone.customer_id.in_(ordered))).all()
    emails = session.execute(select(CustomerEmail.__table__)
                             .where(CustomerEmail.customer_id.in_(ordered))).all()
    phone_rows = [ContactRow(p.id, p.e164, p.is_primary, {f: bool(getattr(p, f)) for f in PHONE_FLAGS})
                  for p in _in_merge_order(phones, ordered)]
    email_rows = [ContactRow(e.id, e.address, e.is_primary, {"accepts_email": bool(e.accepts_email)},
                             e.consent_at, e.consent_source) for e in _in_merge_order(emails, ordered)]
    return merge_contacts(phone_rows), merge_contacts(email_rows, consent=True)


def merge_details(
    session: Session, survivor_id: int, ordered: list[int], custom_choice: dict[int, int]
) -> tuple[str, str]:
    """Apply the plan; returns the survivor's primary phone (E.164) and primary e-mail."""
    (phones, dropped_phones), (emails, dropped_emails) = contact_plan(session, ordered)
    _drop(session, CustomerPhone, dropped_phones)
    _drop(session, CustomerEmail, dropped_emails)
    for k in phones:
        session.execute(update(CustomerPhone).where(CustomerPhone.id == k.id).values(
            customer_id=survivor_id, position=k.position, is_primary=k.primary, **k.flags))
    for k in emails:
        session.execute(update(CustomerEmail).where(CustomerEmail.id == k.id).values(
            customer_id=survivor_id, position=k.position, is_primary=k.primary, consent_at=k.consent_at,
            consent_source=k.consent_source, **k.flags))
    _merge_tags(session, survivor_id, ordered)
    _merge_custom(session, survivor_id, ordered, custom_choice)
    primary_phone = session.execute(select(CustomerPhone.e164).where(
        CustomerPhone.customer_id == survivor_id, CustomerPhone.is_primary)).scalar() or ""
    primary_email = session.execute(select(CustomerEmail.address).where(
        CustomerEmail.customer_id == survivor_id, CustomerEmail.is_primary)).scalar() or ""
    return primary_phone, primary_email


def _drop(session: Session, model, ids: list[int]) -> None:
    if ids:
        session.execute(delete(model).where(model.id.in_(ids)))


def _merge_tags(session: Session, survivor_id: int, ordered: list[int]) -> None:
    rows = session.execute(select(CustomerTag.customer_id, CustomerTag.tag_id, CustomerTag.organization_id)
                           .where(CustomerTag.customer_id.in_(ordered))).all()
    have = {tag_id for customer_id, tag_id, _ in rows if customer_id == survivor_id}
    new = {tag_id: org_id for customer_id, tag_id, org_id in rows if tag_id not in have}
    session.execute(delete(CustomerTag).where(CustomerTag.customer_id.in_(ordered[1:])))
    if new:
        session.execute(insert(CustomerTag), [
            {"customer_id": survivor_id, "tag_id": tag_id, "organization_id": org}
            for tag_id, org in sorted(new.items())])


def _merge_custom(
    session: Session, survivor_id: int, ordered: list[int], custom_choice: dict[int, int]
) -> None:
    """Each field's values are the chosen customer's; the others' values of it are dropped."""
    for field_id, chosen in custom_choice.items():
        others = [i for i in ordered if i != chosen]
        session.execute(delete(CustomerFieldValue).where(CustomerFieldValue.field_id == field_id,
                                                         CustomerFieldValue.customer_id.in_(others)))
        if chosen != survivor_id:
            session.execute(update(CustomerFieldValue).where(CustomerFieldValue.field_id == field_id,
                                                             CustomerFieldValue.customer_id == chosen)
                            .values(customer_id=survivor_id))
    # A merged customer's value of a field nobody chose (none, with every field offered) would be left
    # on a merged customer: dropped, the snapshot keeps it.
    session.execute(delete(CustomerFieldValue).where(CustomerFieldValue.customer_id.in_(ordered[1:])))
