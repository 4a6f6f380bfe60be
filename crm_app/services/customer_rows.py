"""A customer's rows from his cleaned input: the customer columns, his phones, e-mails and tags.

The column lists are the one definition of a customer row: the services write it through
:func:`row_values`, the demo seed (services/seed.py) writes the same columns straight in SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session

from crm_app.domain.customer_validation import CleanCustomer
from crm_app.domain.dto import values_of
from crm_app.domain.search_text import customer_search_text
from crm_app.models import CustomerEmail, CustomerPhone, CustomerTag, Organization
from crm_app.models.types import utcnow
from crm_app.services.tags import resolve_tags

# The customer columns copied from the cleaned input (CleanCustomer's fields of the same names). An edit
# rewrites them all; ``source`` is set once, when the customer is created.
# fmt: off
INPUT_COLUMNS = (
    "client_type", "first_name", "last_name", "legal_name", "trade_name", "contact_name",  # who he is
    "display_name", "sort_name",  # derived from those names
    "tax_id_type", "tax_id", "loyalty_id", "birthday",
    "street", "city", "region", "postal_code", "address_country", "latitude", "longitude",  # his address
    "credit_limit", "discount_percent", "channel_id", "notes", "is_supplier", "is_conflictive",
)
# fmt: on
# The columns derived from that input: the search index's text, the list's phone and e-mail.
DERIVED_COLUMNS = ("search_text", "primary_phone_e164", "primary_email")


def search_text(org: Organization, clean: CleanCustomer) -> str:
    return customer_search_text(
        names=(clean.first_name, clean.last_name, clean.legal_name, clean.trade_name, clean.contact_name),
        tax_id=clean.tax_id or "",
        loyalty_id=clean.loyalty_id or "",
        emails=[e.address for e in clean.emails],
        phones_e164=[p.e164 for p in clean.phones],
        region=org.country,
    )


def row_values(org: Organization, clean: CleanCustomer) -> dict[str, Any]:
    """The customer row's INPUT_COLUMNS and DERIVED_COLUMNS, by name."""
    values = {name: getattr(clean, name) for name in INPUT_COLUMNS}
    values["search_text"] = search_text(org, clean)
    values["primary_phone_e164"] = next((p.e164 for p in clean.phones if p.primary), "")
    values["primary_email"] = next((e.address for e in clean.emails if e.primary), "")
    return values


def write_children(
    session: Session,
    org: Organization,
    customer_id: int,
    clean: CleanCustomer,
    *,
    previous_emails: dict[str, CustomerEmail] | None = None,
) -> None:
    """Add the customer's phone, e-mail and tag rows. An address that already had the customer's consent
    (``previous_emails``, by address) keeps its date and source; a new consent is dated now, its source
    is the input's."""
    now, source = utcnow(), clean.source
    previous_emails = previous_emails or {}
    for position, phone in enumerate(clean.phones):
        session.add(
            CustomerPhone(
                organization_id=org.id,
                customer_id=customer_id,
                is_primary=phone.primary,
                position=position,
                **values_of(phone, without=("primary",)),
            )
        )
    for position, email in enumerate(clean.emails):
        before = previous_emails.get(email.address)
        if not email.accepts_email:
            consent_at, consent_source = None, ""
        elif before is not None and before.accepts_email and before.consent_at is not None:
            consent_at, consent_source = before.consent_at, before.consent_source  # consent given earlier
        else:
            consent_at, consent_source = now, source
        session.add(
            CustomerEmail(
                organization_id=org.id,
                customer_id=customer_id,
                address=email.address,
                accepts_email=email.accepts_email,
                consent_at=consent_at,
                consent_source=consent_source,
                is_primary=email.primary,
                position=position,
            )
        )
    for tag_id in resolve_tags(session, org.id, clean.tags):
        session.add(CustomerTag(customer_id=customer_id, tag_id=tag_id, organization_id=org.id))


def replace_children(session: Session, org: Organization, customer_id: int, clean: CleanCustomer) -> None:
    """Replace the customer's phones, e-mails and tags (an edit); consents given earlier are kept."""
    emails = session.execute(select(CustomerEmail).where(CustomerEmail.customer_id == customer_id)).scalars()
    previous_emails = {e.address: e for e in emails}
    for email in previous_emails.values():
        session.expunge(email)  # read for their consent dates, then deleted below
    for model in (CustomerPhone, CustomerEmail, CustomerTag):
        session.execute(delete(model).where(model.customer_id == customer_id))
    write_children(session, org, customer_id, clean, previous_emails=previous_emails)
