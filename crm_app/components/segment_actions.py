"""The customer list's toolbar actions for campaigns (admins): "Guardar segmento" saves the list's current
filters under a name; "Enviar campaña a esta lista" opens a new campaign with those filters.

Placed by the customer list (components/customer_list_actions.py): ``segment_buttons()`` next to the
export buttons on wide screens, ``segment_menu_items()`` in a phone's menu, and ``segment_dialog()`` once
for both. For admins, hidden in the trash."""

from __future__ import annotations

import reflex as rx
from reflex.components.react_router.dom import ReactRouterLink
from reflex.vars import Var

from crm_app.components.controls import link_button
from crm_app.components.dialogs import TITLE_LEVEL, dialog_buttons, dialog_content, focus_first_invalid
from crm_app.components.forms import text_field
from crm_app.states.campaign_segments import SegmentActionsState
from crm_app.states.customers import CustomersState
from crm_app.states.session import ShellState

S = SegmentActionsState
T = S.tr


def segment_dialog() -> rx.Component:
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


def _shown() -> Var:
    return ShellState.is_admin & ~CustomersState.trash


def _campaign_href() -> Var:
    return "/campaigns/new?" + CustomersState.export_query


def segment_buttons() -> rx.Component:
    """Both actions as buttons (the dialog is ``segment_dialog()``'s)."""
    return rx.cond(
        _shown(),
        rx.hstack(
            rx.button(rx.icon("bookmark_plus", size=16, aria_hidden="true"), T["campaign_segment_save"],
                      variant="soft", on_click=S.open_save),
            link_button("megaphone", T["campaign_send_to_list"], _campaign_href()),
            spacing="2", wrap="wrap",
        ),
    )


def segment_menu_items() -> rx.Component:
    return rx.cond(
        _shown(),
        rx.fragment(
            rx.menu.item(T["campaign_segment_save"], on_select=S.open_save),
            rx.menu.item(ReactRouterLink.create(T["campaign_send_to_list"], to=_campaign_href()),
                         as_child=True),
        ),
    )
