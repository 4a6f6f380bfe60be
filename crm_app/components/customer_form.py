"""The customer form dialog: ``customer_form_dialog()`` (full) or ``customer_form_dialog(quick=True)``.

Pages embed it once and open it with ``CustomerFormState.open_create`` / ``open_edit(id)``; the
quick variant (type, name, one phone, one e-mail) is what orders, leads and sales embed.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.custom_fields import custom_field_control, required_label
from crm_app.components.dialogs import dialog_form, form_dialog
from crm_app.components.forms import date_lang, field_error, invalid_props
from crm_app.components.leaflet_map import location_picker_field
from crm_app.domain.customers import PHONE_KINDS
from crm_app.states.customer_form import CustomerFormState, EmailRow, PhoneRow
from crm_app.states.form_items import FormItem

S = CustomerFormState
T = S.tr
E = S.errors
FORM_ID = "customer"
PHONE_LABELS_ID = "crm-phone-labels"


def _error(name: str | Var, control_id: str | Var) -> rx.Component:
    return rx.cond(
        E.contains(name),
        rx.vstack(
            rx.text(
                E[name],
                id=control_id.to(str) + "-error" if isinstance(control_id, Var) else f"{control_id}-error",
                color_scheme="red",
                size="2",
                role="alert",
            ),
            rx.cond(
                S.error_links.contains(name),
                # The dialog state outlives the page: close it, or it reopens over the customer's profile.
                rx.link(
                    T["open_existing_customer"],
                    href=S.error_links[name],
                    size="2",
                    on_click=S.set_open(False),
                ),
            ),
            spacing="0",
        ),
    )


def _label(item: FormItem, control_id: str | Var) -> rx.Component:
    return required_label(item.label, item.required, control_id)


def _input(item: FormItem, name: str, **props) -> rx.Component:
    return _text_input(item.label, item.required, name, **props)


def _text_input(label: Var, required: Var | bool, name: str, *, type: str = "text", **props) -> rx.Component:
    # aria-required, not the browser's "required": the service's message, in the user's language,
    # is what people see, for every way a customer arrives.
    control_id = f"{FORM_ID}-{name}"
    return rx.vstack(
        required_label(label, required, control_id),
        rx.input(
            id=control_id,
            name=name,
            type=type,
            default_value=S.values.get(name, ""),
            width="100%",
            aria_required=rx.cond(required, "true", "false"),
            **invalid_props(E, name, control_id),
            **date_lang(type), **props,
        ),
        field_error(E, name, control_id),
        spacing="1",
        width="100%",
    )


def _checkbox(label: Var | str, name: str | Var, checked: Var | bool, control_id: str | Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=checked, id=control_id),
        rx.text(label, as_="span", size="2"),
        class_name="crm-check",
    )


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
    return rx.grid(
        rx.vstack(
            rx.el.label(T["tax_id_type"], html_for=f"{FORM_ID}-tax_id_type", class_name="crm-label"),
            rx.el.select(
                rx.foreach(S.tax_types, lambda code: rx.el.option(T["tax_type_" + code.to(str)], value=code)),
                id=f"{FORM_ID}-tax_id_type",
                name="tax_id_type",
                default_value=S.values.get("tax_id_type", ""),
                class_name="crm-select",
            ),
            spacing="1",
            width="100%",
        ),
        _input(item, "tax_id", auto_complete="off"),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )


def _contact_row(
    fields: rx.Component, *checks: rx.Component, primary_name: str, primary: Var, on_remove,
    remove_label: Var, group_label: Var, key: Var,
) -> rx.Component:
    """One phone or e-mail row: its fields, its flags, the "primary" radio and a remove button."""
    return rx.box(
        fields,
        rx.hstack(
            *checks,
            rx.el.label(
                rx.el.input(type="radio", name=primary_name, value=key, default_checked=primary == key),
                rx.text(T["primary"], as_="span", size="2"),
                class_name="crm-check",
            ),
            rx.spacer(),
            rx.icon_button(rx.icon("trash_2", size=16), type="button", variant="ghost", color_scheme="red",
                           on_click=on_remove, aria_label=remove_label),
            spacing="4", wrap="wrap", align="center", width="100%", margin_top="0.4em",
        ),
        role="group", aria_label=group_label, class_name="crm-subrow", key=key,
    )


def _phone_row(row: PhoneRow, index: Var) -> rx.Component:
    n = (index + 1).to_string()
    base = "phones." + row.key.to(str) + "."
    number_id = f"{FORM_ID}-phone-" + row.key.to(str)
    return _contact_row(
        rx.grid(
            rx.vstack(
                rx.el.label(T["phone"].to(str) + " " + n, html_for=number_id, class_name="crm-label"),
                rx.input(
                    id=number_id,
                    name=base + "number",
                    type="tel",
                    default_value=row.number,
                    width="100%",
                    **invalid_props(E, base + "number", number_id),
                ),
                _error(base + "number", number_id),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                rx.el.label(
                    T["phone_kind"].to(str) + " " + n, html_for=number_id + "-kind", class_name="crm-label"
                ),
                rx.el.select(
                    # "Automatic" sends no type: the server takes the number's own (landline or mobile).
                    rx.el.option(T["phone_kind_auto"], value=""),
                    *[rx.el.option(T[f"phone_kind_{k}"], value=k) for k in PHONE_KINDS],
                    id=number_id + "-kind",
                    name=base + "kind",
                    default_value=row.kind,
                    class_name="crm-select",
                ),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                rx.el.label(
                    T["phone_label"].to(str) + " " + n, html_for=number_id + "-label", class_name="crm-label"
                ),
                rx.input(id=number_id + "-label", name=base + "label", default_value=row.label, width="100%",
                         list=PHONE_LABELS_ID, auto_complete="off",
                         **invalid_props(E, base + "label", number_id + "-label")),
                _error(base + "label", number_id + "-label"),
                spacing="1",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        _checkbox(T["whatsapp"], base + "whatsapp", row.whatsapp, number_id + "-wa"),
        _checkbox(T["viber"], base + "viber", row.viber, number_id + "-viber"),
        _checkbox(T["sms"], base + "sms", row.sms, number_id + "-sms"),
        primary_name="phone_primary",
        primary=S.phone_primary,
        on_remove=S.remove_phone_row(row.key),
        remove_label=T["remove_phone"].to(str) + " " + n,
        group_label=T["phone_row"].to(str) + " " + n,
        key=row.key,
    )


def _email_row(row: EmailRow, index: Var) -> rx.Component:
    n = (index + 1).to_string()
    base = "emails." + row.key.to(str) + "."
    control_id = f"{FORM_ID}-email-" + row.key.to(str)
    return _contact_row(
        rx.vstack(
            rx.el.label(T["email"].to(str) + " " + n, html_for=control_id, class_name="crm-label"),
            rx.input(
                id=control_id,
                name=base + "address",
                type="email",
                default_value=row.address,
                width="100%",
                **invalid_props(E, base + "address", control_id),
            ),
            _error(base + "address", control_id),
            spacing="1",
            width="100%",
        ),
        _checkbox(
            T["accepts_email"].to(str) + " " + n, base + "accepts_email", row.accepts_email,
            control_id + "-consent",
        ),
        primary_name="email_primary",
        primary=S.email_primary,
        on_remove=S.remove_email_row(row.key),
        remove_label=T["remove_email"].to(str) + " " + n,
        group_label=T["email_row"].to(str) + " " + n,
        key=row.key,
    )


def _section_error(name: str) -> rx.Component:
    return field_error(E, name, f"{FORM_ID}-{name}")


def _phones(item: FormItem, quick: bool) -> rx.Component:
    add = rx.button(rx.icon("plus", size=16), T["add_phone"], type="button", variant="soft", size="1",
                    on_click=S.add_phone_row)
    return rx.vstack(
        rx.heading(item.label, rx.cond(item.required, " *", ""), size="3", as_="h3"),
        rx.foreach(S.phones, _phone_row),
        # The organization's own phone types (Settings), offered in every row's "Label".
        rx.el.datalist(rx.foreach(S.phone_labels, lambda name: rx.el.option(value=name)), id=PHONE_LABELS_ID),
        _section_error("phones"),
        rx.fragment() if quick else add,  # the quick form has one phone row
        spacing="2",
        width="100%",
    )


def _emails(item: FormItem, quick: bool) -> rx.Component:
    add = rx.button(rx.icon("plus", size=16), T["add_email"], type="button", variant="soft", size="1",
                    on_click=S.add_email_row)
    return rx.vstack(
        rx.heading(item.label, rx.cond(item.required, " *", ""), size="3", as_="h3"),
        rx.foreach(S.emails, _email_row),
        _section_error("emails"),
        rx.fragment() if quick else add,
        spacing="2",
        width="100%",
    )


def _tags(item: FormItem) -> rx.Component:
    control_id = f"{FORM_ID}-tag-input"
    return rx.vstack(
        _label(item, control_id),
        rx.hstack(
            rx.foreach(
                S.tags,
                lambda tag: rx.badge(
                    tag,
                    rx.icon_button(
                        rx.icon("x", size=12),
                        type="button",
                        size="1",
                        variant="ghost",
                        on_click=S.remove_tag(tag),
                        aria_label=T["remove_tag"].to(str) + " " + tag,
                    ),
                    variant="soft",
                    size="2",
                ),
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.hstack(
            rx.input(
                id=control_id,
                name="tag_draft",
                value=S.tag_draft,
                on_change=S.type_tag,
                placeholder=T["tag_placeholder"],
                list="crm-tag-options",
                auto_complete="off",
                width="100%",
                **invalid_props(E, "tags", control_id),
            ),
            rx.el.datalist(
                rx.foreach(S.tag_suggestions, lambda t: rx.el.option(value=t)), id="crm-tag-options"
            ),
            rx.button(T["add_tag"], type="button", variant="soft", on_click=S.add_tag_draft),
            width="100%",
        ),
        field_error(E, "tags", control_id),
        spacing="1",
        width="100%",
    )


def _channel(item: FormItem) -> rx.Component:
    control_id = f"{FORM_ID}-channel_id"
    return rx.vstack(
        _label(item, control_id),
        rx.el.select(
            rx.el.option(T["channel_none"], value=""),
            rx.foreach(S.channels, lambda c: rx.el.option(c[1], value=c[0])),
            id=control_id,
            name="channel_id",
            default_value=S.values.get("channel_id", ""),
            class_name="crm-select",
            **invalid_props(E, "channel_id", control_id),
        ),
        field_error(E, "channel_id", control_id),
        spacing="1",
        width="100%",
    )


def _flags() -> rx.Component:
    return rx.hstack(
        _checkbox(T["is_supplier"], "is_supplier", S.flags.get("is_supplier", False), f"{FORM_ID}-supplier"),
        _checkbox(T["is_conflictive"], "is_conflictive", S.flags.get("is_conflictive", False),
                  f"{FORM_ID}-conflictive"),
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
    return rx.vstack(
        _label(item, control_id),
        rx.text_area(id=control_id, name="notes", default_value=S.values.get("notes", ""), width="100%",
                     rows="3", aria_required=rx.cond(item.required, "true", "false"),
                     **invalid_props(E, "notes", control_id)),
        field_error(E, "notes", control_id),
        spacing="1",
        width="100%",
    )


def _item(item: FormItem, quick: bool) -> rx.Component:
    """One configured field: a built-in field's controls, or a custom field."""
    text_fields = ("first_name", "last_name", "legal_name", "trade_name", "contact_name", "loyalty_id",
                   "street", "city", "region", "postal_code", "address_country")
    return rx.box(
        rx.match(
            item.key,
            *[(name, _input(item, name, auto_focus=name in ("first_name", "legal_name")))
              for name in text_fields],
            ("birthday", _input(item, "birthday", type="date")),
            ("discount_percent", _input(item, "discount_percent", input_mode="decimal")),
            ("credit_limit", _input(item, "credit_limit", input_mode="decimal")),
            ("tax_id", _tax_id(item)),
            ("phones", _phones(item, quick)),
            ("emails", _emails(item, quick)),
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
