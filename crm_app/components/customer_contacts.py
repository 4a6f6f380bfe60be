"""The phone and e-mail rows of the customer form: any number of each (one in the quick form), one of
them primary, every row with its inputs, flags and remove button. A number or address another
customer already has gets a link to him under its error."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.vars import Var

from crm_app.components.forms import check, error_id, field_error, invalid_props, labelled
from crm_app.domain.customers import PHONE_KINDS
from crm_app.states.customer_form import CustomerFormState, EmailRow, PhoneRow
from crm_app.states.form_items import FormItem

S = CustomerFormState
T = S.tr
E = S.errors
PHONE_LABELS_ID = "crm-phone-labels"


def _numbered(key: str, n: Var) -> Var:
    """A row's text with the row's number: "Teléfono 2"."""
    return T[key].to(str) + " " + n


def duplicate_links(name: Var | str) -> rx.Component:
    """Under a value another customer holds (phone, e-mail, tax ID): open him, or merge the two."""
    return rx.fragment(
        rx.cond(
            S.error_links.contains(name),
            # The dialog state outlives the page: close it, or it reopens over the customer's profile.
            rx.link(T["open_existing_customer"], href=S.error_links[name], size="2",
                    on_click=S.set_open(False)),
        ),
        rx.cond(  # editing, an admin may merge the two (states/customer_form.py merge_links)
            S.merge_links.contains(name),
            rx.link(T["mergeui_merge_with_this"], href=S.merge_links[name], size="2",
                    on_click=S.set_open(False)),
        ),
    )


def _error(name: Var, control_id: Var) -> rx.Component:
    return rx.cond(
        E.contains(name),
        rx.vstack(
            rx.text(E[name], id=error_id(control_id), color_scheme="red", size="2", role="alert"),
            duplicate_links(name),
            spacing="0",
        ),
    )


def _row_input(label: Var, name: Var, control_id: Var, value: Var, **props) -> rx.Component:
    """One input of a row: its numbered label, the input and its error."""
    return rx.vstack(
        rx.el.label(label, html_for=control_id, class_name="crm-label"),
        rx.input(id=control_id, name=name, default_value=value, width="100%",
                 **invalid_props(E, name, control_id), **props),
        _error(name, control_id),
        spacing="1",
        width="100%",
    )


def _contact_row(kind: str, key: Var, n: Var, fields: rx.Component, *checks: rx.Component) -> rx.Component:
    """One phone or e-mail row (``kind``): its fields, its flags, the "primary" radio and a remove button."""
    return rx.box(
        fields,
        rx.hstack(
            *checks,
            check(T["primary"], type="radio", name=f"{kind}_primary", value=key,
                  default_checked=getattr(S, f"{kind}_primary") == key),
            rx.spacer(),
            rx.icon_button(rx.icon("trash_2", size=16), type="button", variant="ghost", color_scheme="red",
                           on_click=getattr(S, f"remove_{kind}_row")(key),
                           aria_label=_numbered(f"remove_{kind}", n)),
            spacing="4", wrap="wrap", align="center", width="100%", margin_top="0.4em",
        ),
        role="group", aria_label=_numbered(f"{kind}_row", n), class_name="crm-subrow", key=key,
    )


def _phone_row(row: PhoneRow, index: Var, form_id: str) -> rx.Component:
    n = (index + 1).to_string()
    base = "phones." + row.key.to(str) + "."
    number_id = f"{form_id}-phone-" + row.key.to(str)
    kind_select = rx.el.select(
        # "Automatic" sends no type: the server takes the number's own (landline or mobile).
        rx.el.option(T["phone_kind_auto"], value=""),
        *[rx.el.option(T[f"phone_kind_{k}"], value=k) for k in PHONE_KINDS],
        id=number_id + "-kind",
        name=base + "kind",
        default_value=row.kind,
        class_name="crm-select",
    )
    return _contact_row(
        "phone", row.key, n,
        rx.grid(
            _row_input(_numbered("phone", n), base + "number", number_id, row.number, type="tel"),
            labelled(_numbered("phone_kind", n), number_id + "-kind", kind_select),
            _row_input(_numbered("phone_label", n), base + "label", number_id + "-label", row.label,
                       list=PHONE_LABELS_ID, auto_complete="off"),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        check(T["whatsapp"], name=base + "whatsapp", default_checked=row.whatsapp, id=number_id + "-wa"),
        check(T["viber"], name=base + "viber", default_checked=row.viber, id=number_id + "-viber"),
        check(T["sms"], name=base + "sms", default_checked=row.sms, id=number_id + "-sms"),
    )


def _email_row(row: EmailRow, index: Var, form_id: str) -> rx.Component:
    n = (index + 1).to_string()
    base = "emails." + row.key.to(str) + "."
    control_id = f"{form_id}-email-" + row.key.to(str)
    return _contact_row(
        "email", row.key, n,
        _row_input(_numbered("email", n), base + "address", control_id, row.address, type="email"),
        check(_numbered("accepts_email", n), name=base + "accepts_email", default_checked=row.accepts_email,
              id=control_id + "-consent"),
    )


def _section(
    kind: str, item: FormItem, quick: bool, form_id: str, render_row: Callable[..., rx.Component],
    *extra: rx.Component,
) -> rx.Component:
    """The heading, the rows, the list's own error ("too many") and the add button (not in the quick form,
    which has one row)."""
    name = f"{kind}s"
    add = rx.button(rx.icon("plus", size=16), T[f"add_{kind}"], type="button", variant="soft", size="1",
                    on_click=getattr(S, f"add_{kind}_row"))
    return rx.vstack(
        rx.heading(item.label, rx.cond(item.required, " *", ""), size="3", as_="h3"),
        rx.foreach(getattr(S, name), lambda row, index: render_row(row, index, form_id)),
        *extra,
        field_error(E, name, f"{form_id}-{name}"),
        rx.fragment() if quick else add,
        spacing="2",
        width="100%",
    )


def phones_section(item: FormItem, quick: bool, form_id: str) -> rx.Component:
    # The organization's own phone types (Settings), offered in every row's "Label".
    labels = rx.el.datalist(rx.foreach(S.phone_labels, lambda name: rx.el.option(value=name)),
                            id=PHONE_LABELS_ID)
    return _section("phone", item, quick, form_id, _phone_row, labels)


def emails_section(item: FormItem, quick: bool, form_id: str) -> rx.Component:
    return _section("email", item, quick, form_id, _email_row)
