"""The accounts list: search, sort and page cursor live in the URL (``/accounts?q=&sort=&after=``),
``load`` (on_load) reads them back; one page of rows is held in state."""

from __future__ import annotations

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.accounts import ACCOUNT_SORTS, AccountQuery, AccountRow
from crm_app.services import account_list
from crm_app.services import accounts as account_service
from crm_app.states.dialogs import dialog_flags
from crm_app.states.list_query import KeysetListState, list_url
from crm_app.states.session import SessionState, authorized

PAGE_SIZE = 25




@dialog_flags("confirm_id")
class AccountsState(KeysetListState, SessionState):
    rows: list[AccountRow] = []

    def _url(self, **changes: str) -> str:
        current = {"q": self.search, "sort": "" if self.sort == "name" else self.sort}
        return list_url("/accounts", current, changes)

    def _fetch(self, actor) -> None:
        def page(cursor: str):
            query = AccountQuery(search=self.search, sort=self.sort, after=cursor, limit=PAGE_SIZE)
            return account_list.list_accounts(session=session, actor=actor, query=query)

        with session_scope() as session:
            self._show_page(page, lambda row: row)

    @authorized()
    def load(self, actor):
        self._read_list_params(ACCOUNT_SORTS)
        self.confirm_id = 0
        self._fetch(actor)

    @rx.event
    def set_sort(self, value: str):
        if value in ACCOUNT_SORTS:
            return rx.redirect(self._url(sort="" if value == "name" else value))
        return None

    @authorized()
    def confirm_delete(self, actor):
        account_id = self._confirmed()
        with session_scope() as session:
            name = account_service.delete_account(session=session, actor=actor, account_id=account_id)
        self._fetch(actor)
        return rx.toast.success(self._t("account_deleted", name=name))
