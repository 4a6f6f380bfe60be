"""The sale list: its whole query lives in the URL (``/sales?q=&status=&method=&owner=&customer=&from=
&to=&after=``) and ``load`` (on_load) reads it back; one keyset page of rows is held in state, each with
its client, seller, method, total and date formatted for the reader.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.documents import PAYMENT_METHODS, SALE_STATUSES, DocumentQuery, document_number
from crm_app.domain.dto import Actor
from crm_app.domain.ids import parse_id
from crm_app.domain.local_time import Clock, money
from crm_app.domain.sales import SaleRow
from crm_app.services import sales as sale_service
from crm_app.services import tasks as task_service
from crm_app.states.clock import clock_for
from crm_app.states.list_query import KeysetListState, list_url
from crm_app.states.session import SessionState, authorized

PAGE_SIZE = 25
# The list's filters: the URL parameter of each (the search is "q", the cursor "after").
FILTERS = ("status", "method", "owner", "customer", "from", "to")


@dataclasses.dataclass
class SaleListRow:
    id: int
    number: str  # "#1024"
    status: str
    status_label: str
    method_label: str
    credit_owed: bool  # a credit sale not paid yet
    customer_id: int
    customer_name: str  # "" for a counter sale
    seller_name: str
    total: str
    created: str


def _day(raw: str) -> str:
    """A YYYY-MM-DD from the URL, or "" when it is not a date (a hand-edited address)."""
    try:
        return date.fromisoformat(raw).isoformat() if raw else ""
    except ValueError:
        return ""


def read_filters(params: dict[str, str]) -> dict[str, str]:
    """The filters of an address, each kept only when it is well formed."""
    ids = {name: str(parse_id(params.get(name, "")) or "") for name in ("owner", "customer")}
    status, method = params.get("status", ""), params.get("method", "")
    return {"status": status if status in SALE_STATUSES else "",
            "method": method if method in PAYMENT_METHODS else "", **ids,
            "from": _day(params.get("from", "")), "to": _day(params.get("to", ""))}


class SalesState(KeysetListState, SessionState):
    rows: list[SaleListRow] = []
    filters: dict[str, str] = {}
    owner_options: list[list[str]] = []  # [id, name] of the staff

    def _url(self, **changes: str) -> str:
        return list_url("/sales", {"q": self.search, **self.filters}, changes)

    def _query(self, cursor: str) -> DocumentQuery:
        f = self.filters
        return DocumentQuery(
            search=self.search, status=f["status"], method=f["method"], owner_id=parse_id(f["owner"]),
            customer_id=parse_id(f["customer"]), date_from=f["from"], date_to=f["to"], after=cursor,
            limit=PAGE_SIZE,
        )

    def _row(self, r: SaleRow, clock: Clock) -> SaleListRow:
        return SaleListRow(
            id=r.id, number=document_number(r.number), status=r.status,
            status_label=self._t(f"sale_status_{r.status}"),
            method_label=self._t(f"payment_method_{r.payment_method}"),
            credit_owed=r.payment_method == "credit" and r.status == "completed" and r.paid_at is None,
            customer_id=r.customer_id or 0, customer_name=r.customer_name, seller_name=r.seller_name,
            total=money(r.total, r.currency, self.lang), created=clock.exact(r.created_at),
        )

    def _fetch(self, actor: Actor) -> None:
        clock = clock_for(actor, self.lang)
        with session_scope() as session:
            def page(cursor: str):
                return sale_service.list_sales(session=session, actor=actor, query=self._query(cursor))

            self._show_page(page, lambda row: self._row(row, clock))
            self.owner_options = [
                [str(uid), name] for uid, name in task_service.assignees(session=session, actor=actor)
            ]

    @authorized()
    def load(self, actor):
        params = self._read_list_params(("name",))
        self.filters = read_filters(params)
        self._fetch(actor)

    @rx.event
    def set_filter(self, name: str, value: str):
        """A filter's new value: the list starts again at its first page."""
        if name in FILTERS:
            return rx.redirect(self._url(**{name: read_filters({name: value})[name]}))
        return None

    @rx.event
    def clear_filters(self):
        return rx.redirect("/sales")
