"""The profile's "Compras" section (components/customer_documents.py): the customer's purchase figures and
his latest orders, sales and leads, as text ready to show (money in the organization's currency, days in
its time zone). Loaded with the profile (the page's on_load), for the customer in the address; another
organization's customer leaves it empty, as the profile shows "not found"."""

from __future__ import annotations

import dataclasses

from crm_app.db import session_scope
from crm_app.domain import local_time
from crm_app.domain.customer_documents import CustomerDocuments, LeadBrief, OrderBrief, SaleBrief
from crm_app.domain.documents import document_number
from crm_app.domain.errors import NotFound
from crm_app.i18n.browser import PURCHASE_FIGURES
from crm_app.services.customer_documents import customer_documents
from crm_app.states.customer_feed import customer_id_from_path, reader_for
from crm_app.states.feed_items import Reader
from crm_app.states.session import SessionState, authorized


@dataclasses.dataclass
class OrderView:
    id: int
    number: str  # "#1024"
    type_name: str
    type_color: str
    status: str
    status_label: str
    total: str
    created: str


@dataclasses.dataclass
class SaleView:
    id: int
    number: str
    method: str  # the payment method's label
    status: str
    status_label: str
    total: str
    created: str
    owed: bool  # a credit sale still to collect


@dataclasses.dataclass
class LeadView:
    id: int
    name: str
    status: str
    status_label: str
    created: str


class CustomerDocumentsState(SessionState):
    customer_id: int = 0
    figures: list[list[str]] = []  # [label key, value], in the order shown
    orders: list[OrderView] = []
    sales: list[SaleView] = []
    leads: list[LeadView] = []

    @authorized()
    def load(self, actor):
        self._clear()
        customer_id = customer_id_from_path(self.router.url.path)
        try:
            with session_scope() as session:
                found = customer_documents(session=session, actor=actor, customer_id=customer_id)
        except NotFound:
            return
        self.customer_id = customer_id
        self._show(found, reader_for(actor, self.lang))

    def _clear(self) -> None:
        self.customer_id, self.figures, self.orders, self.sales, self.leads = 0, [], [], [], []

    def _show(self, found: CustomerDocuments, reader: Reader) -> None:
        figures = found.figures

        def money(amount) -> str:
            return reader.money(amount, reader.currency)

        last = figures.last_purchase_at
        shown = {
            "purchases_sales_count": local_time.number(figures.sales_count, reader.lang),
            "purchases_amount_spent": money(figures.amount_spent),
            "purchases_last_purchase": reader.day(last) if last is not None else self._t("purchases_never"),
            "purchases_open_orders": local_time.number(figures.open_orders, reader.lang),
            # only for a customer who owes something
            "purchases_open_credit": money(figures.open_credit) if figures.open_credit else "",
        }
        # The page looks their labels up in the browser's catalogue, which keeps them (i18n/browser.SENT).
        self.figures = [[key, shown[key]] for key in PURCHASE_FIGURES if shown[key]]
        self.orders = [self._order(o, reader) for o in found.orders]
        self.sales = [self._sale(s, reader) for s in found.sales]
        self.leads = [self._lead(lead, reader) for lead in found.leads]

    def _order(self, o: OrderBrief, r: Reader) -> OrderView:
        return OrderView(id=o.id, number=document_number(o.number), type_name=o.type_name,
                         type_color=o.type_color, status=o.status,
                         status_label=self._t(f"order_status_{o.status}"),
                         total=r.money(o.total, o.currency), created=r.day(o.created_at))

    def _sale(self, s: SaleBrief, r: Reader) -> SaleView:
        return SaleView(id=s.id, number=document_number(s.number),
                        method=self._t(f"payment_method_{s.payment_method}"), status=s.status,
                        status_label=self._t(f"sale_status_{s.status}"),
                        total=r.money(s.total, s.currency), created=r.day(s.created_at),
                        owed=s.credit_paid is False and s.status == "completed")

    def _lead(self, lead: LeadBrief, r: Reader) -> LeadView:
        return LeadView(id=lead.id, name=lead.name, status=lead.status,
                        status_label=self._t(f"lead_status_{lead.status}"), created=r.day(lead.created_at))

