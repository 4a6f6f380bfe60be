"""The customer list's toolbar actions for campaigns (admins): "Guardar segmento" saves the list's current
filters under a name; "Enviar campaña a esta lista" opens a new campaign with those filters.

Placed by pages/customers.py: ``segment_actions()`` next to the export buttons. Hidden in the trash."""

from __future__ import annotations

import reflex as rx

from crm_app.components.controls import link_button
from crm_app.components.dialogs import TITLE_LEVEL, dialog_buttons, dialog_content, focus_first_invalid
from crm_app.components.forms import text_field
from crm_app.states.campaign_segments import SegmentActionsState
from crm_app.states.customers import CustomersState
from crm_app.states.session import ShellState

S = SegmentActionsState
T = S.tr


def _save_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T["campaign_segment_save_title"], custom_attrs=TITLE_LEVEL),
            rx.dialog.description(T["campaign_segment_save_hint"], size="2"),
            rx.form(
                rx.vstack(
                    text_field(T["campaign_segment_name"], "name", S.errors, form_id="segment",
                               max_length=100, auto_focus=True),
                    dialog_buttons(rx.button(T["campaign_segment_save"], type="submit")),
                    focus_first_invalid(S.refusals),
                    spacing="3", width="100%", margin_top="0.75em",
                ),
                on_submit=S.save,
                reset_on_submit=False,
                key=S.generation,
            ),
            max_width="30em",
        ),
        open=S.save_open,
        on_open_change=S.set_save_open,
    )


def segment_actions() -> rx.Component:
    """Both actions, for admins, outside the trash."""
    return rx.cond(
        ShellState.is_admin & ~CustomersState.trash,
        rx.hstack(
            rx.button(rx.icon("bookmark_plus", size=16, aria_hidden="true"), T["campaign_segment_save"],
                      variant="soft", on_click=S.open_save),
            link_button("megaphone", T["campaign_send_to_list"],
                        "/campaigns/new?" + CustomersState.export_query),
            _save_dialog(),
            spacing="2", wrap="wrap",
        ),
    )
