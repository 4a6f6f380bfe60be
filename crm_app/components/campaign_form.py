"""A draft campaign's form (pages/campaign.py): name, e-mail template, segment (a saved one or the list's
filters it was opened with) with its audience, a test to oneself, and "send now" or "schedule"."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import confirm_dialog, focus_first_invalid
from crm_app.components.forms import field_error, form_error_banner, invalid_props, labelled
from crm_app.states.campaign import CampaignState

S = CampaignState
T = S.tr
E = S.errors


def _name() -> rx.Component:
    control = rx.input(id="campaign-name", value=S.name, on_change=S.set_name, debounce_timeout=300,
                       max_length=100, width="100%", **invalid_props(E, "name", "campaign-name"))
    return labelled(T["campaign_name"], "campaign-name", control, E, "name")


def _template() -> rx.Component:
    control = rx.el.select(
        rx.el.option(T["campaign_template_choose"], value=""),
        rx.foreach(S.templates, lambda o: rx.el.option(o[1], value=o[0])),
        id="campaign-template", value=S.template_id, on_change=S.set_template, class_name="crm-select",
        **invalid_props(E, "template_id", "campaign-template"),
    )
    hint = rx.cond(S.templates.length() == 0,
                   rx.text(T["campaign_no_templates"], " ",
                           rx.link(T["campaign_templates_link"], href="/templates"),
                           size="1", color_scheme="gray"))
    return rx.vstack(labelled(T["campaign_template"], "campaign-template", control, E, "template_id"), hint,
                     spacing="1", width="100%")


def _segment() -> rx.Component:
    control = rx.el.select(
        # "" is the list's filters the page was opened with, or no choice yet.
        rx.el.option(rx.cond(S.has_filters, T["campaign_segment_from_list"], T["campaign_segment_choose"]),
                     value=""),
        rx.foreach(S.segments, lambda o: rx.el.option(o[1], value=o[0])),
        id="campaign-segment", value=S.segment_id, on_change=S.set_segment, class_name="crm-select",
        **invalid_props(E, "segment", "campaign-segment"),
    )
    summary = rx.hstack(
        rx.text(S.segment_text, size="2", weight="medium"),
        rx.cond(S.segment_link != "",
                rx.link(T["campaign_see_list"], href=S.segment_link, size="2", is_external=True)),
        spacing="2", wrap="wrap", align="baseline",
    )
    return rx.vstack(
        labelled(T["campaign_segment"], "campaign-segment", control),
        rx.cond(S.segment_text != "", summary),
        rx.cond((S.segments.length() == 0) & ~S.has_filters,
                rx.text(T["campaign_no_segments"], " ",
                        rx.link(T["campaign_customers_link"], href="/customers"),
                        size="1", color_scheme="gray")),
        field_error(E, "segment", "campaign-segment"),
        spacing="1", width="100%",
    )


def _audience() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.button(rx.icon("users", size=16, aria_hidden="true"), T["campaign_count"], variant="soft",
                      on_click=S.count_audience, loading=S.counting, type="button"),
            rx.text(S.audience_text, size="2", aria_live="polite", role="status"),
            spacing="3", align="center", wrap="wrap",
        ),
        spacing="1", width="100%",
    )


def _test() -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("send", size=16, aria_hidden="true"), T["campaign_test_send"], variant="soft",
                  on_click=S.send_test, type="button"),
        rx.cond(S.test_sent_to != "", rx.text(S.test_sent_to, size="2", color_scheme="green", role="status")),
        spacing="3", align="center", wrap="wrap",
    )


def _when_choice(mode: str) -> rx.Component:
    chosen = S.send_mode == mode
    return rx.el.label(
        rx.el.input(type="radio", name="campaign-when", value=mode, checked=chosen,
                    on_change=S.set_send_mode(mode)),
        rx.text(T[f"campaign_when_{mode}"], as_="span", size="2"),
        class_name="crm-check",
    )


def _schedule() -> rx.Component:
    day = rx.input(id="campaign-day", type="date", value=S.schedule_day, on_change=S.set_schedule_day,
                   **invalid_props(E, "scheduled_at", "campaign-day"))
    clock = rx.input(id="campaign-time", type="time", value=S.schedule_time, on_change=S.set_schedule_time)
    return rx.vstack(
        rx.el.fieldset(
            rx.el.legend(T["campaign_when"], class_name="crm-label"),
            rx.hstack(_when_choice("now"), _when_choice("later"), spacing="4", wrap="wrap"),
            border="none", padding="0", margin="0", min_width="0",
        ),
        rx.cond(
            S.send_mode == "later",
            rx.vstack(
                rx.hstack(
                    labelled(T["campaign_day"], "campaign-day", day),
                    labelled(T["campaign_time"], "campaign-time", clock),
                    spacing="3", wrap="wrap",
                ),
                rx.text(S.zone_hint, size="1", color_scheme="gray"),
                spacing="1",
            ),
        ),
        field_error(E, "scheduled_at", "campaign-day"),
        spacing="2", width="100%",
    )


def campaign_form() -> rx.Component:
    start_label = rx.cond(S.send_mode == "later", T["campaign_schedule"], T["campaign_send_now"])
    return rx.vstack(
        form_error_banner(S.form_error),
        rx.card(
            rx.vstack(
                _name(), _template(), _segment(), _audience(),
                focus_first_invalid(S.refusals),
                spacing="4", width="100%",
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading(T["campaign_send_heading"], size="4", as_="h2"),
                _test(),
                rx.divider(),
                _schedule(),
                rx.hstack(
                    rx.button(T["campaign_save_draft"], variant="soft", on_click=S.save, type="button"),
                    rx.button(rx.icon("megaphone", size=16, aria_hidden="true"), start_label,
                              on_click=S.ask_start, type="button"),
                    rx.cond(S.campaign_id != 0,
                            rx.button(T["campaign_delete"], variant="ghost", color_scheme="red",
                                      on_click=S.set_confirm_delete(True), type="button")),
                    spacing="3", wrap="wrap",
                ),
                spacing="3", width="100%",
            ),
            width="100%",
        ),
        confirm_dialog(S.confirm_start, S.confirm_text, S.start, S.cancel_start),
        confirm_dialog(S.confirm_delete, T["campaign_confirm_delete"].to(str).replace("{name}", S.name),
                       S.delete, S.set_confirm_delete(False)),
        spacing="4", width="100%",
    )
