"""The order list (``/orders?q=&status=&type=&owner=&customer=&from=&to=&after=``, states/document_list):
one keyset page of rows, each with its type's colour, its client, assignee, total and dates formatted
for the reader."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from crm_app.domain.documents import ORDER_STATUSES, document_number
from crm_app.domain.dto import Actor
from crm_app.domain.local_time import Clock
from crm_app.domain.orders import OrderRow
from crm_app.services import orders as order_service
from crm_app.states.document_list import DocumentListState
from crm_app.states.session import SessionState


@dataclasses.dataclass
class OrderListRow:
    id: int
    number: str  # "#1024"
    status: str
    status_label: str
    type_name: str
    type_color: str
    customer_id: int
    customer_name: str  # "" for an order without a client
    assignee_name: str
    due: str
    total: str
    created: str


class OrdersState(DocumentListState, SessionState):
    rows: list[OrderListRow] = []
    type_options: list[list[str]] = []  # [id, name] of the active order types

    route: ClassVar[str] = "/orders"
    filter_names: ClassVar[tuple[str, ...]] = ("status", "type", "owner", "customer", "from", "to")
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"status": ORDER_STATUSES}

    def _page(self, session, actor: Actor, query):
        return order_service.list_orders(session=session, actor=actor, query=query)

    def _options(self, session, actor: Actor) -> None:
        types = order_service.order_types(session=session, actor=actor)
        self.type_options = [[str(t.id), t.name] for t in types]

    def _row(self, r: OrderRow, clock: Clock) -> OrderListRow:
        return OrderListRow(
            id=r.id, number=document_number(r.number), status=r.status,
            status_label=self._t(f"order_status_{r.status}"), type_name=r.type_name, type_color=r.type_color,
            customer_id=r.customer_id or 0, customer_name=r.customer_name, assignee_name=r.assignee_name,
            due=clock.plain_date(r.due_date), total=clock.money(r.total, r.currency),
            created=clock.day(r.created_at),
        )
