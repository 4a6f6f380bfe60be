"""The customer profile's "Accounts" card: the accounts he belongs to, with his role, linked.

Self-contained (its own small state, loaded when it mounts) so the profile page embeds it with one
call, ``customer_accounts()``; it is keyed by the customer's id so going to another customer reloads it.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.errors import NotFound
from crm_app.services import account_members as member_service
from crm_app.states.customer_profile import CustomerState
from crm_app.states.session import SessionState, authorized


@dataclasses.dataclass
class CustomerAccountView:
    id: int
    name: str
    role: str


class CustomerAccountsState(SessionState):
    items: list[CustomerAccountView] = []

    @authorized()
    def load(self, actor):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            with session_scope() as session:
                found = member_service.customer_accounts(
                    session=session,
                    actor=actor,
                    customer_id=int(raw) if raw.isdigit() and len(raw) < 12 else 0,
                )
        except NotFound:
            found = []
        self.items = [CustomerAccountView(id=a.account_id, name=a.name, role=a.role) for a in found]


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
