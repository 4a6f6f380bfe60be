"""Public page of an invitation: the client fills in his own data, with his consent, once."""

import reflex as rx

from crm_app.components.forms import field_error, form_error_banner
from crm_app.pages.base import public_page
from crm_app.states.register import EMAIL_KEY, PHONE_KEY, RegisterState

S = RegisterState
T = S.tr
E = S.errors


def _input(label, name: str, *, type: str = "text", **props) -> rx.Component:
    control_id = "register-" + name.replace(".", "-")
    return rx.vstack(
        rx.el.label(label, html_for=control_id, class_name="crm-label"),
        rx.input(id=control_id, name=name, type=type, width="100%", aria_invalid=E.contains(name).to_string(),
                 **props),
        field_error(E, name, control_id),
        spacing="1", width="100%",
    )


def _check(label, name: str) -> rx.Component:
    return rx.el.label(rx.el.input(type="checkbox", name=name, id="register-" + name.replace(".", "-")),
                       rx.text(label, as_="span", size="2"), class_name="crm-check")


def _names() -> rx.Component:
    return rx.cond(
        S.client_type == "person",
        rx.grid(_input(T["first_name"], "first_name", auto_focus=True), _input(T["last_name"], "last_name"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        rx.vstack(_input(T["legal_name"], "legal_name", auto_focus=True),
                  _input(T["trade_name"], "trade_name"), _input(T["contact_name"], "contact_name"),
                  spacing="3", width="100%"),
    )


def _tax_id() -> rx.Component:
    return rx.cond(
        S.tax_types.length() > 0,
        rx.grid(
            rx.vstack(
                rx.el.label(T["tax_id_type"], html_for="register-tax_id_type", class_name="crm-label"),
                rx.el.select(rx.foreach(S.tax_types,
                                        lambda code: rx.el.option(T["tax_type_" + code.to(str)], value=code)),
                             id="register-tax_id_type", name="tax_id_type", class_name="crm-select"),
                spacing="1", width="100%",
            ),
            _input(T["tax_id"], "tax_id", auto_complete="off"),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
        ),
    )


def _form() -> rx.Component:
    phone, email = f"phones.{PHONE_KEY}.", f"emails.{EMAIL_KEY}."
    return rx.form(
        rx.vstack(
            form_error_banner(S.form_error),
            _names(),
            _tax_id(),
            _input(T["phone"], phone + "number", type="tel", auto_complete="tel"),
            _input(T["email"], email + "address", type="email", default_value=S.invited_email,
                   auto_complete="email"),
            _input(T["street"], "street", auto_complete="street-address"),
            _input(T["city"], "city"),
            rx.el.fieldset(
                rx.el.legend(T["register_consent"], class_name="crm-label"),
                rx.vstack(_check(T["consent_email"], email + "accepts_email"),
                          _check(T["consent_sms"], phone + "sms"),
                          _check(T["consent_whatsapp"], phone + "whatsapp"), spacing="2"),
                class_name="crm-fieldset",
            ),
            rx.button(T["register_submit"], type="submit", width="100%", size="3"),
            spacing="3", width="100%",
        ),
        on_submit=S.submit,
    )


@public_page("/register/[token]", "Registro", on_load=[RegisterState.load])
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
