"""The Facebook Lead Ads card of /settings/api's connectors section: what to paste into Meta (callback
URL, verify token, with copy buttons), the app secret and page token (password inputs, empty after a
save: only "saved" is shown), the mapping editor (rows of facebook field -> lead field), channel, owner
and the enabled switch; errors next to their fields."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import focus_first_invalid
from crm_app.components.forms import field_error, invalid_props, labelled, select_field, text_field
from crm_app.domain.lead_ads_mapping import LEAD_FIELDS
from crm_app.states.connector_settings import ConnectorSettingsState
from crm_app.states.lead_ads_settings import LeadAdsSettingsState

S = LeadAdsSettingsState
T = S.tr
E = S.errors
FORM = "lead-ads"


def _copyable(label_key: str, value: rx.Var, control_id: str) -> rx.Component:
    return labelled(T[label_key], control_id, rx.hstack(
        rx.input(id=control_id, value=value, read_only=True, width="100%", font_family="monospace"),
        rx.button(rx.icon("copy", size=16, aria_hidden="true"), type="button", variant="soft",
                  aria_label=T["webform_copy"].to(str) + " " + T[label_key].to(str),
                  on_click=[rx.set_clipboard(value), rx.toast.success(T["webform_copied"])]),
        width="100%", spacing="2", align="center",
    ))


def _mapping_row(row: rx.Var, index: rx.Var) -> rx.Component:
    facebook_id = f"{FORM}-fb-" + index.to(str)
    lead_id = f"{FORM}-lead-" + index.to(str)
    return rx.el.li(
        rx.hstack(
            rx.el.label(T["leadads_mapping_facebook"], html_for=facebook_id, class_name="sr-only"),
            rx.input(id=facebook_id, value=row[0], max_length=100, placeholder="full_name",
                     on_change=lambda v: S.set_cell(index, 0, v), flex="1", min_width="8em"),
            rx.icon("arrow_right", size=16, aria_hidden="true"),
            rx.el.label(T["leadads_mapping_lead"], html_for=lead_id, class_name="sr-only"),
            rx.el.select(*[rx.el.option(T[f"leadads_field_{f}"], value=f) for f in LEAD_FIELDS],
                         id=lead_id, value=row[1], class_name="crm-select",
                         on_change=lambda v: S.set_cell(index, 1, v)),
            rx.button(rx.icon("x", size=16, aria_hidden="true"), type="button", variant="soft",
                      color_scheme="gray", aria_label=T["leadads_mapping_remove"].to(str) + " " + row[0],
                      on_click=S.remove_row(index)),
            width="100%", spacing="2", align="center", wrap="wrap",
        ),
        list_style="none",
    )


def _mapping_editor() -> rx.Component:
    control_id = f"{FORM}-mapping"
    return rx.el.fieldset(
        rx.el.legend(T["leadads_mapping"], class_name="crm-label"),
        rx.el.ul(rx.foreach(S.rows, _mapping_row), padding="0", margin="0", width="100%",
                 display="flex", flex_direction="column", gap="0.5em", id=control_id,
                 **invalid_props(E, "field_mapping", control_id)),
        rx.button(rx.icon("plus", size=16, aria_hidden="true"), T["leadads_mapping_add"], type="button",
                  variant="soft", on_click=S.add_row, margin_top="0.5em"),
        field_error(E, "field_mapping", control_id),
        border="none", padding="0", margin="0", min_width="0", width="100%",
    )


def lead_ads_card() -> rx.Component:
    choices = ConnectorSettingsState  # the organization's channels and staff, loaded with the forms
    return rx.card(
        rx.el.section(
            rx.vstack(
                rx.heading(T["leadads_title"], size="4", as_="h2", id="lead-ads-heading"),
                rx.text(T["leadads_intro"]),
                rx.cond(S.exists, rx.vstack(
                    rx.text(T["leadads_paste_hint"], size="2", color_scheme="gray"),
                    _copyable("leadads_callback", S.callback, f"{FORM}-callback"),
                    _copyable("leadads_verify_token", S.verify_token, f"{FORM}-verify"),
                    spacing="2", width="100%",
                )),
                rx.form(
                    rx.vstack(
                        text_field(T["leadads_app_secret"], "app_secret", E, form_id=FORM,
                                   type="password",
                                   auto_complete="off", max_length=200,
                                   hint=rx.cond(S.has_secret, T["leadads_saved_secret"], "")),
                        text_field(T["leadads_page_token"], "page_token", E, form_id=FORM,
                                   type="password",
                                   auto_complete="off",
                                   hint=S.token_note),
                        _mapping_editor(),
                        select_field(T["webform_channel"], "channel_id", choices.channel_choices, E,
                                     form_id=FORM, value=S.channel_id, on_change=S.set_channel_id),
                        select_field(T["webform_owner"], "owner_id", choices.owner_choices, E,
                                     form_id=FORM, value=S.owner_id, on_change=S.set_owner_id),
                        rx.el.label(rx.switch(checked=S.enabled, on_change=S.set_enabled),
                                    rx.text(T["leadads_enabled"], as_="span", size="2"),
                                    class_name="crm-check", display="flex", gap="0.5em",
                                    align_items="center"),
                        rx.hstack(rx.button(T["leadads_save"], type="submit"), justify="end", width="100%"),
                        focus_first_invalid(S.refusals),
                        spacing="3", width="100%",
                    ),
                    on_submit=S.save,
                    reset_on_submit=True,
                    key=S.form_key,
                    width="100%",
                ),
                spacing="3", width="100%",
            ),
            aria_labelledby="lead-ads-heading",
            width="100%",
        ),
        width="100%",
    )
