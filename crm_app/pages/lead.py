"""/leads/new and /leads/[lead_id]: a lead's form (name, phone, e-mail, source, owner, next step, notes),
its status actions (lost asks why), "Convert to customer", the customer it became, its history, and
delete for admins."""

import reflex as rx

from crm_app.components.controls import link_button
from crm_app.components.dialogs import (
    TITLE_LEVEL,
    confirm_dialog,
    dialog_buttons,
    dialog_content,
    focus_first_invalid,
)
from crm_app.components.empty_state import empty_state
from crm_app.components.feed import when
from crm_app.components.forms import form_error_banner, invalid_props, labelled, text_field
from crm_app.components.lead_conversion import lead_conversion_dialog
from crm_app.pages.base import loading, page
from crm_app.pages.leads import lead_status_badge
from crm_app.states.feed_items import FeedItem
from crm_app.states.lead_conversion import LeadConversionState
from crm_app.states.lead_form import LeadFormState
from crm_app.states.session import ShellState

S = LeadFormState
T = S.tr
E = S.errors
EDIT = S.mode == "edit"
WON = S.status == "won"
HAS_CUSTOMER = S.customer_id != 0


def _heading() -> rx.Component:
    return rx.vstack(
        rx.link(T["back_to_leads"], href="/leads"),
        rx.hstack(
            rx.heading(rx.cond(EDIT, S.name, T["new_lead"]), size="6", as_="h1"),
            rx.cond(EDIT, lead_status_badge(S.status, S.status_label)),
            spacing="3", align="center", wrap="wrap",
        ),
        rx.cond(EDIT, rx.text(T["lead_created_at"].to(str).replace("{when}", S.created), size="2",
                              color_scheme="gray")),
        rx.cond(S.lost_reason != "",
                rx.text(T["lead_lost_because"].to(str).replace("{reason}", S.lost_reason), size="2")),
        spacing="2", width="100%",
    )


def _customer() -> rx.Component:
    """The customer the lead became (or was linked to), with a link to his profile."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("user_check", aria_hidden="true")),
        rx.callout.text(
            rx.cond(S.converted != "", T["lead_customer_is"], T["lead_about_customer"]), " ",
            rx.link(S.customer_name, href="/customers/" + S.customer_id.to_string(), weight="medium"),
            rx.cond(S.converted != "", rx.text(" · ", S.converted, as_="span", color_scheme="gray")),
        ),
        color_scheme="green", width="100%",
    )


def _select(label_key: str, name: str, options, blank_key: str | None) -> rx.Component:
    control_id = f"lead-{name}"
    control = rx.el.select(
        *([rx.el.option(T[blank_key], value="")] if blank_key else []),
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
        id=control_id, name=name, default_value=S.values.get(name, ""), class_name="crm-select",
        **invalid_props(E, name, control_id),
    )
    return labelled(T[label_key], control_id, control, E, name)


def _form() -> rx.Component:
    def field(label_key: str, name: str, **props) -> rx.Component:
        return text_field(T[label_key], name, E, form_id="lead", default_value=S.values.get(name, ""),
                          **props)

    notes = rx.text_area(id="lead-notes", name="notes", default_value=S.values.get("notes", ""), rows="4",
                         width="100%", **invalid_props(E, "notes", "lead-notes"))
    return rx.form(
        rx.vstack(
            field("lead_name", "name", required=True, auto_focus=~EDIT),
            rx.grid(
                field("lead_phone", "phone", type="tel", auto_complete="off"),
                field("lead_email", "email", type="email", auto_complete="off"),
                _select("lead_source", "channel_id", S.channels, "channel_none"),
                _select("lead_owner", "owner_id", S.owners, None),
                field("lead_next_step", "next_step_on", type="date"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            labelled(T["lead_notes"], "lead-notes", notes, E, "notes"),
            rx.button(rx.cond(EDIT, T["lead_save"], T["lead_create"]), type="submit", size="3"),
            focus_first_invalid(S.refusals),
            spacing="3", width="100%",
        ),
        on_submit=S.submit,
        key=S.generation,
        width="100%",
    )


def _actions() -> rx.Component:
    moves = rx.flex(
        rx.foreach(S.moves, lambda m: rx.button(
            m[1], variant="soft", color_scheme=rx.cond(m[0] == "lost", "red", "indigo"),
            on_click=S.change_status(m[0]), aria_label=T["lead_move_to"].to(str).replace("{status}", m[1]),
        )),
        spacing="2", wrap="wrap",
    )
    convert = rx.button(rx.icon("user_plus", size=16, aria_hidden="true"), T["lead_convert"], size="3",
                        on_click=LeadConversionState.open_for(S.shown_id))
    return rx.card(
        rx.vstack(
            rx.heading(T["lead_actions"], size="4", as_="h2"),
            rx.cond(WON, rx.text(T["lead_won_hint"], size="2", color_scheme="gray"),
                    rx.vstack(rx.cond(HAS_CUSTOMER, rx.fragment(), convert), moves, spacing="3")),
            rx.cond(ShellState.is_admin, rx.button(T["lead_delete"], variant="ghost", color_scheme="red",
                                                   on_click=S.set_confirm_delete(True))),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _history_row(item: FeedItem) -> rx.Component:
    return rx.el.li(
        rx.text(rx.text(item.author, as_="span", weight="bold"), " ", item.summary, " · ",
                when(item.when, item.when_exact), size="2"),
        class_name="crm-feed-item",
    )


def _history() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["lead_history"], size="4", as_="h2"),
            rx.el.ul(rx.foreach(S.history, _history_row), class_name="crm-feed-list"),
            rx.cond(S.history_more, rx.button(T["feed_load_more"], variant="soft", on_click=S.more_history)),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _lost_dialog() -> rx.Component:
    reason = text_field(T["lead_lost_reason"], "lost_reason", E, form_id="lost", auto_focus=True,
                        max_length=200)
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T["lead_lost_title"], custom_attrs=TITLE_LEVEL),
            rx.form(
                rx.vstack(
                    reason,
                    dialog_buttons(rx.button(T["lead_mark_lost"], type="submit", color_scheme="red")),
                    focus_first_invalid(S.refusals),
                    spacing="3", width="100%",
                ),
                on_submit=S.confirm_lost,
                reset_on_submit=False,
            ),
            max_width="30em",
        ),
        open=S.lost_open,
        on_open_change=S.set_lost_open,
    )


def _content() -> rx.Component:
    return rx.vstack(
        _heading(),
        form_error_banner(S.form_error),
        rx.cond(HAS_CUSTOMER, _customer()),
        rx.card(_form(), width="100%"),
        rx.cond(EDIT, _actions()),
        rx.cond(EDIT, _history()),
        _lost_dialog(),
        confirm_dialog(S.confirm_delete, T["lead_confirm_delete"].to(str).replace("{name}", S.name),
                       S.delete, S.set_confirm_delete(False)),
        lead_conversion_dialog(),
        spacing="4", width="100%", max_width="56em",
    )


def _lead_page() -> rx.Component:
    not_found = empty_state("search_x", T["lead_not_found"], T["lead_not_found_hint"],
                            link_button("arrow_left", T["back_to_leads"], "/leads"))
    return rx.cond(S.loaded, rx.cond(S.found, _content(), not_found), loading())


@page("/leads/new", "title_new_lead", on_load=[LeadFormState.load])
def new_lead() -> rx.Component:
    return _lead_page()


@page("/leads/[lead_id]", "title_lead", on_load=[LeadFormState.load])
def lead() -> rx.Component:
    return _lead_page()
