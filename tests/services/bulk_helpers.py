"""Bulk actions' test data: an organization with named customers, and short ways to run an action."""

from __future__ import annotations

from sqlalchemy import select

from crm_app.domain.bulk import BulkRequest, Selection
from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.models import Customer, CustomerTag, Tag
from crm_app.services import bulk, customers
from tests.campaign_factories import run_jobs
from tests.db import run_like_app

__all__ = ["make_customer", "run_jobs", "start", "tag_names", "undo"]


def make_customer(session, actor, first: str, *, tags=(), emails=(), phones=(), **fields) -> int:
    data = CustomerInput(client_type="person", first_name=first, last_name="Prueba", tags=tuple(tags),
                         emails=tuple(EmailInput(a, accepts_email=c) for a, c in emails),
                         phones=tuple(PhoneInput(number, **flags) for number, flags in phones), **fields)
    return run_like_app(session, customers.create_customer, actor=actor, data=data).id


def start(session, actor, kind: str, ids=(), query: str = "", all_matching: bool = False, **params):
    return run_like_app(session, bulk.start, actor=actor, selection=Selection(ids=tuple(ids), query=query,
                                                                                 all_matching=all_matching),
                        request=BulkRequest(kind=kind, params=params))


def undo(session, actor, action_id: int):
    return run_like_app(session, bulk.undo, actor=actor, bulk_action_id=action_id)


def tag_names(session, customer_id: int) -> set[str]:
    session.expire_all()
    return set(session.execute(select(Tag.name).join(CustomerTag, CustomerTag.tag_id == Tag.id)
                               .where(CustomerTag.customer_id == customer_id)).scalars())


def version(session, customer_id: int) -> int:
    session.expire_all()
    return session.get(Customer, customer_id).version
