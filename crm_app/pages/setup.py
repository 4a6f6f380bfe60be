"""First-run setup: the organization and its first admin."""

import reflex as rx

from crm_app.components.forms import select_field, text_field
from crm_app.domain.countries import COUNTRIES, CURRENCIES, TIMEZONES
from crm_app.pages.base import public_page
from crm_app.states.auth import SetupState

T = SetupState.tr
E = SetupState.errors


def _country_options():
    # The country names in both languages would need a Var; the native names read fine in both.
    return [(c.code, f"{c.name_es} ({c.code})") for c in sorted(COUNTRIES.values(), key=lambda c: c.name_es)]


@public_page("/setup", "title_setup", on_load=[SetupState.load])
def setup() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(T["setup_title"], size="6", as_="h1"),
            rx.text(T["setup_intro"], color_scheme="gray"),
            rx.heading(T["org_section"], size="4", as_="h2"),
            text_field(T["org_name"], "org_name", E, form_id="setup", required=True, auto_focus=True),
            select_field(T["country"], "country", _country_options(), E, form_id="setup",
                         value=SetupState.country, on_change=SetupState.pick_country),
            rx.grid(
                select_field(T["currency"], "currency", [(c, c) for c in CURRENCIES], E, form_id="setup",
                             value=SetupState.currency, on_change=SetupState.set_currency),
                select_field(T["timezone"], "timezone", [(z, z) for z in TIMEZONES], E, form_id="setup",
                             value=SetupState.timezone, on_change=SetupState.set_timezone),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            rx.heading(T["admin_section"], size="4", as_="h2"),
            text_field(T["admin_name"], "admin_name", E, form_id="setup", required=True),
            text_field(T["email"], "admin_email", E, form_id="setup", type="email", required=True),
            text_field(T["password"], "admin_password", E, form_id="setup", type="password",
                       hint=T["password_hint"], required=True),
            text_field(T["password_repeat"], "admin_password_repeat", E, form_id="setup",
                       type="password", required=True),
            rx.button(T["create_organization"], type="submit", size="3", width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=SetupState.submit,
        method="post",
    )
