"""The bulk seed of sales and orders (services/seed_sales.py) writes what the services would: totals that
add up from the lines, sequential numbers with the counter set, the customers' purchase figures, and a
database the services keep writing to afterwards."""

from collections import Counter, defaultdict
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import func, select

from crm_app.domain.documents import (
    ORDER_STATUSES,
    PAYMENT_METHODS,
    SALE_STATUSES,
    DocumentQuery,
    Line,
    line_total,
    totals,
)
from crm_app.models import Customer, Order, OrderLine, Sale, SaleLine
from crm_app.services import seed
from crm_app.services.document_numbers import next_number
from crm_app.services.document_pages import document_page
from crm_app.services.seed_sales import seed_sales
from tests.factories import make_org

CUSTOMERS, SALES, ORDERS = 400, 3_000, 300


def _seeded(session, engine):
    org, admin = make_org(session, country="EC")
    seed.seed_customers(engine, org.id, CUSTOMERS, country="EC", seed=1, created_by=admin.user_id)
    done = seed_sales(engine, org.id, SALES, orders=ORDERS, seed=2, chunk_size=700)
    assert (done.sales, done.orders) == (SALES, ORDERS)
    session.expire_all()
    return org, admin


def _lines_add_up(documents, lines_of) -> None:
    for document in documents:
        lines = [Line(x.description, x.quantity, x.unit_price, x.discount_percent, x.line_total)
                 for x in lines_of[document.id]]
        assert 1 <= len(lines) <= 3
        for line in lines:
            assert line.line_total == line_total(line.quantity, line.unit_price, line.discount_percent, "USD")
        expected = totals(lines, document.discount_percent, "USD")
        assert (document.subtotal, document.discount_amount, document.total) == (
            expected.subtotal, expected.discount_amount, expected.total)
        assert document.currency == "USD"


def test_seeded_sales_add_up_and_are_numbered_in_order(session, engine):
    org, _ = _seeded(session, engine)
    sales = session.execute(select(Sale).where(Sale.organization_id == org.id).order_by(Sale.id)).scalars()
    sales = list(sales)
    assert [s.number for s in sales] == list(range(1, SALES + 1))
    assert all(a.created_at <= b.created_at for a, b in pairwise(sales))
    lines_of = defaultdict(list)
    for line in session.execute(select(SaleLine).order_by(SaleLine.sale_id, SaleLine.position)).scalars():
        lines_of[line.sale_id].append(line)
    _lines_add_up(sales, lines_of)
    assert {s.payment_method for s in sales} == set(PAYMENT_METHODS)
    assert {s.status for s in sales} == set(SALE_STATUSES)
    assert all(s.customer_id is not None for s in sales if s.payment_method == "credit")
    assert all(s.paid_at is None or s.paid_at >= s.created_at for s in sales)
    counter_sales = sum(s.customer_id is None for s in sales) / SALES
    assert 0.15 < counter_sales < 0.25
    # Many customers never buy, a few buy far more than the average buyer.
    per_customer = Counter(s.customer_id for s in sales if s.customer_id is not None)
    assert len(per_customer) < 0.5 * CUSTOMERS
    assert max(per_customer.values()) > 5 * (sum(per_customer.values()) / len(per_customer))


def test_customers_figures_are_their_completed_sales(session, engine):
    org, _ = _seeded(session, engine)
    expected = defaultdict(lambda: [0, Decimal(0), None])
    for sale in session.execute(select(Sale).where(Sale.status == "completed")).scalars():
        if sale.customer_id is not None:
            figures = expected[sale.customer_id]
            figures[0] += 1
            figures[1] += sale.total
            figures[2] = max(figures[2] or sale.created_at, sale.created_at)
    customers = session.execute(select(Customer).where(Customer.organization_id == org.id)).scalars().all()
    assert len(customers) == CUSTOMERS
    for customer in customers:
        count, spent, last = expected.get(customer.id, (0, Decimal(0), None))
        figures = (customer.sales_count, customer.amount_spent, customer.last_purchase_at)
        assert figures == (count, spent, last)


def test_seeded_orders_are_valid_and_the_services_carry_on_after_the_seed(session, engine):
    org, admin = _seeded(session, engine)
    orders = session.execute(select(Order).order_by(Order.id)).scalars().all()
    assert [o.number for o in orders] == list(range(1, ORDERS + 1))
    assert {o.status for o in orders} <= set(ORDER_STATUSES)
    assert all(o.status == "open" for o in orders if o.customer_id is None)
    lines_of = defaultdict(list)
    for line in session.execute(select(OrderLine).order_by(OrderLine.order_id, OrderLine.position)).scalars():
        lines_of[line.order_id].append(line)
    _lines_add_up(orders, lines_of)
    # The counters continue the numbering; new rows take new ids (PostgreSQL's sequences were moved on).
    assert next_number(session, org.id, "sale") == SALES + 1
    assert next_number(session, org.id, "order") == ORDERS + 1
    sale = Sale(organization_id=org.id, number=SALES + 1, payment_method="cash", currency="USD")
    session.add(sale)
    session.flush()
    session.add(SaleLine(organization_id=org.id, sale_id=sale.id, description="x", quantity=Decimal(1),
                         unit_price=Decimal(1), line_total=Decimal(1)))
    session.flush()
    assert sale.id == session.execute(select(func.max(Sale.id))).scalar() > SALES
    # The list's page reads them newest first.
    rows, cursor = document_page(session, admin, Sale, DocumentQuery(limit=25))
    assert [r.number for r in rows] == list(range(SALES + 1, SALES - 24, -1)) and cursor


def test_a_second_seed_adds_after_the_first(session, engine):
    org, _ = _seeded(session, engine)
    seed_sales(engine, org.id, 500, seed=3)
    session.expire_all()
    sales = session.execute(select(Sale).order_by(Sale.id)).scalars().all()
    assert [s.number for s in sales] == list(range(1, SALES + 501))
    assert all(a.created_at <= b.created_at for a, b in pairwise(sales))
    assert next_number(session, org.id, "sale") == SALES + 501
