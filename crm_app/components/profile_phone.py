"""The customer profile on a phone: the sections as tabs (Summary, Activity, Messages, Files) and an
action bar fixed at the bottom (Call, WhatsApp, SMS, Directions, Comment, Task).

Desktop keeps its two columns (pages/customer.py); ``wide_or_narrow`` renders only one of the two.
Call, WhatsApp, SMS and Directions are plain links to the phone's own apps (and map); Comment and Task
open the feed's composer, whose handlers check the session and the customer as they always do.
"""

from __future__ import annotations

import reflex as rx

from crm_app.components.reach_links import directions_href
from crm_app.states.customer_profile import CustomerState
from crm_app.states.profile_tabs import TABS, ProfileTabsState

S = CustomerState
T = S.tr
P = ProfileTabsState


def profile_tabs(panels: dict[str, rx.Component]) -> rx.Component:
    """One Radix tab per section (arrow keys move between them); the chosen one is in the URL."""
    return rx.tabs.root(
        rx.tabs.list(
            *[rx.tabs.trigger(T[f"profile_tab_{name}"], value=name, class_name="crm-profile-tab")
              for name in TABS],
            aria_label=T["profile_sections"],
            width="100%",
        ),
        *[rx.tabs.content(rx.box(panels[name], padding_top="0.75em"), value=name) for name in TABS],
        value=P.tab,
        on_change=P.show,
        width="100%",
    )


def _action(icon: str, label: rx.Var, element=rx.el.button, **props) -> rx.Component:
    return element(rx.icon(icon, size=20, aria_hidden="true"), rx.el.span(label), class_name="crm-action",
                   **props)


def action_bar() -> rx.Component:
    """Fixed to the bottom of the screen; the page keeps room for it (``.crm-profile-phone``)."""
    return rx.el.nav(
        rx.cond(
            S.call_e164 != "",
            _action("phone", T["call"], rx.el.a, href="tel:" + S.call_e164,
                    aria_label=T["call"].to(str) + " " + S.call_number),
        ),
        rx.cond(
            S.whatsapp_e164 != "",
            _action("message_circle", T["whatsapp"], rx.el.a,
                    href="https://wa.me/" + S.whatsapp_e164.to(str).replace("+", ""),
                    target="_blank", rel="noopener noreferrer",
                    aria_label=T["whatsapp_chat"].to(str) + " " + S.whatsapp_number),
        ),
        rx.cond(
            S.sms_e164 != "",
            _action("message_square_text", T["sms"], rx.el.a, href="sms:" + S.sms_e164,
                    aria_label=T["reach_sms"].to(str) + " " + S.sms_number),
        ),
        rx.cond(
            S.latitude != "",
            _action("navigation", T["reach_directions_short"], rx.el.a,
                    href=directions_href(S.latitude, S.longitude), target="_blank",
                    rel="noopener noreferrer", aria_label=T["reach_directions"].to(str) + " " + S.name),
        ),
        _action("message_square", T["action_comment"], type="button", on_click=P.compose("comment")),
        _action("list_checks", T["task"], type="button", aria_label=T["action_task"],
                on_click=P.compose("task")),
        aria_label=T["quick_actions"],
        class_name="crm-action-bar",
    )
