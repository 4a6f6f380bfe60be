"""Sales on SQLite and PostgreSQL: numbers, lines, totals and the client's discount; the credit limit
for a sales user and for an admin with and without his confirmation; the balance after "mark paid";
cancelling (admins) recomputes the client's figures; bad input and another organization's client
refused next to their field with nothing saved; the feed events; the list's filters and names."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm_app.domain.customers import CustomerInput
from crm_app.domain.documents import DocumentQuery, LineInput
from crm_app.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from crm_app.domain.sales import SaleInput
from crm_app.models import Customer, FeedEvent, Sale, SaleLine
from crm_app.services import customer_totals, customers, sales
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot

SODA = LineInput("Gaseosa", "2", "1.50", "")


def client(session, actor, first="Ana", last="Vera", **extra):
    data = CustomerInput(client_type="person", first_name=first, last_name=last, **extra)
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def sell(session, actor, *lines, confirm=False, **fields):
    data = SaleInput(**{"lines": lines or (SODA,), **fields})
    return run_like_app(session, sales.create_sale, actor=actor, data=data, confirm_over_limit=confirm)


def figures(session, customer_id):
    session.expire_all()
    row = session.get(Customer, customer_id)
    return row.sales_count, row.amount_spent, row.last_purchase_at is not None


def owed(session, actor, customer_id):
    return customer_totals.open_credit(session, actor.organization_id, customer_id)


def events(session, sale_id):
    return [(e.kind, e.customer_id, json.loads(e.data)) for e in session.execute(
        select(FeedEvent).where(FeedEvent.ref_id == sale_id, FeedEvent.kind.like("sale_%"))
        .order_by(FeedEvent.id)).scalars()]


def count(session, model=Sale):
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_counter_sale_needs_no_client_and_numbers_follow_each_other(session):
    _, admin = make_org(session, "A")
    _, other = make_org(session, "B")
    _, seller, _ = make_user(session, admin, name="Beto Ventas")
    first = sell(session, seller)
    assert (first.number, first.customer_id, first.payment_method, first.status) == (
        1, None, "cash", "completed")
    assert (first.subtotal, first.total, first.currency, first.seller_name) == (
        Decimal("3.00"), Decimal("3.00"), "USD", "Beto Ventas")
    assert [sell(session, who).number for who in (admin, seller)] == [2, 3]
    assert sell(session, other).number == 1


def test_totals_take_the_clients_personal_discount_unless_typed(session):
    _, admin = make_org(session)  # Ecuador: USD
    ana = client(session, admin, discount_percent=Decimal("10"))
    lines = (LineInput("Camisa", "2", "20.00", "10"), LineInput("Gorra", "1", "14", ""))
    sale = sell(session, admin, *lines, customer_id=ana.id, payment_method="card")
    # 2 x 20 - 10 % = 36; + 14 = 50; Ana's 10 % = 5
    assert (sale.subtotal, sale.discount_percent, sale.discount_amount, sale.total) == (
        Decimal("50.00"), Decimal("10.00"), Decimal("5.00"), Decimal("45.00"))
    assert sale.customer_name == "Ana Vera" and [line.line_total for line in sale.lines] == [
        Decimal("36.00"), Decimal("14.00")]
    typed = sell(session, admin, *lines, customer_id=ana.id, discount_percent="0")
    assert typed.total == Decimal("50.00")
    assert figures(session, ana.id) == (2, Decimal("95.00"), True)
    stored = session.execute(select(SaleLine).where(SaleLine.sale_id == sale.id)
                             .order_by(SaleLine.position)).scalars().all()
    assert [(r.description, r.quantity, r.line_total) for r in stored] == [
        ("Camisa", Decimal("2.000"), Decimal("36.00")), ("Gorra", Decimal("1.000"), Decimal("14.00"))]


def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(session):
    _, admin = make_org(session)
    with pytest.raises(ValidationFailed) as refused:
        sell(session, admin, LineInput("Gaseosa", "-1", "1.555", ""), discount_percent="120",
             payment_method="bitcoin")
    assert set(refused.value.errors) == {"lines[0].quantity", "lines[0].unit_price", "discount_percent",
                                         "payment_method"}
    assert refused.value.errors["lines[0].unit_price"].code == "money_decimals"
    with pytest.raises(ValidationFailed) as refused:  # credit needs a client
        sell(session, admin, payment_method="credit")
    assert {k: e.code for k, e in refused.value.errors.items()} == {"customer_id": "sale_credit_needs_client"}
    with pytest.raises(ValidationFailed) as refused:
        sell(session, admin, LineInput("", "1", "", ""))
    assert set(refused.value.errors) == {"lines"}
    assert (count(session), count(session, SaleLine)) == (0, 0)
    assert sell(session, admin).number == 1  # the refusals took no number


def test_a_currency_without_cents_refuses_them(session):
    _, admin = make_org(session, country="CL")  # CLP: no minor units
    with pytest.raises(ValidationFailed) as refused:
        sell(session, admin, LineInput("Pan", "1", "990.5", ""))
    assert refused.value.errors["lines[0].unit_price"].code == "money_no_decimals"
    assert sell(session, admin, LineInput("Pan", "3", "990", "")).total == Decimal("2970")


def test_another_organizations_client_is_refused_like_a_missing_one(session):
    _, victim = make_org(session, "Victima")
    theirs = client(session, victim, "Oculta", "Ajena", credit_limit=Decimal("1000"))
    _, attacker = make_org(session, "Atacante")
    for customer_id in (theirs.id, 999_999_999):
        with pytest.raises(ValidationFailed) as refused:
            sell(session, attacker, customer_id=customer_id, payment_method="credit")
        assert {k: e.code for k, e in refused.value.errors.items()} == {
            "customer_id": "sale_customer_unknown"}
    assert count(session) == 0 and figures(session, theirs.id) == (0, Decimal("0.00"), False)
    with pytest.raises(NotFound):
        sales.credit_status(session=session, actor=attacker, customer_id=theirs.id)


def test_a_sales_user_may_not_sell_past_the_credit_limit(session):
    _, admin = make_org(session)
    _, seller, _ = make_user(session, admin)
    ana = client(session, admin, credit_limit=Decimal("100"))
    sell(session, seller, LineInput("Saco", "1", "70", ""), customer_id=ana.id, payment_method="credit")
    assert owed(session, admin, ana.id) == Decimal("70.00")
    for confirm in (False, True):  # his confirmation counts for nothing
        with pytest.raises(ValidationFailed) as refused:
            sell(session, seller, LineInput("Saco", "1", "40", ""), customer_id=ana.id,
                 payment_method="credit", confirm=confirm)
        error = refused.value.errors["payment_method"]
        assert (error.code, error.params["limit"], error.params["owed"], error.params["available"],
                error.params["currency"]) == ("sale_credit_over_limit", Decimal("100"), Decimal("70.00"),
                                               Decimal("30.00"), "USD")
    assert count(session) == 1 and owed(session, admin, ana.id) == Decimal("70.00")
    fits = sell(session, seller, LineInput("Camisa", "1", "30", ""), customer_id=ana.id,
                payment_method="credit")
    assert fits.credit_approved_by is None and owed(session, admin, ana.id) == Decimal("100.00")
    # A client without a limit has no credit at all.
    beto = client(session, admin, "Beto", "Ruiz")
    with pytest.raises(ValidationFailed) as refused:
        sell(session, seller, customer_id=beto.id, payment_method="credit")
    assert refused.value.errors["payment_method"].code == "sale_credit_no_limit"
    status = sales.credit_status(session=session, actor=seller, customer_id=ana.id)
    assert (status.limit, status.owed, status.available) == (Decimal("100"), Decimal("100.00"), Decimal("0"))


def test_an_admin_sells_past_the_limit_only_when_he_confirms(session):
    _, admin = make_org(session, admin_name="Ada Admin")
    ana = client(session, admin, credit_limit=Decimal("50"))
    big = LineInput("Televisor", "1", "80", "")
    with pytest.raises(ValidationFailed) as refused:
        sell(session, admin, big, customer_id=ana.id, payment_method="credit")
    error = refused.value.errors["payment_method"]
    assert (error.code, error.params["total"], error.params["available"]) == (
        "sale_credit_confirm", Decimal("80.00"), Decimal("50"))
    assert count(session) == 0
    sale = sell(session, admin, big, customer_id=ana.id, payment_method="credit", confirm=True)
    assert (sale.credit_approved_by, sale.approver_name, sale.credit_open) == (
        admin.user_id, "Ada Admin", True)
    assert owed(session, admin, ana.id) == Decimal("80.00")
    within = sell(session, admin, customer_id=ana.id, payment_method="cash", confirm=True)
    assert within.credit_approved_by is None  # a sale that needs no approval records none


def test_mark_paid_settles_the_balance(session):
    _, admin = make_org(session)
    _, seller, _ = make_user(session, admin)
    ana = client(session, admin, credit_limit=Decimal("100"))
    sale = sell(session, seller, LineInput("Saco", "1", "90", ""), customer_id=ana.id,
                payment_method="credit")
    cash = sell(session, seller, customer_id=ana.id)
    with pytest.raises(ValidationFailed):  # only an open credit sale is paid later
        run_like_app(session, sales.mark_paid, actor=seller, sale_id=cash.id, version=cash.version)
    paid = run_like_app(session, sales.mark_paid, actor=seller, sale_id=sale.id, version=sale.version)
    assert paid.paid_at is not None and not paid.credit_open
    assert owed(session, admin, ana.id) == Decimal("0.00")
    with pytest.raises(ValidationFailed):
        run_like_app(session, sales.mark_paid, actor=seller, sale_id=sale.id, version=paid.version)
    with pytest.raises(Conflict):  # a change made on what the page showed before
        run_like_app(session, sales.cancel_sale, actor=admin, sale_id=sale.id, version=sale.version)
    assert figures(session, ana.id)[:2] == (2, Decimal("93.00"))  # paid: still bought


def test_cancelling_and_deleting_are_for_admins_and_recompute_the_clients_figures(session):
    _, admin = make_org(session)
    _, seller, _ = make_user(session, admin)
    ana = client(session, admin, credit_limit=Decimal("100"))
    first = sell(session, seller, LineInput("Saco", "1", "60", ""), customer_id=ana.id,
                 payment_method="credit")
    second = sell(session, seller, LineInput("Gorra", "1", "10", ""), customer_id=ana.id)
    third = sell(session, seller, LineInput("Camisa", "1", "5", ""), customer_id=ana.id)
    assert figures(session, ana.id)[:2] == (3, Decimal("75.00"))
    with pytest.raises(Forbidden):
        run_like_app(session, sales.cancel_sale, actor=seller, sale_id=first.id, version=first.version)
    with pytest.raises(Forbidden):
        run_like_app(session, sales.delete_sale, actor=seller, sale_id=second.id)
    cancelled = run_like_app(session, sales.cancel_sale, actor=admin, sale_id=first.id, version=first.version)
    assert cancelled.status == "cancelled" and not cancelled.credit_open
    assert figures(session, ana.id)[:2] == (2, Decimal("15.00"))
    assert owed(session, admin, ana.id) == Decimal("0.00")  # a cancelled credit sale is owed no more
    with pytest.raises(ValidationFailed):
        run_like_app(session, sales.cancel_sale, actor=admin, sale_id=first.id, version=cancelled.version)
    assert run_like_app(session, sales.delete_sale, actor=admin, sale_id=second.id) == second.number
    assert figures(session, ana.id)[:2] == (1, Decimal("5.00"))
    with pytest.raises(NotFound):
        sales.get_sale(session=session, actor=admin, sale_id=second.id)
    assert [r.number for r in sales.list_sales(session=session, actor=admin, query=DocumentQuery()).rows] == [
        third.number, first.number]
    owing = sell(session, admin, customer_id=ana.id, payment_method="credit")
    run_like_app(session, sales.delete_sale, actor=admin, sale_id=owing.id)
    assert owed(session, admin, ana.id) == Decimal("0.00")  # a deleted credit sale is owed no more
    assert figures(session, ana.id)[:2] == (1, Decimal("5.00"))
    assert sell(session, admin).number == 5  # a deleted sale's number stays taken


def test_another_organizations_sale_is_not_found(session):
    _, victim = make_org(session, "Victima")
    ana = client(session, victim, credit_limit=Decimal("100"))
    sale = sell(session, victim, customer_id=ana.id, payment_method="credit")
    _, attacker = make_org(session, "Atacante")
    snapshot = column_snapshot(session, Sale, sale.id)
    for call in (
        lambda: sales.get_sale(session=session, actor=attacker, sale_id=sale.id),
        lambda: sales.mark_paid(session=session, actor=attacker, sale_id=sale.id, version=sale.version),
        lambda: sales.cancel_sale(session=session, actor=attacker, sale_id=sale.id, version=sale.version),
        lambda: sales.delete_sale(session=session, actor=attacker, sale_id=sale.id),
    ):
        assert_not_found_for_other_org(session, call, snapshot, what="sale")


def test_each_write_records_its_event_in_the_clients_feed(session):
    _, admin = make_org(session)
    ana = client(session, admin, credit_limit=Decimal("100"))
    sale = sell(session, admin, customer_id=ana.id, payment_method="credit")
    paid = run_like_app(session, sales.mark_paid, actor=admin, sale_id=sale.id, version=sale.version)
    run_like_app(session, sales.cancel_sale, actor=admin, sale_id=sale.id, version=paid.version)
    figures_ = {"number": 1, "total": "3.00", "currency": "USD"}
    assert events(session, sale.id) == [
        ("sale_recorded", ana.id, {**figures_, "payment_method": "credit"}),
        ("sale_paid", ana.id, figures_),
        ("sale_cancelled", ana.id, figures_),
    ]
    counter = sell(session, admin)
    assert events(session, counter.id) == [
        ("sale_recorded", None, {"number": 2, "total": "3.00", "currency": "USD", "payment_method": "cash"})]


def test_the_list_filters_and_carries_the_names_it_shows(session):
    _, admin = make_org(session)
    _, seller, _ = make_user(session, admin, name="Beto Ventas")
    ana = client(session, admin, "Ana", "Vera", credit_limit=Decimal("100"))
    first = sell(session, seller, customer_id=ana.id, payment_method="credit")
    sell(session, admin, payment_method="card")
    third = sell(session, admin, customer_id=ana.id)
    run_like_app(session, sales.cancel_sale, actor=admin, sale_id=third.id, version=third.version)

    def numbers(**query):
        return [r.number for r in sales.list_sales(session=session, actor=admin,
                                                   query=DocumentQuery(**query)).rows]

    assert numbers() == [3, 2, 1]
    assert numbers(owner_id=seller.user_id) == [1]
    assert numbers(method="card") == [2]
    assert numbers(status="cancelled") == [3]
    assert numbers(search="#2") == [2]
    assert numbers(search="vera") == [3, 1]
    assert numbers(customer_id=ana.id, limit=1) == [3]
    page = sales.list_sales(session=session, actor=admin, query=DocumentQuery(limit=1))
    assert numbers(after=page.next_cursor) == [2, 1]
    row = sales.list_sales(session=session, actor=admin, query=DocumentQuery(search="1")).rows[0]
    assert (row.id, row.customer_name, row.seller_name, row.payment_method, row.total, row.paid_at) == (
        first.id, "Ana Vera", "Beto Ventas", "credit", Decimal("3.00"), None)
    with pytest.raises(ValidationFailed):
        sales.list_sales(session=session, actor=admin, query=DocumentQuery(status="open"))
