"""The "Convert to customer" dialog of a lead's page (states/lead_conversion.py).

Its inputs carry the customer form's names, so the submitted text is parsed as that form's; it shows
the client type, the name fields the type takes, one phone and one e-mail, the source and notes, and
whatever else the organization's form requires. A value another customer already has gets, under its
error, a link to him; above the form, "Link to this customer" offers the way out.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.custom_fields import custom_field_control
from crm_app.components.dialogs import dialog_buttons, form_dialog
from crm_app.components.forms import aria_required, error_id, form_error_banner, invalid_props, required_label
from crm_app.states.form_items import FormItem
from crm_app.states.lead_conversion import EMAIL, PHONE, LeadConversionState

S = LeadConversionState
T = S.tr
E = S.errors
FORM_ID = "convert"
# Built-in fields that are one text input named as the field, and the input type of some of them.
TEXT_FIELDS = ("first_name", "last_name", "legal_name", "trade_name", "contact_name", "loyalty_id", "street",
               "city", "region", "postal_code", "address_country", "birthday", "credit_limit", "tags")
TYPES = {"birthday": {"type": "date"}, "credit_limit": {"input_mode": "decimal"}}
PHONE_NAME, EMAIL_NAME = f"phones.{PHONE}.number", f"emails.{EMAIL}.address"


def _error(name: str) -> rx.Component:
    """The field's error, and under a duplicate's the link to the customer who has the value."""
    control_id = f"{FORM_ID}-{name}"
    return rx.cond(
        E.contains(name),
        rx.vstack(
            rx.text(E[name], id=error_id(control_id), color_scheme="red", size="2", role="alert"),
            rx.cond(S.error_links.contains(name),
                    rx.link(T["open_existing_customer"], href=S.error_links[name], size="2",
                            on_click=S.set_open(False))),
            spacing="0",
        ),
    )


def _field(item: FormItem, name: str, control: rx.Component) -> rx.Component:
    return rx.vstack(required_label(item.label, item.required, f"{FORM_ID}-{name}"), control, _error(name),
                     spacing="1", width="100%")


def _input(item: FormItem, name: str, **props) -> rx.Component:
    control_id = f"{FORM_ID}-{name}"
    control = rx.input(id=control_id, name=name, default_value=S.values.get(name, ""), width="100%",
                       **aria_required(item.required), **invalid_props(E, name, control_id), **props)
    return _field(item, name, control)


def _select(item: FormItem, name: str, options: Var, blank: Var | None) -> rx.Component:
    control_id = f"{FORM_ID}-{name}"
    control = rx.el.select(
        *([rx.el.option(blank, value="")] if blank is not None else []),
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
        id=control_id, name=name, default_value=S.values.get(name, ""), class_name="crm-select",
        **aria_required(item.required), **invalid_props(E, name, control_id),
    )
    return _field(item, name, control)


def _tax_id(item: FormItem) -> rx.Component:
    type_item = FormItem(key="tax_id_type", label=T["tax_id_type"])
    return rx.grid(_select(type_item, "tax_id_type", S.tax_types, None),
                   _input(item, "tax_id", auto_complete="off"),
                   columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%")


def _notes(item: FormItem) -> rx.Component:
    control_id = f"{FORM_ID}-notes"
    area = rx.text_area(id=control_id, name="notes", default_value=S.values.get("notes", ""), rows="3",
                        width="100%", **aria_required(item.required), **invalid_props(E, "notes", control_id))
    return _field(item, "notes", area)


def _item(item: FormItem) -> rx.Component:
    return rx.box(
        rx.match(
            item.key,
            *[(name, _input(item, name, **TYPES.get(name, {}))) for name in TEXT_FIELDS],
            ("phones", _input(item, PHONE_NAME, type="tel", auto_complete="off")),
            ("emails", _input(item, EMAIL_NAME, type="email", auto_complete="off")),
            ("tax_id", _tax_id(item)),
            ("channel_id", _select(item, "channel_id", S.channels, T["channel_none"])),
            ("notes", _notes(item)),
            custom_field_control(item, FORM_ID, E),
        ),
        grid_column=rx.cond(item.wide, "1 / -1", "auto"),
        width="100%",
        min_width="0",
    )


def _type_picker() -> rx.Component:
    def option(value: str) -> rx.Component:
        return rx.el.label(
            rx.el.input(type="radio", name="client_type", value=value, checked=S.client_type == value,
                        on_change=S.pick_type(value)),
            rx.text(T[f"client_type_{value}"], as_="span"),
            class_name="crm-check",
        )

    return rx.el.fieldset(
        rx.el.legend(T["client_type"], class_name="crm-label"),
        rx.hstack(option("person"), option("company"), option("government"), spacing="4", wrap="wrap"),
        class_name="crm-fieldset",
    )


def _duplicate() -> rx.Component:
    return rx.cond(
        S.duplicate_name != "",
        rx.callout.root(
            rx.callout.text(T["lead_duplicate_found"].to(str).replace("{name}", S.duplicate_name)),
            rx.button(T["lead_link_existing"], type="button", variant="solid", on_click=S.link_existing,
                      margin_top="0.5em"),
            color_scheme="amber", width="100%",
        ),
    )


def lead_conversion_dialog() -> rx.Component:
    form = rx.form(
        rx.vstack(
            form_error_banner(S.form_error),
            _duplicate(),
            _type_picker(),
            rx.grid(rx.foreach(S.items, _item), columns=rx.breakpoints(initial="1", sm="2"), spacing="3",
                    width="100%"),
            dialog_buttons(rx.button(T["lead_convert_submit"], type="submit")),
            spacing="4", width="100%",
        ),
        on_submit=S.submit,
        key=S.generation,
    )
    hint = rx.dialog.description(T["lead_convert_hint"], size="2", color_scheme="gray")
    return form_dialog(S, T["lead_convert_title"], hint, form, max_width="52em")
