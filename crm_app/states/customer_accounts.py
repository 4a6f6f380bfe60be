"""The state of the customer profile's "Accounts" card (components/customer_accounts.py): the accounts
the customer in the URL belongs to, with his role."""

from __future__ import annotations

import dataclasses

from crm_app.db import session_scope
from crm_app.domain.errors import NotFound
from crm_app.services import account_members as member_service
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
