"""One customer's profile: header (contact links, flags, key facts), data sections, and the feed.

Desktop: data on the left, feed on the right. Phone: the header, then one tab per section (Summary,
Activity, Messages, Files) and an action bar at the bottom (components/profile_phone.py). Other areas
add their card to ``_sections`` and to one of the phone's tabs, with one call each.
"""

import reflex as rx

from crm_app.components.controls import edit_delete_buttons
from crm_app.components.customer_accounts import customer_accounts
from crm_app.components.customer_badges import flags, tag_badges, type_label
from crm_app.components.customer_files import customer_files_card
from crm_app.components.customer_form import customer_form_dialog
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.feed import feed_panel
from crm_app.components.leaflet_map import location_card
from crm_app.components.mounted import AfterPaint
from crm_app.components.profile_merge import profile_merge_banner
from crm_app.components.profile_phone import action_bar, profile_tabs
from crm_app.components.responsive import wide_or_narrow
from crm_app.components.send_message import send_message_panel
from crm_app.domain.customers import PhoneDTO
from crm_app.pages.base import loading, page, status_page
from crm_app.pages.customer_purchases import purchases_card
from crm_app.states.customer_documents import CustomerDocumentsState
from crm_app.states.customer_feed import CustomerFeedState
from crm_app.states.customer_form import CustomerFormState
from crm_app.states.customer_profile import CustomerState, EmailView
from crm_app.states.profile_merge import ProfileMergeState
from crm_app.states.profile_tabs import ProfileTabsState

S = CustomerState
T = S.tr


def _phone(p: PhoneDTO) -> rx.Component:
    digits = p.e164.to(str).replace("+", "")
    return rx.hstack(
        rx.link(p.international, href="tel:" + p.e164, aria_label=T["call"].to(str) + " " + p.international),
        rx.badge(T["phone_kind_" + p.kind.to(str)], variant="outline", size="1"),
        rx.cond(p.label != "", rx.text(p.label, size="1", color_scheme="gray")),
        rx.cond(
            p.whatsapp,
            rx.link(
                rx.badge(T["whatsapp"], color_scheme="green"),
                href="https://wa.me/" + digits,
                is_external=True,
                aria_label=T["whatsapp_chat"].to(str) + " " + p.international,
            ),
        ),
        rx.cond(p.viber, rx.badge(T["viber"], color_scheme="purple")),
        rx.cond(
            p.sms,
            rx.link(rx.badge(T["sms"], color_scheme="gray"), href="sms:" + p.e164,
                    aria_label=T["reach_sms"].to(str) + " " + p.international),
        ),
        rx.cond(p.primary, rx.badge(T["primary"], color_scheme="teal")),
        spacing="2",
        wrap="wrap",
        align="center",
    )


def _email(e: EmailView) -> rx.Component:
    return rx.hstack(
        rx.link(e.address, href="mailto:" + e.address, class_name="crm-value",
                aria_label=T["write_email"].to(str) + " " + e.address),
        rx.cond(e.accepts_email, rx.badge(T["accepts_email"], color_scheme="green", size="1")),
        rx.cond(e.primary, rx.badge(T["primary"], color_scheme="teal", size="1")),
        spacing="2",
        wrap="wrap",
        align="center",
    )


def _header() -> rx.Component:
    return rx.vstack(
        rx.link(T["back_to_list"], href="/customers", size="2"),
        rx.hstack(
            rx.heading(S.name, size="7", as_="h1"),
            flags(S.supplier, S.conflictive, size=24),
            rx.spacer(),
            rx.cond(
                S.deleted,
                rx.button(T["restore"], on_click=S.restore),
                edit_delete_buttons(CustomerFormState.open_edit(S.customer_id), S.set_confirm_delete(True)),
            ),
            width="100%",
            align="center",
            wrap="wrap",
            spacing="3",
        ),
        rx.hstack(
            rx.badge(type_label(S.client_type), size="2"), tag_badges(S.tags), spacing="2", wrap="wrap"
        ),
        rx.cond(S.conflictive, rx.callout(T["conflictive"], icon="triangle_alert", color_scheme="red")),
        _contact(),
        _facts(),
        rx.cond(S.deleted, rx.callout(T["in_trash"], icon="trash_2", color_scheme="amber")),
        spacing="2",
        width="100%",
    )


def _contact() -> rx.Component:
    """Every phone (call, WhatsApp) and e-mail as links, the primary ones marked."""
    return rx.flex(
        rx.foreach(S.phones, _phone),
        rx.foreach(S.emails, _email),
        direction="column",
        spacing="1",
        aria_label=T["contact"],
        role="group",
    )


def _facts() -> rx.Component:
    return rx.cond(
        S.facts.length() > 0,
        rx.data_list.root(
            rx.foreach(
                S.facts,
                lambda f: rx.data_list.item(rx.data_list.label(T[f[0]]),
                                         rx.data_list.value(f[1], class_name="crm-value")),
            ),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            class_name="crm-facts",
        ),
    )


def _details_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["details"], size="4", as_="h2"),
            rx.data_list.root(
                rx.foreach(
                    S.fields,
                    lambda f: rx.data_list.item(
                        # Labels come translated from the state (custom fields have their own).
                        rx.data_list.label(f[0]),
                        rx.data_list.value(f[1], white_space="pre-wrap", class_name="crm-value"),
                    ),
                )
            ),
            spacing="2",
        ),
        width="100%",
    )


def _map() -> rx.Component:
    return location_card(S.latitude, S.longitude, title=T["map_location"])


def _sections() -> rx.Component:
    """The data column: each area adds one self-contained card reading its own state."""
    return rx.vstack(
        _details_card(),
        purchases_card(),
        customer_accounts(),
        send_message_panel(),
        _map(),
        customer_files_card(S.customer_id),
        spacing="4",
        width="100%",
        aria_label=T["profile_sections"],
    )


def _wide() -> rx.Component:
    return rx.grid(
        _sections(),
        feed_panel(),
        columns="minmax(0, 1fr) minmax(0, 1fr)",
        spacing="4",
        width="100%",
        align_items="start",
    )


def _narrow() -> rx.Component:
    """A phone: one section at a time, and the actions within reach of the thumb."""
    return rx.box(
        profile_tabs({
            # What he bought sits in the summary: a fifth tab would not fit a phone's width.
            "summary": rx.vstack(_details_card(), purchases_card(), customer_accounts(), _map(), spacing="4",
                                 width="100%"),
            "activity": feed_panel(),
            "messages": send_message_panel(),
            "files": customer_files_card(S.customer_id),
        }),
        action_bar(),
        width="100%",
        class_name="crm-profile-phone",
    )


@page("/customers/[customer_id]", "title_customer",
      on_load=[CustomerState.load, CustomerFeedState.load, CustomerDocumentsState.load,
               ProfileTabsState.load, ProfileMergeState.load])
def customer() -> rx.Component:
    return rx.cond(
        S.found,
        rx.vstack(
            _header(),
            profile_merge_banner(),  # admins, after a merge into this customer: Undo
            # Data left and feed right from md up; tabs and an action bar on a phone. Drawn once the
            # header is on screen: the cards and the feed are most of the page's rendering.
            AfterPaint.create(wide_or_narrow(_wide(), _narrow())),
            confirm_dialog(
                S.confirm_delete,
                T["confirm_delete_customer"].to(str).replace("{name}", S.name),
                S.delete,
                S.set_confirm_delete(False),
            ),
            customer_form_dialog(),
            spacing="4",
            width="100%",
        ),
        rx.cond(S.loaded, status_page("customer_not_found", "not_found_body", "404"), loading()),
    )
