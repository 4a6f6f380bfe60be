"""The bulk actions' dialog (one, whose fields follow the action), the result banner with Undo, and the
progress of an action that runs as a job, with Cancel (states/bulk_actions.py).

The dialog names how many customers the action applies to; its fields are a tag (a text box offering the
organization's tags), a channel, a flag and its value, an account (searched by name) and the role in it,
or a template (sent only to the addresses that accept it). Focus goes back to the button that opened it.
"""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import TITLE_LEVEL, dialog_buttons, dialog_content, focus_first_invalid
from crm_app.components.forms import field_error, form_error_banner, invalid_props, select_field
from crm_app.components.job_progress import job_progress
from crm_app.domain.accounts import MEMBER_ROLES
from crm_app.states.bulk_actions import BulkActionState

B = BulkActionState
T = B.tr
FORM = "bulk"


def _tag_field() -> rx.Component:
    control_id = f"{FORM}-tag"
    return rx.vstack(
        rx.el.label(T["bulkui_tag"], html_for=control_id, class_name="crm-label"),
        rx.input(id=control_id, name="tag", list=f"{control_id}-options", max_length=60, auto_focus=True,
                 auto_complete="off", width="100%", **invalid_props(B.errors, "tag", control_id)),
        rx.el.datalist(rx.foreach(B.tag_options, lambda tag: rx.el.option(value=tag)),
                       id=f"{control_id}-options"),
        field_error(B.errors, "tag", control_id),
        spacing="1", width="100%",
    )


def _channel_field() -> rx.Component:
    return select_field(T["bulkui_channel"], "channel_id", B.channels, B.errors, form_id=FORM)


def _flag_fields() -> rx.Component:
    return rx.vstack(
        select_field(T["bulkui_flag"], "flag", [("is_supplier", T["bulkui_flag_is_supplier"]),
                                                ("is_conflictive", T["bulkui_flag_is_conflictive"])],
                     B.errors, form_id=FORM),
        select_field(T["bulkui_flag_value"], "value",
                     [("1", T["bulkui_flag_set"]), ("0", T["bulkui_flag_clear"])], B.errors, form_id=FORM),
        spacing="3", width="100%",
    )


def _account_result(row) -> rx.Component:
    return rx.el.li(rx.button(row.name, type="button", variant="ghost", on_click=B.choose_account(row.id),
                              width="100%", justify="start"))


def _account_fields() -> rx.Component:
    control_id = f"{FORM}-account"
    chosen = rx.hstack(
        rx.icon("building_2", size=18, aria_hidden="true"),
        rx.text(B.account_name, weight="medium"),
        rx.spacer(),
        rx.button(T["bulkui_account_change"], type="button", variant="soft", size="2",
                  on_click=B.clear_account),
        role="group", aria_label=T["bulkui_account"], align="center", width="100%",
    )
    search = rx.vstack(
        rx.el.label(T["bulkui_account"], html_for=control_id, class_name="crm-label"),
        rx.input(id=control_id, name="account_search", type="search", value=B.account_query,
                 on_change=B.search_accounts,
                 debounce_timeout=250, auto_complete="off", placeholder=T["bulkui_account_placeholder"],
                 width="100%", **invalid_props(B.errors, "account_id", control_id)),
        rx.el.ul(rx.foreach(B.account_results, _account_result), aria_label=T["bulkui_account_results"],
                 style={"listStyle": "none", "padding": 0, "margin": 0, "width": "100%"}),
        field_error(B.errors, "account_id", control_id),
        spacing="1", width="100%",
    )
    return rx.vstack(
        rx.cond(B.account_id != 0, chosen, search),
        select_field(T["bulkui_role"], "role", [(r, T[f"member_role_{r}"]) for r in MEMBER_ROLES], B.errors,
                     form_id=FORM),
        spacing="3", width="100%",
    )


def _template_fields() -> rx.Component:
    return rx.vstack(
        select_field(T["bulkui_template"], "template_id", B.templates, B.errors, form_id=FORM),
        rx.callout(T["bulkui_consent_note"], icon="shield_check", size="1", color_scheme="blue"),
        spacing="3", width="100%",
    )


def bulk_dialog() -> rx.Component:
    fields = rx.match(
        B.dialog_kind,
        ("tag_add", "tag_remove", _tag_field()),
        ("set_channel", _channel_field()),
        ("set_flag", _flag_fields()),
        ("add_to_account", _account_fields()),
        ("send_template", _template_fields()),
        ("trash", rx.text(T["bulkui_trash_note"], size="2")),
        rx.fragment(),
    )
    apply = rx.button(T["bulkui_apply"], type="submit",
                      color_scheme=rx.cond(B.dialog_kind == "trash", "red", "indigo"))
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(B.dialog_title, custom_attrs=TITLE_LEVEL),
            rx.dialog.description(B.dialog_text, size="2"),
            rx.form(
                rx.vstack(
                    form_error_banner(B.form_error),
                    fields,
                    dialog_buttons(apply),
                    focus_first_invalid(B.refusals),
                    spacing="3", width="100%", margin_top="0.75em",
                ),
                on_submit=B.confirm,
                reset_on_submit=False,
                key=B.generation,
            ),
            max_width="32em", max_height="92vh", overflow_y="auto",
        ),
        open=B.dialog_kind != "",
        on_open_change=B.set_dialog_open,
    )


def bulk_result() -> rx.Component:
    """What the last action did, with Undo (a banner, not a toast: it stays until dismissed); while it
    runs as a job, its progress with Cancel."""
    banner = rx.callout.root(
        rx.callout.icon(rx.icon("circle_check", size=18)),
        rx.callout.text(
            B.result_text, " ",
            rx.cond(B.result_can_undo, rx.button(T["bulkui_undo"], size="1", variant="soft", on_click=B.undo,
                                                 margin_left="0.5em")),
            rx.button(rx.icon("x", size=14), size="1", variant="ghost", color_scheme="gray",
                      on_click=B.dismiss_result, aria_label=T["bulkui_dismiss"], margin_left="0.5em"),
        ),
        color_scheme="green", role="status", width="100%",
    )
    progress = job_progress(B.result_text, B.job_percent, B.job_text, label=T["bulkui_progress_label"],
                            on_cancel=B.cancel_job, cancel_label=T["bulkui_cancel_job"])
    return rx.cond(B.result_id != 0, rx.cond(B.result_active, progress, banner))
