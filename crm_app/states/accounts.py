"""The accounts list: search, sort and page cursor live in the URL (``/accounts?q=&sort=&after=``),
``load`` (on_load) reads them back; one page of rows is held in state."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.accounts import ACCOUNT_SORTS, AccountQuery, AccountRow
from crm_app.domain.errors import ValidationFailed
from crm_app.services import accounts as account_service
from crm_app.states.session import SessionState, authorized

PAGE_SIZE = 25


@dataclasses.dataclass
class AccountListRow:
    id: int
    name: str
    tax_id: str
    city: str
    industry: str
    owner: str
    members: int


def _row(r: AccountRow) -> AccountListRow:
    return AccountListRow(
        id=r.id,
        name=r.name,
        tax_id=r.tax_id_formatted,
        city=r.city,
        industry=r.industry,
        owner=r.owner_name,
        members=r.member_count,
    )


class AccountsState(SessionState):
    rows: list[AccountListRow] = []
    search: str = ""
    sort: str = "name"
    cursor: str = ""
    next_cursor: str = ""
    loaded: bool = False
    confirm_id: int = 0
    confirm_name: str = ""

    def _read_url(self) -> None:
        params = self.router.url.query_parameters
        self.search = params.get("q", "")[:100]
        self.sort = params.get("sort", "name") if params.get("sort") in ACCOUNT_SORTS else "name"
        self.cursor = params.get("after", "")[:500]

    def _url(self, **changes: str) -> str:
        current = {"q": self.search, "sort": "" if self.sort == "name" else self.sort, "after": ""}
        current.update(changes)  # any change but "after" starts again at the first page
        query = urlencode({k: v for k, v in current.items() if v})
        return "/accounts" + (f"?{query}" if query else "")

    def _fetch(self, actor) -> None:
        def page(cursor: str):
            query = AccountQuery(search=self.search, sort=self.sort, after=cursor, limit=PAGE_SIZE)
            return account_service.list_accounts(session=session, actor=actor, query=query)

        with session_scope() as session:
            try:
                result = page(self.cursor)
            except ValidationFailed:  # a hand-edited cursor: the first page instead
                self.cursor = ""
                result = page("")
        self.rows = [_row(r) for r in result.rows]
        self.next_cursor = result.next_cursor
        self.loaded = True

    @authorized()
    def load(self, actor):
        self._read_url()
        self.confirm_id = 0
        self._fetch(actor)

    @rx.event
    def set_search(self, value: str):
        value = value[:100]
        old, new = self.search.strip().lower(), value.strip().lower()
        refining = bool(old) and (new.startswith(old) or old.startswith(new))
        return rx.redirect(self._url(q=value), replace=refining)

    @rx.event
    def set_sort(self, value: str):
        if value in ACCOUNT_SORTS:
            return rx.redirect(self._url(sort="" if value == "name" else value))
        return None

    @rx.event
    def next_page(self):
        return rx.redirect(self._url(after=self.next_cursor)) if self.next_cursor else None

    @rx.event
    def first_page(self):
        return rx.redirect(self._url())

    @rx.event
    def ask_delete(self, account_id: int, name: str):
        self.confirm_id, self.confirm_name = int(account_id), str(name)[:200]

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @authorized()
    def confirm_delete(self, actor):
        account_id, self.confirm_id = self.confirm_id, 0
        with session_scope() as session:
            name = account_service.delete_account(session=session, actor=actor, account_id=account_id)
        self._fetch(actor)
        return rx.toast.success(self._t("account_deleted", name=name))
