"""Controls for configured form items: each kind of custom field, with its label, help and error.

Shared by the customer form and the form editor's live preview (which passes its own, empty, errors).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.document import UI_LANG
from crm_app.components.forms import aria_required, check, field_error, invalid_props, required_label
from crm_app.states.form_items import FormItem
from crm_app.states.session import SessionState

T = SessionState.tr


def _choice_select(item: FormItem, name: Var, control_id: Var, errors: Var) -> rx.Component:
    return rx.el.select(
        rx.el.option(T["choose_option"], value=""),
        rx.foreach(item.options, lambda o: rx.el.option(o[1], value=o[0])),
        id=control_id,
        name=name,
        default_value=item.value,
        class_name="crm-select",
        **aria_required(item.required),
        **invalid_props(errors, name, control_id),
    )


def _multi_choice(item: FormItem, name: Var, control_id: Var) -> rx.Component:
    return rx.hstack(
        rx.foreach(
            item.options,
            lambda o: check(o[1], name=name + "." + o[0], id=control_id + "-" + o[0],
                            default_checked=item.chosen.contains(o[0])),
        ),
        spacing="4",
        wrap="wrap",
        role="group",
        aria_labelledby=control_id + "-label",
    )


def custom_field_control(item: FormItem, form_id: str, errors: Var) -> rx.Component:
    """A custom field's label, control, help text and error message."""
    name = "custom." + item.field_id.to(str)
    control_id = f"{form_id}-custom-" + item.field_id.to(str)
    text_input = rx.input(
        id=control_id,
        name=name,
        default_value=item.value,
        width="100%",
        type=rx.match(item.kind, ("date", "date"), "text"),
        lang=UI_LANG,  # the date format, where the browser honours it
        input_mode=rx.match(item.kind, ("integer", "numeric"), ("decimal", "decimal"), "text"),
        **aria_required(item.required),
        **invalid_props(errors, name, control_id),
    )
    control = rx.match(
        item.kind,
        (
            "long_text",
            rx.text_area(
                id=control_id,
                name=name,
                default_value=item.value,
                width="100%",
                rows="3",
                **aria_required(item.required),
                **invalid_props(errors, name, control_id),
            ),
        ),
        ("choice", _choice_select(item, name, control_id, errors)),
        ("multi_choice", _multi_choice(item, name, control_id)),
        ("boolean", check(item.label, name=name, id=control_id, default_checked=item.value == "true")),
        text_input,
    )
    return rx.vstack(
        rx.cond(
            item.kind == "boolean",
            rx.fragment(),
            rx.el.div(required_label(item.label, item.required, control_id), id=control_id + "-label"),
        ),
        control,
        rx.cond(item.help != "", rx.text(item.help, size="1", color_scheme="gray")),
        field_error(errors, name, control_id),
        spacing="1",
        width="100%",
    )


__all__ = ["custom_field_control"]
