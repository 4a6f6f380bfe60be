"""Labelled form controls with their error message right below (screen readers get both)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.document import UI_LANG
from crm_app.states.session import SessionState

T = SessionState.tr


def error_id(control_id: str | Var) -> str | Var:
    """The id of a control's error text (``field_error``), which the control names in aria-describedby."""
    return control_id.to(str) + "-error" if isinstance(control_id, Var) else f"{control_id}-error"


def invalid_props(errors: Var, name: str | Var, control_id: str | Var) -> dict:
    """aria-invalid and aria-describedby of a control: screen readers read the error with the field,
    and a refused save moves focus to the first control marked invalid (components/dialogs.py)."""
    in_error = errors.contains(name)
    return {"aria_invalid": in_error.to_string(),
            "aria_describedby": rx.cond(in_error, error_id(control_id), None)}


def date_lang(type_: str) -> dict:
    """A date input names the UI language, so browsers that honour ``lang`` show its date format."""
    return {"lang": UI_LANG} if type_ == "date" else {}


def field_error(errors: Var, name: str | Var, control_id: str | Var) -> rx.Component:
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=error_id(control_id), color_scheme="red", size="2", role="alert"),
    )


def required_label(label: Var | str, required: Var | bool, control_id: str | Var) -> rx.Component:
    """A label, and a "*" beside a required field's: outside the <label>, so the field's name stays
    its name (screen readers hear aria-required on the control instead of the star)."""
    return rx.hstack(
        rx.el.label(label, html_for=control_id, class_name="crm-label"),
        rx.cond(required, rx.el.span("*", aria_hidden="true", class_name="crm-label crm-required")),
        spacing="1",
        align="baseline",
    )


def aria_required(required: Var | bool) -> dict:
    """aria-required, not the browser's "required": the service's message, in the user's language, is
    what people see, for every way a record arrives."""
    return {"aria_required": rx.cond(required, "true", "false")}


def check(label: Var | str, **input_props) -> rx.Component:
    """A check box (or, with ``type="radio"``, a radio button) inside its label: the whole line clicks."""
    return rx.el.label(
        rx.el.input(**{"type": "checkbox", **input_props}),
        rx.text(label, as_="span", size="2"),
        class_name="crm-check",
    )


def check_group(legend: Var, group: str, choices: list[tuple[str, rx.Component, Var]], form_id: str,
                errors: Var) -> rx.Component:
    """A fieldset of check boxes, each ``(name, label, hint)`` with its one-line hint under it; the
    group's error (``errors[group]``) is announced by every box."""
    control_id = f"{form_id}-{group}"
    return rx.el.fieldset(
        rx.el.legend(legend, class_name="crm-label"),
        rx.vstack(
            *[rx.vstack(
                check(label, name=name, id=f"{form_id}-{name}", **invalid_props(errors, group, control_id)),
                rx.text(hint, size="1", color_scheme="gray", padding_left="1.6em"),
                spacing="0",
            ) for name, label, hint in choices],
            spacing="2",
        ),
        field_error(errors, group, control_id),
        id=control_id,
        border="none", padding="0", margin="0", min_width="0",
    )


def labelled(label: Var | str, control_id: str | Var, control: rx.Component, errors: Var | None = None,
             name: str | Var = "", hint: Var | str | None = None, *,
             required: Var | bool | None = None) -> rx.Component:
    """A field's column: its label (starred when ``required`` is given and true), the control, the hint
    and the control's error."""
    return rx.vstack(
        rx.el.label(label, html_for=control_id, class_name="crm-label") if required is None
        else required_label(label, required, control_id),
        control,
        rx.text(hint, size="1", color_scheme="gray") if hint is not None else rx.fragment(),
        field_error(errors, name, control_id) if errors is not None else rx.fragment(),
        spacing="1",
        width="100%",
    )


def text_field(label: Var | str, name: str, errors: Var | None = None, *, type: str = "text",
               form_id: str = "", hint: Var | str | None = None, required: Var | bool | None = None,
               **props) -> rx.Component:
    control_id = f"{form_id}-{name}" if form_id else name
    control = rx.input(
        id=control_id, name=name, type=type, width="100%",
        **(aria_required(required) if required is not None else {}),
        **(invalid_props(errors, name, control_id) if errors is not None else {}),
        **date_lang(type), **props,
    )
    return labelled(label, control_id, control, errors, name, hint, required=required)


def select_field(label: Var | str, name: str, options: list[tuple[str, Var | str]] | Var,
                 errors: Var | None = None, *, form_id: str = "", value: Var | str | None = None,
                 on_change=None, **props) -> rx.Component:
    """A native <select>: accessible by label everywhere, phones included."""
    control_id = f"{form_id}-{name}" if form_id else name
    if isinstance(options, Var):
        children = [rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))]
    else:
        children = [rx.el.option(text, value=code) for code, text in options]
    extra = {}
    if value is not None:
        extra["value"] = value
    if on_change is not None:
        extra["on_change"] = on_change
    if errors is not None:
        extra.update(invalid_props(errors, name, control_id))
    control = rx.el.select(*children, id=control_id, name=name, class_name="crm-select", **extra, **props)
    return labelled(label, control_id, control, errors, name)


def form_error_banner(message: Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", width="100%"),
    )
