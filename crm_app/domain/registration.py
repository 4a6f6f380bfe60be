"""The invitation page's form: which submitted names it accepts, derived from the form configuration.

The page shows the public form (:func:`crm_app.domain.form_config.public_config`): the organization's
form for the invitation's client type without the staff-only fields. Only the names of the fields it
shows are taken from a submission, so a forged event cannot set a discount, a note or a hidden field;
the service cuts the input down to the same form again (:func:`~crm_app.domain.form_config.public_input`).
"""

from __future__ import annotations

from collections.abc import Mapping

from crm_app.domain.form_config import FormConfig, public_config

# The client has one phone and one e-mail row, under these keys.
PHONE_KEY, EMAIL_KEY = "p", "e"
PHONE_NUMBER, EMAIL_ADDRESS = f"phones.{PHONE_KEY}.number", f"emails.{EMAIL_KEY}.address"

# The submitted names behind a built-in field, where they are not just its key.
FORM_NAMES: dict[str, tuple[str, ...]] = {
    "tax_id": ("tax_id_type", "tax_id"),
    "phones": (PHONE_NUMBER, f"phones.{PHONE_KEY}.whatsapp", f"phones.{PHONE_KEY}.sms"),
    "emails": (EMAIL_ADDRESS, f"emails.{EMAIL_KEY}.accepts_email"),
}
# Where a service error on a whole section is shown: next to the section's one input.
ERROR_PLACES = {"phones": PHONE_NUMBER, "emails": EMAIL_ADDRESS}


def accepted_names(form: FormConfig) -> frozenset[str]:
    """The built-in fields' submitted names the public form ``form`` shows (custom fields are read
    from the form's items, see :func:`crm_app.states.form_items.custom_form_values`)."""
    return frozenset(name for field in public_config(form).builtin if field.visible
                     for name in FORM_NAMES.get(field.key, (field.key,)))


def registration_fields(form: FormConfig, submitted: Mapping[str, object]) -> dict[str, object]:
    """The submitted built-in fields the public form shows (the rest is dropped), the one phone and
    e-mail marked primary."""
    names = accepted_names(form)
    kept: dict[str, object] = {key: value for key, value in submitted.items() if key in names}
    kept["phone_primary"], kept["email_primary"] = PHONE_KEY, EMAIL_KEY
    return kept


def error_place(field: str) -> str:
    """The form name a service error's field is shown next to."""
    return ERROR_PLACES.get(field, field)
