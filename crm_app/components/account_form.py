"""The account form dialog: pages embed ``account_form_dialog()`` once and open it with
``AccountFormState.open_create`` / ``open_edit(id)``."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import dialog_form, form_dialog
from crm_app.components.forms import invalid_props, labelled, text_field
from crm_app.states.account_form import AccountFormState

S = AccountFormState
T = S.tr
E = S.errors
FORM_ID = "account"


def _input(label_key: str, name: str, **props) -> rx.Component:
    return text_field(T[label_key], name, E, form_id=FORM_ID, default_value=S.values.get(name, ""), **props)


def _select(label_key: str, name: str, options: list[rx.Component]) -> rx.Component:
    control_id = f"{FORM_ID}-{name}"
    control = rx.el.select(
        *options,
        id=control_id,
        name=name,
        default_value=S.values.get(name, ""),
        class_name="crm-select",
        **invalid_props(E, name, control_id),
    )
    return labelled(T[label_key], control_id, control, E, name)


def _grid(*children: rx.Component) -> rx.Component:
    return rx.grid(*children, columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%")


def account_form() -> rx.Component:
    return dialog_form(
        S,
        _input("account_name", "name", auto_focus=True),
        _grid(
            _select(
                "tax_id_type",
                "tax_id_type",
                [
                    rx.foreach(
                        S.tax_types, lambda code: rx.el.option(T["tax_type_" + code.to(str)], value=code)
                    ),
                ],
            ),
            _input("account_tax_id", "tax_id", auto_complete="off"),
            _input("account_phone", "phone", type="tel"),
            _input("account_email", "email", type="email"),
            _input("account_address", "address"),
            _input("account_city", "city"),
            _input("account_industry", "industry"),
            _select(
                "account_owner",
                "owner_id",
                [
                    rx.el.option(T["account_owner_none"], value=""),
                    rx.foreach(S.owners, lambda o: rx.el.option(o[1], value=o[0])),
                ],
            ),
        ),
        _input("account_tags", "tags", hint=T["account_tags_hint"]),
        labelled(
            T["notes"],
            f"{FORM_ID}-notes",
            rx.text_area(
                id=f"{FORM_ID}-notes",
                name="notes",
                default_value=S.values.get("notes", ""),
                width="100%",
                rows="3",
                **invalid_props(E, "notes", f"{FORM_ID}-notes"),
            ),
            E,
            "notes",
        ),
    )


def account_form_dialog() -> rx.Component:
    title = rx.cond(S.mode == "edit", T["edit_account"], T["new_account"])
    return form_dialog(S, title, account_form(), max_width="46em")
