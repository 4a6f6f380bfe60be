"""A customer's purchase section on his profile, on SQLite and PostgreSQL: his figures, his latest five
orders, sales and leads (newest first, deleted ones and other customers' left out), another
organization's customer refused as not found, and a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import event

from crm_app.domain.customers import CustomerInput
from crm_app.domain.errors import NotFound
from crm_app.models import Customer, Lead, Order, OrderType, Sale
from crm_app.services import customer_totals, customers
from crm_app.services.customer_documents import customer_documents
from tests.factories import make_org
from tests.isolation import assert_not_found_for_other_org, column_snapshot

START = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


def client(session, actor, first="Ana", last="Vera"):
    data = CustomerInput(client_type="person", first_name=first, last_name=last)
    found = customers.create_customer(session=session, actor=actor, data=data)
    session.commit()
    return found.id


def order_type(session, org_id, name="Reparación", color="#e5484d"):
    row = OrderType(organization_id=org_id, name=name, color=color)
    session.add(row)
    session.flush()
    return row.id


def add_order(session, actor, customer_id, type_id, number, status="open", total="10.00", **extra):
    row = Order(organization_id=actor.organization_id, number=number, order_type_id=type_id,
                customer_id=customer_id, status=status, total=Decimal(total), subtotal=Decimal(total),
                currency="USD", created_at=START + timedelta(hours=number), **extra)
    session.add(row)
    session.flush()
    return row


def add_sale(session, actor, customer_id, number, method="cash", total="25.50", **extra):
    sold_at = START + timedelta(days=number)
    row = Sale(organization_id=actor.organization_id, number=number, customer_id=customer_id,
               payment_method=method, total=Decimal(total), subtotal=Decimal(total), currency="USD",
               created_at=sold_at, **extra)
    session.add(row)
    session.flush()
    if row.status == "completed" and row.deleted_at is None:
        customer_totals.add_sale(session, customer_id, row.total, sold_at)
    return row


def add_lead(session, actor, customer_id, name, status="new", **extra):
    row = Lead(organization_id=actor.organization_id, name=name, status=status, customer_id=customer_id,
               **extra)
    session.add(row)
    session.flush()
    return row


def test_a_customer_who_never_bought_has_zero_figures_and_empty_lists(session):
    _, admin = make_org(session)
    ana = client(session, admin)
    found = customer_documents(session=session, actor=admin, customer_id=ana)
    assert found.figures.sales_count == 0
    assert found.figures.amount_spent == Decimal("0.00")
    assert found.figures.last_purchase_at is None
    assert (found.figures.open_orders, found.figures.open_credit) == (0, Decimal("0.00"))
    assert (found.orders, found.sales, found.leads) == ((), (), ())


def test_figures_and_the_latest_five_of_each_newest_first(session):
    org, admin = make_org(session)
    ana, luis = client(session, admin), client(session, admin, "Luis", "Mora")
    repair = order_type(session, org.id)
    install = order_type(session, org.id, "Instalación", "#30a46c")
    for number in range(1, 8):
        add_order(session, admin, ana, repair if number % 2 else install, number,
                  status="delivered" if number <= 5 else "in_progress")
    add_order(session, admin, ana, repair, 8, status="delivered", deleted_at=START)  # deleted: left out
    add_order(session, admin, luis, repair, 9)  # another customer's
    for number in range(1, 7):
        add_sale(session, admin, ana, number, total="10.00")
    add_sale(session, admin, ana, 7, method="credit", total="40.00")
    add_sale(session, admin, ana, 8, method="credit", total="5.00", paid_at=START)
    add_sale(session, admin, ana, 9, status="cancelled", total="99.00")
    add_sale(session, admin, luis, 10, total="500.00")
    for i in range(6):
        add_lead(session, admin, ana, f"Lead {i}", status="won" if i == 0 else "contacted")
    add_lead(session, admin, luis, "Otro")
    session.commit()

    found = customer_documents(session=session, actor=admin, customer_id=ana)

    figures = found.figures
    assert figures.sales_count == 8
    assert figures.amount_spent == Decimal("105.00")  # 6 x 10 + 40 + 5; the cancelled one not
    assert figures.last_purchase_at == START + timedelta(days=8)
    assert figures.open_orders == 2  # in progress: 6 and 7
    assert figures.open_credit == Decimal("40.00")  # the unpaid credit sale
    assert [o.number for o in found.orders] == [7, 6, 5, 4, 3]
    assert (found.orders[0].type_name, found.orders[0].type_color) == ("Reparación", "#e5484d")
    assert (found.orders[1].type_name, found.orders[1].type_color) == ("Instalación", "#30a46c")
    assert found.orders[0].status == "in_progress" and found.orders[0].total == Decimal("10.00")
    assert found.orders[0].created_at == START + timedelta(hours=7)
    assert [s.number for s in found.sales] == [9, 8, 7, 6, 5]
    assert [s.credit_paid for s in found.sales] == [None, True, False, None, None]
    assert found.sales[0].status == "cancelled"
    assert (found.sales[2].payment_method, found.sales[2].total) == ("credit", Decimal("40.00"))
    assert [lead.name for lead in found.leads] == ["Lead 5", "Lead 4", "Lead 3", "Lead 2", "Lead 1"]
    assert found.leads[0].status == "contacted"


def test_deleted_documents_leave_the_figures(session):
    org, admin = make_org(session)
    ana = client(session, admin)
    add_order(session, admin, ana, order_type(session, org.id), 1, status="open", deleted_at=START)
    add_sale(session, admin, ana, 1, method="credit", total="40.00", deleted_at=START)
    session.commit()
    figures = customer_documents(session=session, actor=admin, customer_id=ana).figures
    assert (figures.open_orders, figures.open_credit) == (0, Decimal("0.00"))


def test_a_deleted_customer_still_shows_his_history(session):
    _, admin = make_org(session)
    ana = client(session, admin)
    add_sale(session, admin, ana, 1)
    session.execute(Customer.__table__.update().where(Customer.id == ana).values(deleted_at=START))
    session.commit()
    found = customer_documents(session=session, actor=admin, customer_id=ana)
    assert [s.number for s in found.sales] == [1]


def test_another_organizations_customer_is_not_found(session):
    _, admin_a = make_org(session, "A")
    ana = client(session, admin_a)
    add_sale(session, admin_a, ana, 1)
    _, admin_b = make_org(session, "B")
    assert_not_found_for_other_org(
        session,
        lambda: customer_documents(session=session, actor=admin_b, customer_id=ana),
        column_snapshot(session, Customer, ana),
        what="customer",
    )
    for bad in (0, -1, 2**70, "1"):
        try:
            customer_documents(session=session, actor=admin_a, customer_id=bad)
        except NotFound:
            continue
        raise AssertionError(f"{bad!r} was found")


def test_the_number_of_queries_does_not_grow_with_the_history(session):
    org, admin = make_org(session)
    ana, luis = client(session, admin), client(session, admin, "Luis", "Mora")
    repair = order_type(session, org.id)
    add_order(session, admin, luis, repair, 1)
    add_sale(session, admin, luis, 1)
    add_lead(session, admin, luis, "Uno")
    session.commit()

    def statements(customer_id: int) -> int:
        seen: list[str] = []

        def count(*args) -> None:
            seen.append(args[2])

        bind = session.get_bind()
        event.listen(bind, "before_cursor_execute", count)
        try:
            customer_documents(session=session, actor=admin, customer_id=customer_id)
        finally:
            event.remove(bind, "before_cursor_execute", count)
        session.rollback()
        return len(seen)

    few = statements(luis)
    for number in range(2, 30):
        add_order(session, admin, ana, repair, number)
        add_sale(session, admin, ana, number)
        add_lead(session, admin, ana, f"Lead {number}")
    session.commit()
    assert statements(ana) == few <= 7
