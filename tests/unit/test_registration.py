"""The invitation page's form follows the organization's form configuration, minus what only staff decide."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from crm_app.domain.customer_form import parse_customer_form
from crm_app.domain.customers import CustomerInput, PhoneInput
from crm_app.domain.form_config import (
    STAFF_ONLY,
    ChoiceOption,
    CustomFieldDef,
    FormConfig,
    default_builtin,
    merge_builtin,
    public_config,
    public_input,
    required_errors,
)
from crm_app.domain.registration import EMAIL_KEY, PHONE_KEY, accepted_names, error_place, registration_fields
from crm_app.states.form_items import custom_form_values
from crm_app.states.register import has_language_cookie, registration_items

BRANCH = CustomFieldDef(id=7, kind="choice", label_es="Sucursal", label_en="Branch", required=True,
                        options=(ChoiceOption(1, "Norte", "North"), ChoiceOption(2, "Sur", "South")))


def person_form(**changes: dict) -> FormConfig:
    """The default person form with some built-in fields changed, e.g. birthday={"required": True}."""
    stored = [dataclasses.replace(f, **changes.get(f.key, {})) for f in default_builtin("person")]
    return FormConfig(client_type="person", builtin=merge_builtin("person", stored), custom=(BRANCH,))


def parse(form: FormConfig, submitted: dict) -> CustomerInput:
    data, errors = parse_customer_form(registration_fields(form, submitted), client_type="person",
                                       phone_keys=[PHONE_KEY], email_keys=[EMAIL_KEY], tags=(),
                                       source="invitation")
    assert errors == {}
    return data


FORGED = {  # none of these is on the page
    "discount_percent": "50", "credit_limit": "100000", "is_supplier": "on", "is_conflictive": "on",
    "notes": "VIP", "channel_id": "1", "loyalty_id": "L-1", "latitude": "1", "longitude": "2",
    "phones.x.number": "0990000000", "email_primary": "x", f"phones.{PHONE_KEY}.viber": "on",
}


def test_staff_only_fields_are_never_accepted_even_when_staff_see_them():
    form = person_form(notes={"required": True}, loyalty_id={"required": True})
    submitted = {
        "first_name": "Rosa", "last_name": "Vera",
        f"phones.{PHONE_KEY}.number": "0987654321", f"phones.{PHONE_KEY}.whatsapp": "on",
        f"emails.{EMAIL_KEY}.address": "rosa@example.com", f"emails.{EMAIL_KEY}.accepts_email": "on",
        **FORGED,
    }
    data = parse(form, submitted)
    assert (data.first_name, data.last_name) == ("Rosa", "Vera")
    assert data.discount_percent == 0 and data.credit_limit is None
    assert not data.is_supplier and not data.is_conflictive
    assert (data.notes, data.loyalty_id, data.channel_id, data.latitude) == ("", "", None, None)
    assert [(p.number, p.whatsapp, p.sms, p.viber, p.primary) for p in data.phones] == [
        ("0987654321", True, False, False, True)]
    emails = [(e.address, e.accepts_email, e.primary) for e in data.emails]
    assert emails == [("rosa@example.com", True, True)]
    assert not accepted_names(form) & STAFF_ONLY
    # Staff make notes and the loyalty ID required; the public is not asked for them.
    assert set(required_errors(public_config(form), data)) == set()
    assert set(required_errors(form, data)) == {"notes", "loyalty_id"}


def test_a_field_the_organization_hides_is_not_accepted_and_what_it_shows_is():
    submitted = {"first_name": "Rosa", "last_name": "Vera", "birthday": "1990-04-12", "region": "Azuay"}
    shown = parse(person_form(), submitted)
    assert (shown.birthday.isoformat(), shown.region) == ("1990-04-12", "Azuay")
    hidden = parse(person_form(birthday={"visible": False}, region={"visible": False}), submitted)
    assert (hidden.birthday, hidden.region) == (None, "")


def test_the_service_cuts_a_forged_input_down_to_the_public_form():
    forged = CustomerInput(
        first_name="Rosa", last_name="Vera", discount_percent=Decimal(90), credit_limit=Decimal(5),
        notes="VIP", tags=("vip",), is_supplier=True, loyalty_id="L-1", channel_id=3,
        latitude=Decimal(1), longitude=Decimal(2), birthday=None,
        phones=(PhoneInput("0987654321", kind="work", label="x", viber=True, sms=True, primary=True),),
        custom={BRANCH.id: "1", 999: "other organization's field"},
    )
    clean = public_input(person_form(), forged)
    assert (clean.first_name, clean.last_name) == ("Rosa", "Vera")
    assert clean.discount_percent == 0 and clean.credit_limit is None and clean.tags == ()
    assert (clean.notes, clean.loyalty_id, clean.channel_id, clean.is_supplier) == ("", "", None, False)
    assert (clean.latitude, clean.longitude) == (None, None)
    assert [(p.kind, p.label, p.viber, p.sms, p.primary) for p in clean.phones] == [
        ("", "", False, True, True)]  # no type: the server takes the number's own
    assert clean.custom == {BRANCH.id: "1"}


def test_the_page_shows_the_configured_fields_in_order_with_labels_and_required_marks():
    form = person_form(birthday={"required": True, "position": -1, "label_es": "Cumpleaños"},
                       loyalty_id={"required": True})
    items = registration_items(public_config(form), "es")
    keys = [i.key for i in items]
    assert keys[0] == "birthday" and keys[-1] == "custom"
    assert not set(keys) & STAFF_ONLY
    birthday = items[0]
    assert (birthday.label, birthday.required) == ("Cumpleaños", True)
    labels = {i.key: i.label for i in items}
    assert (labels["phones"], labels["emails"]) == ("Teléfono", "Correo electrónico")  # one input each
    branch = items[-1]
    assert (branch.label, branch.required) == ("Sucursal", True)
    assert branch.options == [["1", "Norte"], ["2", "Sur"]]
    english = registration_items(public_config(form), "en")
    assert english[0].label == "Cumpleaños"  # the admin's own label (no English one given)
    assert (english[-1].label, english[-1].options[0]) == ("Branch", ["1", "North"])
    assert {i.key: i.label for i in english}["phones"] == "Phone"


def test_custom_values_are_read_for_the_page_s_custom_fields_only():
    items = registration_items(public_config(person_form()), "es")
    assert custom_form_values(items, {"custom.7": "2", "custom.8": "x"}) == {7: "2"}


def test_section_errors_sit_next_to_the_one_input():
    assert error_place("phones") == f"phones.{PHONE_KEY}.number"
    assert error_place("emails") == f"emails.{EMAIL_KEY}.address"
    assert error_place("custom.7") == "custom.7"


def test_the_organization_language_applies_until_the_visitor_picks_one():
    assert not has_language_cookie("")
    assert not has_language_cookie("crm_session=abc; other=1")
    assert has_language_cookie("crm_session=abc; crm_lang=en")
    assert not has_language_cookie('bad"cookie')
