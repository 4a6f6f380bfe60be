"""The customer profile's "Accounts" card: the accounts he belongs to, with his role, linked.

Self-contained (its own small state, states/customer_accounts.py, loaded when it mounts) so the profile
page embeds it with one call, ``customer_accounts()``; it is keyed by the customer's id so going to another
customer reloads it.
"""

from __future__ import annotations

import reflex as rx

from crm_app.states.customer_accounts import CustomerAccountsState
from crm_app.states.customer_profile import CustomerState

T = CustomerAccountsState.tr


def customer_accounts() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["customer_accounts_title"], size="3", as_="h2"),
            rx.cond(
                CustomerAccountsState.items.length() == 0,
                rx.text(T["customer_no_accounts"], size="2", color_scheme="gray"),
            ),
            rx.foreach(
                CustomerAccountsState.items,
                lambda a: rx.hstack(
                    rx.link(a.name, href="/accounts/" + a.id.to_string()),
                    rx.badge(T["member_role_" + a.role.to(str)], variant="outline", size="1"),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        key=CustomerState.customer_id.to_string(),
        on_mount=CustomerAccountsState.load,
    )
