"""Public page of an invitation: the client fills in his own data, with his consent, once.

The fields are the organization's form for the invitation's client type, as the public sees it
(``RegisterState.items``: order, labels in the visitor's language, required marks, custom fields).
"""

import reflex as rx
from reflex.vars import Var

from crm_app.components.custom_fields import custom_field_control
from crm_app.components.forms import date_lang, field_error, form_error_banner, required_label
from crm_app.domain.registration import EMAIL_ADDRESS, EMAIL_KEY, PHONE_KEY, PHONE_NUMBER
from crm_app.pages.base import public_page
from crm_app.states.form_items import FormItem
from crm_app.states.register import RegisterState

S = RegisterState
T = S.tr
E = S.errors
FORM_ID = "register"
# Built-in fields that are one text input named as the field.
TEXT_FIELDS = ("first_name", "last_name", "legal_name", "trade_name", "contact_name", "street", "city",
               "region", "postal_code", "address_country")
AUTOCOMPLETE = {"first_name": "given-name", "last_name": "family-name", "legal_name": "organization",
                "street": "street-address", "city": "address-level2", "region": "address-level1",
                "postal_code": "postal-code", "address_country": "country-name"}


def _control_id(name: str) -> str:
    return f"{FORM_ID}-" + name.replace(".", "-")


def _input(label: Var, required: Var, name: str, *, type: str = "text", **props) -> rx.Component:
    # aria-required, not the browser's "required": the service's message, in the visitor's language,
    # is what he sees next to the field.
    control_id = _control_id(name)
    return rx.vstack(
        required_label(label, required, control_id),
        rx.input(id=control_id, name=name, type=type, width="100%",
                 aria_required=rx.cond(required, "true", "false"),
                 aria_invalid=E.contains(name).to_string(), **date_lang(type), **props),
        field_error(E, name, control_id),
        spacing="1", width="100%",
    )


def _check(label, name: str) -> rx.Component:
    return rx.el.label(rx.el.input(type="checkbox", name=name, id=_control_id(name)),
                       rx.text(label, as_="span", size="2"), class_name="crm-check")


def _tax_id(item: FormItem) -> rx.Component:
    type_select = rx.vstack(
        rx.el.label(T["tax_id_type"], html_for=_control_id("tax_id_type"), class_name="crm-label"),
        rx.el.select(rx.foreach(S.tax_types,
                                lambda code: rx.el.option(T["tax_type_" + code.to(str)], value=code)),
                     id=_control_id("tax_id_type"), name="tax_id_type", class_name="crm-select"),
        field_error(E, "tax_id_type", _control_id("tax_id_type")),
        spacing="1", width="100%",
    )
    return rx.grid(
        rx.cond(S.tax_types.length() > 0, type_select),
        _input(item.label, item.required, "tax_id", auto_complete="off"),
        columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
    )


def _item(item: FormItem) -> rx.Component:
    """One field of the public form: a built-in field's input, or a custom field's control."""
    return rx.match(
        item.key,
        *[(key, _input(item.label, item.required, key, auto_focus=key in ("first_name", "legal_name"),
                       auto_complete=AUTOCOMPLETE.get(key, "on")))
          for key in TEXT_FIELDS],
        ("birthday", _input(item.label, item.required, "birthday", type="date", auto_complete="bday")),
        ("tax_id", _tax_id(item)),
        ("phones", _input(item.label, item.required, PHONE_NUMBER, type="tel", auto_complete="tel")),
        ("emails", _input(item.label, item.required, EMAIL_ADDRESS, type="email", auto_complete="email",
                          default_value=S.invited_email)),
        custom_field_control(item, FORM_ID, E),
    )


def _consents() -> rx.Component:
    phone, email = f"phones.{PHONE_KEY}.", f"emails.{EMAIL_KEY}."
    return rx.cond(
        S.asks_phone | S.asks_email,
        rx.el.fieldset(
            rx.el.legend(T["register_consent"], class_name="crm-label"),
            rx.vstack(
                rx.cond(S.asks_email, _check(T["consent_email"], email + "accepts_email")),
                rx.cond(S.asks_phone, _check(T["consent_sms"], phone + "sms")),
                rx.cond(S.asks_phone, _check(T["consent_whatsapp"], phone + "whatsapp")),
                spacing="2",
            ),
            class_name="crm-fieldset",
        ),
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            form_error_banner(S.form_error),
            rx.foreach(S.items, _item),
            _consents(),
            rx.button(T["register_submit"], type="submit", width="100%", size="3"),
            spacing="3", width="100%",
        ),
        on_submit=S.submit,
    )


@public_page("/register/[token]", "title_register", on_load=[RegisterState.load])
def register() -> rx.Component:
    return rx.match(
        S.phase,
        ("form", rx.vstack(
            rx.heading(S.org_name, size="6", as_="h1"),
            rx.text(T["register_intro"], size="2", color_scheme="gray"),
            _form(),
            spacing="3", width="100%",
        )),
        ("done", rx.vstack(
            rx.heading(T["register_done_title"], size="6", as_="h1"),
            rx.text(T["register_done_body"].to(str).replace("{organization}", S.org_name)),
            spacing="3",
        )),
        ("invalid", rx.vstack(
            rx.heading(T["register_invalid_title"], size="6", as_="h1"),
            rx.text(T["invitation_invalid"]),
            spacing="3",
        )),
        ("limited", rx.vstack(
            rx.heading(T["register_invalid_title"], size="6", as_="h1"),
            rx.text(T["too_many_requests"]),
            spacing="3",
        )),
        rx.center(rx.spinner(size="3"), rx.text(T["loading"], class_name="sr-only"), padding="2em"),
    )
