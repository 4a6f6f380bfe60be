"""The connectors section of /settings/api: website forms (one card each: what it creates, its
origins, its address; edit, code, disable/enable, delete asked first; the create/edit dialog with each
error next to its field; the copy-paste code) and, below, Facebook Lead Ads
(components/lead_ads_settings.py). The page loads both with SECTION_LOADS."""

from __future__ import annotations

import reflex as rx

from crm_app.components.data_list import labelled_row_button
from crm_app.components.dialogs import (
    TITLE_LEVEL,
    confirm_dialog,
    dialog_buttons,
    dialog_content,
    focus_first_invalid,
)
from crm_app.components.forms import invalid_props, labelled, select_field, text_field
from crm_app.components.lead_ads_settings import lead_ads_card
from crm_app.states.connector_settings import ConnectorSettingsState, FormRow
from crm_app.states.lead_ads_settings import LeadAdsSettingsState

S = ConnectorSettingsState
T = S.tr
E = S.edit_errors
V = S.edit_values
FORM = "web-form"
SECTION_LOADS = [S.load, LeadAdsSettingsState.load]


def _action(icon: str, label_key: str, row: FormRow, on_click, **props) -> rx.Component:
    return labelled_row_button(icon, label_key, row.name, on_click, size="2", **props)


def _form_card(row: FormRow) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(row.name, size="3", as_="h3"),
                    rx.badge(row.target, variant="surface"),
                    rx.cond(row.active, rx.badge(T["webform_active"], color_scheme="green"),
                            rx.badge(T["webform_inactive"], color_scheme="red")),
                    width="100%", align="center", wrap="wrap", spacing="2",
                ),
                rx.text(row.origins, size="2", word_break="break-all"),
                rx.cond(row.warning != "",
                        rx.callout(row.warning, icon="triangle_alert", color_scheme="amber", size="1")),
                rx.text(T["webform_endpoint"], ": ", rx.code(row.endpoint), size="1", color_scheme="gray",
                        word_break="break-all"),
                rx.hstack(
                    _action("pencil", "webform_edit", row, S.open_edit(row.id)),
                    _action("code", "webform_snippet", row, S.show_snippet(row.id)),
                    rx.cond(row.active,
                            _action("power_off", "webform_disable", row, S.set_enabled(row.id, False)),
                            _action("power", "webform_enable", row, S.set_enabled(row.id, True),
                                    color_scheme="green")),
                    _action("trash_2", "webform_delete", row, S.ask_delete(row.id), color_scheme="red"),
                    spacing="2", wrap="wrap",
                ),
                spacing="2", width="100%",
            ),
            width="100%",
        ),
        list_style="none",
    )


def _text_area(label_key: str, name: str, hint: rx.Var | None = None, **props) -> rx.Component:
    control_id = f"{FORM}-{name}"
    control = rx.text_area(id=control_id, name=name, default_value=V[name].to(str), width="100%",
                           **invalid_props(E, name, control_id), **props)
    return labelled(T[label_key], control_id, control, E, name, hint)


def _edit_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(rx.cond(S.edit_id == 0, T["webform_add"], T["webform_edit"]),
                            custom_attrs=TITLE_LEVEL),
            rx.form(
                rx.vstack(
                    text_field(T["webform_name"], "name", E, form_id=FORM, max_length=100, required=True,
                               default_value=V["name"].to(str), auto_focus=True),
                    select_field(T["webform_target"], "target",
                                 [("lead", T["webform_target_lead"]),
                                  ("customer", T["webform_target_customer"])],
                                 E, form_id=FORM, default_value=V["target"].to(str)),
                    _text_area("webform_origins", "allowed_origins", T["webform_origins_hint"], rows="3",
                               placeholder="https://"),
                    _text_area("webform_consent", "consent_text", rows="2", max_length=500),
                    select_field(T["webform_channel"], "channel_id",
                                 S.channel_choices,
                                 E, form_id=FORM, default_value=V["channel_id"].to(str)),
                    select_field(T["webform_owner"], "owner_id", S.owner_choices, E, form_id=FORM,
                                 default_value=V["owner_id"].to(str)),
                    dialog_buttons(rx.button(T["webform_save"], type="submit")),
                    focus_first_invalid(S.refusals),
                    spacing="3",
                ),
                on_submit=S.save,
                reset_on_submit=False,
                key=S.edit_key,
            ),
            max_width="36em", max_height="92vh", overflow_y="auto",
        ),
        open=S.edit_open,
        on_open_change=S.set_edit_open,
    )


def _snippet_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T["webform_snippet"], custom_attrs=TITLE_LEVEL),
            rx.dialog.description(S.snippet_name),
            rx.text(T["webform_snippet_hint"], size="2"),
            rx.text_area(value=S.snippet_html, read_only=True, rows="12", width="100%", id="web-form-snippet",
                         aria_label=T["webform_snippet"], font_family="monospace", font_size="12px"),
            rx.hstack(
                rx.button(rx.icon("copy", size=16, aria_hidden="true"), T["webform_copy"], variant="soft",
                          on_click=[rx.set_clipboard(S.snippet_html), rx.toast.success(T["webform_copied"])]),
                rx.dialog.close(rx.button(T["close"], variant="soft", color_scheme="gray")),
                justify="end", spacing="3", margin_top="1em", wrap="wrap",
            ),
            max_width="44em", max_height="92vh", overflow_y="auto",
        ),
        open=S.snippet_html != "",
        on_open_change=S.close_snippet,
    )


def _forms_card() -> rx.Component:
    return rx.card(
        rx.el.section(
            rx.vstack(
                rx.hstack(
                    rx.heading(T["webform_title"], size="4", as_="h2", id="web-forms-heading"),
                    rx.spacer(),
                    rx.button(rx.icon("plus", size=16, aria_hidden="true"), T["webform_add"],
                              on_click=S.open_new),
                    width="100%", align="center", wrap="wrap", spacing="3",
                ),
                rx.text(T["webform_intro"]),
                rx.cond(S.forms.length() == 0, rx.text(T["webform_none"], color_scheme="gray")),
                rx.el.ul(rx.foreach(S.forms, _form_card), padding="0", margin="0", width="100%",
                         display="flex", flex_direction="column", gap="0.75em"),
                confirm_dialog(S.delete_id != 0, S.delete_text, S.confirm_delete, S.cancel_delete),
                _edit_dialog(),
                _snippet_dialog(),
                spacing="3", width="100%",
            ),
            aria_labelledby="web-forms-heading",
            width="100%",
        ),
        width="100%",
    )


def connectors_section() -> rx.Component:
    return rx.vstack(_forms_card(), lead_ads_card(), spacing="4", width="100%")
