"""What changed between two saves of a customer: the field-by-field change set the feed records."""

from __future__ import annotations

from crm_app.domain.customers import CustomerDTO
from crm_app.domain.search_text import normalize

# Fields whose change is worth an entry in the customer's history. Derived or bookkeeping fields
# (display_name, tax_id_formatted, channel_name, version, timestamps) are left out.
DIFF_FIELDS = (
    "client_type",
    "first_name",
    "last_name",
    "legal_name",
    "trade_name",
    "contact_name",
    "tax_id_type",
    "tax_id",
    "phones",
    "emails",
    "loyalty_id",
    "birthday",
    "street",
    "city",
    "region",
    "postal_code",
    "address_country",
    "latitude",
    "longitude",
    "credit_limit",
    "discount_percent",
    "channel_id",
    "notes",
    "tags",
    "is_supplier",
    "is_conflictive",
    "custom",
)


def _comparable(field: str, value: object) -> object:
    if field == "phones":
        return tuple((p.e164, p.kind, p.label, p.whatsapp, p.viber, p.sms, p.primary) for p in value)
    if field == "emails":
        return tuple((e.address, e.accepts_email, e.primary) for e in value)
    if field == "tags":
        return tuple(sorted(value, key=normalize))
    return value


def diff_customers(before: CustomerDTO, after: CustomerDTO) -> list[tuple[str, object, object]]:
    """Field-by-field changes ``[(field, before, after)]`` in DIFF_FIELDS order (the event feed's input).

    Phones are compared as ``(e164, kind, label, whatsapp, viber, sms, primary)`` tuples, e-mails as
    ``(address, accepts_email, primary)`` tuples, tags as a set (order does not matter).
    """
    changes: list[tuple[str, object, object]] = []
    for field in DIFF_FIELDS:
        old = _comparable(field, getattr(before, field))
        new = _comparable(field, getattr(after, field))
        if old != new:
            changes.append((field, old, new))
    return changes
