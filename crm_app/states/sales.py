"""The sale list (``/sales?q=&status=&method=&owner=&customer=&from=&to=&after=``, states/document_list):
one keyset page of rows, each with its client, seller, method, total and date formatted for the reader."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from crm_app.domain.documents import PAYMENT_METHODS, SALE_STATUSES, document_number
from crm_app.domain.dto import Actor
from crm_app.domain.local_time import Clock
from crm_app.domain.sales import SaleRow
from crm_app.services import sales as sale_service
from crm_app.states.document_list import DocumentListState
from crm_app.states.session import SessionState


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


class SalesState(DocumentListState, SessionState):
    rows: list[SaleListRow] = []

    route: ClassVar[str] = "/sales"
    filter_names: ClassVar[tuple[str, ...]] = ("status", "method", "owner", "customer", "from", "to")
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"status": SALE_STATUSES, "method": PAYMENT_METHODS}

    def _page(self, session, actor: Actor, query):
        return sale_service.list_sales(session=session, actor=actor, query=query)

    def _row(self, r: SaleRow, clock: Clock) -> SaleListRow:
        return SaleListRow(
            id=r.id, number=document_number(r.number), status=r.status,
            status_label=self._t(f"sale_status_{r.status}"),
            method_label=self._t(f"payment_method_{r.payment_method}"),
            credit_owed=r.payment_method == "credit" and r.status == "completed" and r.paid_at is None,
            customer_id=r.customer_id or 0, customer_name=r.customer_name, seller_name=r.seller_name,
            total=clock.money(r.total, r.currency), created=clock.exact(r.created_at),
        )
