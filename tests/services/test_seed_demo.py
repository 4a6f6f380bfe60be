"""`python -m crm_app seed-demo --customers N --sales M`: a demo organization whose customers have
bought, so the lists, the profile's figures and the customer list's purchase sorts have something to show."""

from sqlalchemy import func, select

import crm_app.db
from crm_app.models import Customer, Order, Sale
from crm_app.services import demo
from crm_app.services.demo import seed_demo


def test_the_demo_has_customers_sales_and_orders_once(session, engine, monkeypatch):
    for module in (crm_app.db, demo):
        monkeypatch.setattr(module, "get_engine", lambda url=None: engine)
    lines = seed_demo(customers=40, country="EC", password="demo-password-123", sales=30)
    assert any("30 sales and 3 work orders" in line for line in lines)
    count = lambda model: session.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731 a one-line reader
    assert (count(Customer), count(Sale), count(Order)) == (40, 30, 3)
    bought = session.execute(select(func.sum(Customer.sales_count))).scalar_one()
    assert bought == session.execute(
        select(func.count()).select_from(Sale).where(Sale.customer_id.is_not(None),
                                                     Sale.status == "completed")).scalar_one()
    again = seed_demo(customers=0, country="EC", password="demo-password-123")
    assert any("already exists" in line for line in again)
