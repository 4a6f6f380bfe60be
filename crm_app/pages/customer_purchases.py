"""The profile's "Compras" card: the customer's purchase figures, his latest orders, sales and leads
(each row links to its page, "see all" to its list filtered on him) and the buttons that start a new
order, sale or lead with him chosen (``?customer=<id>``).

Part of the profile page (pages/customer.py), not a route of its own: it lives among the pages because
it shows orders, sales and leads as their own pages draw them (their badges).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.controls import link_button
from crm_app.pages.leads import lead_status_badge
from crm_app.pages.orders import status_badge, type_badge
from crm_app.pages.sales import credit_badge, sale_status_badge
from crm_app.states.customer_documents import CustomerDocumentsState, LeadView, OrderView, SaleView

S = CustomerDocumentsState
T = S.tr


def _figures() -> rx.Component:
    """Label above a large value, as many per row as fit."""
    return rx.el.dl(
        rx.foreach(
            S.figures,
            lambda f: rx.el.div(
                rx.el.dt(rx.text(T[f[0]], size="2", color_scheme="gray")),
                rx.el.dd(rx.text(f[1], size="5", weight="bold", class_name="crm-value"), margin="0"),
            ),
        ),
        display="grid",
        grid_template_columns="repeat(auto-fit, minmax(8.5rem, 1fr))",
        gap="0.75rem",
        margin="0",
        width="100%",
    )


def _row(*cells: rx.Component) -> rx.Component:
    return rx.el.li(
        rx.hstack(*cells, spacing="3", align="center", wrap="wrap", width="100%"),
        padding_y="0.35rem",
        border_bottom="1px solid var(--gray-a4)",
    )


def _order(o: OrderView) -> rx.Component:
    return _row(
        rx.link(o.number, href="/orders/" + o.id.to_string(), weight="medium"),
        type_badge(o.type_name, o.type_color),
        status_badge(o.status, o.status_label),
        rx.spacer(),
        rx.text(o.total, size="2", weight="medium"),
        rx.text(o.created, size="1", color_scheme="gray"),
    )


def _sale(s: SaleView) -> rx.Component:
    return _row(
        rx.link(s.number, href="/sales/" + s.id.to_string(), weight="medium"),
        rx.text(s.method, size="2"),
        credit_badge(s.owed),
        sale_status_badge(s.status, s.status_label),
        rx.spacer(),
        rx.text(s.total, size="2", weight="medium"),
        rx.text(s.created, size="1", color_scheme="gray"),
    )


def _lead(lead: LeadView) -> rx.Component:
    return _row(
        rx.link(lead.name, href="/leads/" + lead.id.to_string(), weight="medium"),
        lead_status_badge(lead.status, lead.status_label),
        rx.spacer(),
        rx.text(lead.created, size="1", color_scheme="gray"),
    )


def _latest(kind: str, rows: Var, row, path: str) -> rx.Component:
    """One kind's latest rows under its heading, "see all" beside it; a line saying there are none."""
    return rx.vstack(
        rx.hstack(
            rx.heading(T[f"purchases_{kind}"], size="3", as_="h3"),
            rx.spacer(),
            rx.link(T[f"purchases_all_{kind}"], href=f"/{path}?customer=" + S.customer_id.to_string(),
                    size="2"),
            width="100%",
            align="center",
        ),
        rx.cond(
            rows.length() > 0,
            rx.el.ul(rx.foreach(rows, row), list_style="none", margin="0", padding="0", width="100%"),
            rx.text(T[f"purchases_no_{kind}"], size="2", color_scheme="gray"),
        ),
        spacing="1",
        width="100%",
    )


def _new_buttons() -> rx.Component:
    customer = "?customer=" + S.customer_id.to_string()
    return rx.hstack(
        link_button("clipboard_list", T["new_order"], "/orders/new" + customer),
        link_button("receipt", T["new_sale"], "/sales/new" + customer),
        link_button("user_plus", T["new_lead"], "/leads/new" + customer),
        spacing="2",
        wrap="wrap",
    )


def purchases_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["purchases_title"], size="4", as_="h2"),
            _figures(),
            _new_buttons(),
            _latest("orders", S.orders, _order, "orders"),
            _latest("sales", S.sales, _sale, "sales"),
            _latest("leads", S.leads, _lead, "leads"),
            spacing="4",
            width="100%",
        ),
        width="100%",
    )
