"""The customer form dialog: ``customer_form_dialog()`` (full) or ``customer_form_dialog(quick=True)``.

Pages embed it once and open it with ``CustomerFormState.open_create`` / ``open_edit(id)``; the
quick variant (type, name, one phone, one e-mail) is what orders, leads and sales embed. The phone
and e-mail rows are in customer_contacts.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.custom_fields import custom_field_control
from crm_app.components.customer_contacts import duplicate_links, emails_section, phones_section
from crm_app.components.dialogs import dialog_form, form_dialog
from crm_app.components.forms import aria_required, check, invalid_props, labelled, text_field
from crm_app.components.leaflet_map import location_picker_field
from crm_app.states.customer_form import CustomerFormState
from crm_app.states.form_items import FormItem

S = CustomerFormState
T = S.tr
E = S.errors
FORM_ID = "customer"
# Built-in fields that are one text input named as the field.
TEXT_FIELDS = ("first_name", "last_name", "legal_name", "trade_name", "contact_name", "loyalty_id", "street",
               "city", "region", "postal_code", "address_country")


def _input(item: FormItem, name: str, **props) -> rx.Component:
    return _text_input(item.label, item.required, name, **props)


def _text_input(label: Var, required: Var | bool, name: str, **props) -> rx.Component:
    return text_field(label, name, E, form_id=FORM_ID, required=required,
                      default_value=S.values.get(name, ""), **props)


def _field(item: FormItem, name: str, control: rx.Component, control_id: str) -> rx.Component:
    """A configured field with its own control: label (starred when required), control, error."""
    return labelled(item.label, control_id, control, E, name, required=item.required)


def _type_picker() -> rx.Component:
    def option(value: str) -> rx.Component:
        return rx.el.label(
            rx.el.input(
                type="radio",
                name="client_type",
                value=value,
                checked=S.client_type == value,
                on_change=S.pick_type(value),
            ),
            rx.text(T[f"client_type_{value}"], as_="span"),
            class_name="crm-check",
        )

    return rx.el.fieldset(
        rx.el.legend(T["client_type"], class_name="crm-label"),
        rx.hstack(option("person"), option("company"), option("government"), spacing="4", wrap="wrap"),
        class_name="crm-fieldset",
    )


def _tax_id(item: FormItem) -> rx.Component:
    type_id = f"{FORM_ID}-tax_id_type"
    type_select = rx.el.select(
        rx.foreach(S.tax_types, lambda code: rx.el.option(T["tax_type_" + code.to(str)], value=code)),
        id=type_id,
        name="tax_id_type",
        default_value=S.values.get("tax_id_type", ""),
        class_name="crm-select",
    )
    return rx.grid(
        labelled(T["tax_id_type"], type_id, type_select),
        rx.vstack(_input(item, "tax_id", auto_complete="off", hint=S.tax_hint), duplicate_links("tax_id"),
                  spacing="1", width="100%"),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )


def _tags(item: FormItem) -> rx.Component:
    control_id = f"{FORM_ID}-tag-input"
    chips = rx.hstack(
        rx.foreach(
            S.tags,
            lambda tag: rx.badge(
                tag,
                rx.icon_button(rx.icon("x", size=12), type="button", size="1", variant="ghost",
                               on_click=S.remove_tag(tag), aria_label=T["remove_tag"].to(str) + " " + tag),
                variant="soft",
                size="2",
            ),
        ),
        spacing="2",
        wrap="wrap",
    )
    draft = rx.hstack(
        rx.input(id=control_id, name="tag_draft", value=S.tag_draft, on_change=S.type_tag,
                 placeholder=T["tag_placeholder"], list="crm-tag-options", auto_complete="off", width="100%",
                 **invalid_props(E, "tags", control_id)),
        rx.el.datalist(rx.foreach(S.tag_suggestions, lambda t: rx.el.option(value=t)), id="crm-tag-options"),
        rx.button(T["add_tag"], type="button", variant="soft", on_click=S.add_tag_draft),
        width="100%",
    )
    return _field(item, "tags", rx.fragment(chips, draft), control_id)


def _channel(item: FormItem) -> rx.Component:
    control_id = f"{FORM_ID}-channel_id"
    select = rx.el.select(
        rx.el.option(T["channel_none"], value=""),
        rx.foreach(S.channels, lambda c: rx.el.option(c[1], value=c[0])),
        id=control_id,
        name="channel_id",
        default_value=S.values.get("channel_id", ""),
        class_name="crm-select",
        **invalid_props(E, "channel_id", control_id),
    )
    return _field(item, "channel_id", select, control_id)


def _flags() -> rx.Component:
    return rx.hstack(
        *[check(T[name], name=name, default_checked=S.flags.get(name, False), id=f"{FORM_ID}-{suffix}")
          for name, suffix in (("is_supplier", "supplier"), ("is_conflictive", "conflictive"))],
        spacing="5",
        wrap="wrap",
    )


def _coordinates(item: FormItem) -> rx.Component:
    # Typed coordinates move the map's marker; a click on the map fills them in (in the browser).
    return rx.vstack(
        rx.grid(
            _text_input(T["latitude"], False, "latitude", input_mode="decimal"),
            _text_input(T["longitude"], False, "longitude", input_mode="decimal"),
            columns="2",
            spacing="2",
            width="100%",
        ),
        location_picker_field(f"{FORM_ID}-latitude", f"{FORM_ID}-longitude"),
        spacing="2",
        width="100%",
    )


def _notes(item: FormItem) -> rx.Component:
    control_id = f"{FORM_ID}-notes"
    area = rx.text_area(id=control_id, name="notes", default_value=S.values.get("notes", ""), width="100%",
                        rows="3", **aria_required(item.required), **invalid_props(E, "notes", control_id))
    return _field(item, "notes", area, control_id)


def _item(item: FormItem, quick: bool) -> rx.Component:
    """One configured field: a built-in field's controls, or a custom field."""
    return rx.box(
        rx.match(
            item.key,
            *[(name, _input(item, name, auto_focus=name in ("first_name", "legal_name")))
              for name in TEXT_FIELDS],
            ("birthday", _input(item, "birthday", type="date")),
            ("discount_percent", _input(item, "discount_percent", input_mode="decimal")),
            ("credit_limit", _input(item, "credit_limit", input_mode="decimal")),
            ("tax_id", _tax_id(item)),
            ("phones", phones_section(item, quick, FORM_ID)),
            ("emails", emails_section(item, quick, FORM_ID)),
            ("tags", _tags(item)),
            ("channel_id", _channel(item)),
            ("flags", _flags()),
            ("coordinates", _coordinates(item)),
            ("notes", _notes(item)),
            custom_field_control(item, FORM_ID, S.errors),
        ),
        grid_column=rx.cond(item.wide, "1 / -1", "auto"),
        width="100%",
        min_width="0",
    )


def customer_form(quick: bool = False) -> rx.Component:
    return dialog_form(
        S,
        _type_picker(),
        rx.grid(
            rx.foreach(S.items, lambda item: _item(item, quick)),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        spacing="4",
    )


def customer_form_dialog(quick: bool = False) -> rx.Component:
    title = rx.cond(S.mode == "edit", T["edit_customer"], T["new_customer"])
    return form_dialog(
        S,
        title,
        rx.dialog.description(T["customer_form_hint"], size="2", color_scheme="gray"),
        customer_form(quick),
        max_width="52em",
    )
