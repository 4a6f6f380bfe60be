"""An organization with one of everything the API reaches (a customer with a comment, an account he is a
member of, a lead, an order type and an order, a sale), made through the services as the app makes them;
and the bearer headers of a key. Used by the resource tests and the isolation matrix."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from crm_app.domain.accounts import AccountInput
from crm_app.domain.customers import CustomerInput
from crm_app.domain.documents import LineInput
from crm_app.domain.dto import Actor
from crm_app.domain.leads import LeadInput
from crm_app.domain.orders import OrderInput
from crm_app.domain.sales import SaleInput
from crm_app.models.integrations import API_SCOPES
from crm_app.services import (
    account_members,
    accounts,
    admin_settings,
    comments,
    customers,
    leads,
    orders,
    sales,
)
from tests.db import run_like_app

ALL_SCOPES = API_SCOPES
SCREEN = LineInput("Cambio de pantalla", "1", "120.00", "")


def bearer(key: str, language: str = "es") -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Accept-Language": language}


def make_customer(session: Session, actor: Actor, first: str = "Ana", last: str = "Vera", **extra) -> int:
    data = CustomerInput(client_type="person", first_name=first, last_name=last, **extra)
    return run_like_app(session, customers.create_customer, actor=actor, data=data).id


def make_order_type(session: Session, actor: Actor, name: str = "Reparación") -> int:
    return run_like_app(
        session, admin_settings.add_entry, actor=actor, list_name="order_types", name=name, color="#e5484d"
    ).id


@dataclass(frozen=True)
class World:
    customer_id: int
    comment_id: int
    account_id: int
    lead_id: int
    order_type_id: int
    order_id: int
    sale_id: int


def make_world(session: Session, actor: Actor) -> World:
    customer_id = make_customer(session, actor)
    comment_id = run_like_app(
        session, comments.add_comment, actor=actor, customer_id=customer_id, body="Hola"
    )
    account = run_like_app(session, accounts.create_account, actor=actor, data=AccountInput(name="Vera S.A."))
    run_like_app(
        session,
        account_members.add_member,
        actor=actor,
        account_id=account.id,
        customer_id=customer_id,
        role="billing",
    )
    lead = run_like_app(session, leads.create_lead, actor=actor, data=LeadInput(name="Luis Mora"))
    type_id = make_order_type(session, actor)
    order = run_like_app(
        session,
        orders.create_order,
        actor=actor,
        data=OrderInput(order_type_id=type_id, customer_id=customer_id, lines=(SCREEN,)),
    )
    sale = run_like_app(
        session, sales.create_sale, actor=actor, data=SaleInput(customer_id=customer_id, lines=(SCREEN,))
    )
    return World(customer_id, comment_id, account.id, lead.id, type_id, order.id, sale.id)
