"""/settings/form: the customer form per client type (admins), with a live preview beside it."""

import reflex as rx
from reflex.vars import Var

from crm_app.components.controls import check, move_buttons
from crm_app.components.custom_fields import custom_field_control
from crm_app.components.data_list import page_header
from crm_app.components.dialogs import (
    TITLE_LEVEL,
    confirm_dialog,
    dialog_buttons,
    dialog_content,
    focus_first_invalid,
)
from crm_app.components.empty_state import empty_state
from crm_app.components.forms import field_error, invalid_props, required_label
from crm_app.pages.base import page
from crm_app.states.form_editor import LABEL_LANGUAGES, BuiltinRow, CustomRow, FormEditorState, OptionRow
from crm_app.states.form_items import FormItem

S = FormEditorState
T = S.tr
PREVIEW_ID = "preview"


def _type_tabs() -> rx.Component:
    return rx.el.select(
        *[rx.el.option(T[f"client_type_{t}"], value=t) for t in ("person", "company", "government")],
        value=S.client_type,
        on_change=S.pick_type,
        aria_label=T["form_client_type"],
        class_name="crm-select",
        max_width="16em",
    )


def _label_input(row: BuiltinRow, lang: str) -> rx.Component:
    return rx.input(
        default_value=getattr(row, f"label_{lang}"),
        placeholder=T[f"label_{lang}"],
        size="2",
        width="100%",
        aria_label=T[f"label_{lang}"].to(str) + " " + row.label,
        on_blur=lambda v: S.set_label(row.key, lang, v),
    )


def _builtin_row(row: BuiltinRow, index: Var) -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.text(row.label, weight="medium"),
            rx.cond(row.locked, rx.badge(T["field_always"], size="1", color_scheme="gray")),
            class_name="crm-row-name",
        ),
        rx.el.div(
            check(T["field_shown"], row.visible, S.toggle(row.key, "visible"),
                  aria_label=T["field_shown"].to(str) + " " + row.label, disabled=row.locked),
            check(T["field_required"], row.required, S.toggle(row.key, "required"),
                  aria_label=T["field_required"].to(str) + " " + row.label, disabled=~row.requirable),
            class_name="crm-row-toggles",
        ),
        move_buttons(row.label, S.move(row.key, -1), S.move(row.key, 1),
                     first=index == 0, last=index == S.builtin.length() - 1),
        rx.el.div(*[_label_input(row, lang) for lang in LABEL_LANGUAGES], class_name="crm-row-labels"),
        class_name="crm-row",
        role="group",
        aria_label=row.label,
        key=row.key,
    )


def _custom_actions(row: CustomRow) -> rx.Component:
    def named(key: str, on_click, **props) -> rx.Component:
        return rx.button(T[key], size="1", on_click=on_click, aria_label=T[key].to(str) + " " + row.label,
                         **{"variant": "soft", **props})

    return rx.el.div(
        named("edit", S.open_edit_field(row.id)),
        rx.cond(
            row.active,
            named("remove_field", S.set_field_active(row.id, False), color_scheme="red"),
            rx.fragment(
                named("restore", S.set_field_active(row.id, True)),
                named("purge_field", S.ask_purge(row.id), color_scheme="red", variant="solid"),
            ),
        ),
        class_name="crm-row-toggles",
    )


def _custom_row(row: CustomRow, index: Var) -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.text(row.label, weight="medium"),
            rx.badge(T["field_kind_" + row.kind.to(str)], size="1"),
            rx.cond(row.required, rx.badge(T["field_required"], size="1", color_scheme="amber")),
            rx.cond(~row.active, rx.badge(T["field_removed_badge"], size="1", color_scheme="red")),
            class_name="crm-row-name",
        ),
        _custom_actions(row),
        move_buttons(row.label, S.move_field(row.id, -1), S.move_field(row.id, 1),
                     first=index == 0, last=index == S.custom.length() - 1),
        rx.cond(
            row.options != "",
            rx.text(row.options, size="1", color_scheme="gray", class_name="crm-row-wide"),
        ),
        class_name=rx.cond(row.active, "crm-row", "crm-row crm-row-inactive"),
        role="group",
        aria_label=row.label,
    )


def _option_label(row: OptionRow, lang: str, n: Var) -> rx.Component:
    return rx.input(
        name="option." + row.key + "." + lang,
        default_value=getattr(row, f"label_{lang}"),
        placeholder=T[f"option_label_{lang}"],
        aria_label=T[f"option_label_{lang}"].to(str) + " " + n,
        width="100%",
    )


def _option_row(row: OptionRow, index: Var) -> rx.Component:
    n = (index + 1).to_string()
    return rx.el.div(
        *[_option_label(row, lang, n) for lang in LABEL_LANGUAGES],
        rx.el.div(
            move_buttons(T["option"].to(str) + " " + n, S.move_option(row.key, -1), S.move_option(row.key, 1),
                         first=index == 0, last=index == S.option_rows.length() - 1),
            rx.icon_button(
                rx.icon("x", size=16),
                size="1",
                variant="soft",
                color_scheme="red",
                type="button",
                on_click=S.remove_option(row.key),
                aria_label=T["remove_option"].to(str) + " " + n,
            ),
            class_name="crm-option-buttons",
        ),
        class_name="crm-option-row",
        key=row.key,
    )


def _dialog_input(label_key: str, name: str) -> rx.Component:
    control_id = f"field-{name}"
    return rx.vstack(
        rx.el.label(T[label_key], html_for=control_id, class_name="crm-label"),
        rx.input(id=control_id, name=name, default_value=S.field_values.get(name, ""), width="100%",
                 **invalid_props(S.field_errors, name, control_id)),
        field_error(S.field_errors, name, control_id),
        spacing="1",
        width="100%",
    )


def _field_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(rx.cond(S.field_id == 0, T["new_field"], T["edit_field"]),
                            custom_attrs=TITLE_LEVEL),
            rx.form(
                rx.vstack(
                    rx.vstack(
                        rx.el.label(T["field_kind"], html_for="field-kind", class_name="crm-label"),
                        rx.el.select(
                            rx.foreach(
                                S.kinds, lambda k: rx.el.option(T["field_kind_" + k.to(str)], value=k)
                            ),
                            id="field-kind",
                            name="kind",
                            value=S.field_kind,
                            on_change=S.set_field_kind,
                            disabled=S.field_id != 0,
                            class_name="crm-select",
                        ),
                        spacing="1",
                        width="100%",
                    ),
                    rx.grid(
                        *[_dialog_input(f"{text}_{lang}", f"{text}_{lang}")
                          for text in ("label", "help") for lang in LABEL_LANGUAGES],
                        columns=rx.breakpoints(initial="1", sm="3"),
                        spacing="3",
                        width="100%",
                    ),
                    rx.cond(
                        S.field_kind != "boolean",
                        check(T["field_required"], S.field_required, S.set_field_required),
                    ),
                    rx.cond(
                        (S.field_kind == "choice") | (S.field_kind == "multi_choice"),
                        rx.vstack(
                            rx.heading(T["options"], size="3", as_="h3"),
                            rx.el.div(rx.foreach(S.option_rows, _option_row), class_name="crm-rows"),
                            rx.cond(
                                S.field_errors.contains("options"),
                                rx.text(
                                    S.field_errors["options"], color_scheme="red", size="2", role="alert"
                                ),
                            ),
                            rx.button(
                                rx.icon("plus", size=14),
                                T["add_option"],
                                type="button",
                                size="1",
                                variant="soft",
                                on_click=S.add_option,
                            ),
                            spacing="2",
                            width="100%",
                        ),
                    ),
                    dialog_buttons(rx.button(T["save"], type="submit")),
                    focus_first_invalid(S.refusals),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.save_field,
                key=S.field_generation,
            ),
            max_width="40em",
        ),
        open=S.field_open,
        on_open_change=S.set_field_open,
    )


def _preview_item(item: FormItem) -> rx.Component:
    control_id = f"{PREVIEW_ID}-" + item.key.to(str)
    return rx.cond(
        item.key == "custom",
        custom_field_control(item, PREVIEW_ID, S.field_errors),
        rx.vstack(
            required_label(item.label, item.required, control_id),
            rx.input(id=control_id, disabled=True, width="100%",
                     aria_required=rx.cond(item.required, "true", "false")),
            spacing="1",
            width="100%",
        ),
    )


def _preview() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["form_preview"], size="4", as_="h2"),
            rx.text(T["form_preview_hint"], size="1", color_scheme="gray"),
            rx.el.fieldset(
                rx.vstack(rx.foreach(S.preview, _preview_item), spacing="3", width="100%"),
                aria_label=T["form_preview"],
                class_name="crm-fieldset",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="crm-sticky",
    )


@page("/settings/form", "title_form_editor", role="admin", on_load=[FormEditorState.load])
def form_editor() -> rx.Component:
    return rx.vstack(
        page_header(T["form_editor_title"], _type_tabs()),
        rx.grid(
            rx.vstack(
                rx.heading(T["builtin_fields"], size="4", as_="h2"),
                rx.el.div(rx.foreach(S.builtin, _builtin_row), class_name="crm-rows"),
                rx.hstack(
                    rx.heading(T["custom_fields"], size="4", as_="h2"),
                    rx.spacer(),
                    rx.button(rx.icon("plus", size=16), T["new_field"], on_click=S.open_new_field),
                    width="100%",
                    align="center",
                    margin_top="1rem",
                ),
                rx.cond(
                    S.custom.length() == 0,
                    empty_state("list_plus", T["no_custom_fields"], T["no_custom_fields_hint"]),
                    rx.el.div(rx.foreach(S.custom, _custom_row), class_name="crm-rows"),
                ),
                spacing="3",
                width="100%",
                min_width="0",
            ),
            _preview(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="5",
            width="100%",
            align="start",
        ),
        _field_dialog(),
        confirm_dialog(S.purge_id != 0, S.purge_text, S.confirm_purge, S.cancel_purge),
        spacing="4",
        width="100%",
    )
