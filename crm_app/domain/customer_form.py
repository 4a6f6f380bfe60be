"""Turn submitted text fields into a CustomerInput (typed values), collecting per-field errors.

Form pages, the import and the API all receive text; parsing it in one place keeps their messages
the same. Phones and e-mails arrive as ``phones.<key>.<field>`` / ``emails.<key>.<field>`` where
``key`` is a stable row key, listed in display order by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import FieldError
from crm_app.domain.ids import parse_id
from crm_app.domain.money import parse_decimal
from crm_app.domain.text import clean_date

Form = Mapping[str, object]


# The form's fields typed and stored as plain text (the checks clean them), and those typed as text and
# parsed into a date or a number. A form showing a customer again writes them back in these forms.
TEXT_FIELDS = (
    "first_name", "last_name", "legal_name", "trade_name", "contact_name", "tax_id_type", "tax_id",
    "loyalty_id", "street", "city", "region", "postal_code", "address_country", "notes",
)
PARSED_FIELDS = ("birthday", "latitude", "longitude", "credit_limit")


def _text(form: Form, key: str) -> str:
    value = form.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _checked(form: Form, key: str) -> bool:
    value = form.get(key)
    return value is True or (isinstance(value, str) and value.lower() in {"on", "true", "1", "yes"})


def _decimal(raw: str, field: str, code: str, errors: dict[str, FieldError]) -> Decimal | None:
    if not raw:
        return None
    try:
        return parse_decimal(raw)
    except ValueError:
        errors[field] = FieldError(code)
        return None


def parse_customer_form(
    form: Form, *, client_type: str, phone_keys: Sequence[str], email_keys: Sequence[str],
    tags: Sequence[str], source: str = "form",
) -> tuple[CustomerInput, dict[str, FieldError]]:
    """Parse the text of a customer form. Errors use the same field names as the services."""
    errors: dict[str, FieldError] = {}
    primary_phone = _text(form, "phone_primary")
    phones = tuple(
        PhoneInput(
            number=_text(form, f"phones.{k}.number"), kind=_text(form, f"phones.{k}.kind"),
            label=_text(form, f"phones.{k}.label"), whatsapp=_checked(form, f"phones.{k}.whatsapp"),
            viber=_checked(form, f"phones.{k}.viber"), sms=_checked(form, f"phones.{k}.sms"),
            primary=primary_phone == k,
        )
        for k in phone_keys
        if _text(form, f"phones.{k}.number")  # an empty row is ignored, not an error
    )
    primary_email = _text(form, "email_primary")
    emails = tuple(
        EmailInput(address=_text(form, f"emails.{k}.address"),
                   accepts_email=_checked(form, f"emails.{k}.accepts_email"), primary=primary_email == k)
        for k in email_keys
        if _text(form, f"emails.{k}.address")
    )
    channel_raw = _text(form, "channel_id")
    channel_id = parse_id(channel_raw)
    if channel_raw and channel_id is None:  # "-1" or "x": not a channel, never silently no channel
        errors["channel_id"] = FieldError("channel_unknown")
    data = CustomerInput(
        client_type=client_type,
        **{name: _text(form, name) for name in TEXT_FIELDS},
        phones=phones, emails=emails,
        birthday=clean_date(_text(form, "birthday"), "birthday", errors),
        latitude=_decimal(_text(form, "latitude"), "latitude", "coordinates_invalid", errors),
        longitude=_decimal(_text(form, "longitude"), "longitude", "coordinates_invalid", errors),
        credit_limit=_decimal(_text(form, "credit_limit"), "credit_limit", "credit_limit_invalid", errors),
        discount_percent=_decimal(_text(form, "discount_percent"), "discount_percent", "discount_range",
                                  errors) or Decimal(0),
        channel_id=channel_id,
        tags=tuple(dict.fromkeys(t.strip() for t in tags if t.strip())),
        is_supplier=_checked(form, "is_supplier"), is_conflictive=_checked(form, "is_conflictive"),
        source=source,
    )
    return data, errors


def input_index_keys(phone_keys: Sequence[str], email_keys: Sequence[str], form: Form) -> dict[str, str]:
    """Map the services' ``phones.<i>`` / ``emails.<i>`` (index among non-empty rows) to row keys."""
    mapping: dict[str, str] = {}
    for prefix, keys, field in (("phones", phone_keys, "number"), ("emails", email_keys, "address")):
        filled = [k for k in keys if _text(form, f"{prefix}.{k}.{field}")]
        for index, key in enumerate(filled):
            mapping[f"{prefix}.{index}."] = f"{prefix}.{key}."
    return mapping


def row_field(field: str, index_to_key: Mapping[str, str]) -> str:
    """A service error's field (``phones.0.number``) as the form's (``phones.<key>.number``)."""
    for prefix, replacement in index_to_key.items():
        if field.startswith(prefix):
            return replacement + field[len(prefix):]
    return field
