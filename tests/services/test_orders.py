"""Work orders on SQLite and PostgreSQL: numbers, the client's discount, the walk-in rule, who may
cancel a delivered order or delete one, another organization's ids, stale saves, feed events, the list;
and the order types' walk-in switch in /settings."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm_app.domain.customers import CustomerInput
from crm_app.domain.documents import DocumentQuery, LineInput
from crm_app.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from crm_app.domain.orders import OrderInput
from crm_app.models import FeedEvent, Order, OrderLine
from crm_app.services import admin_settings, customers, orders
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot

REPAIR = LineInput("Cambio de pantalla", "1", "120.00", "")


def order_type(session, admin, name="Reparación", color="#e5484d", walk_in=False):
    entry = run_like_app(session, admin_settings.add_entry, actor=admin, list_name="order_types", name=name,
                         color=color)
    if walk_in:
        set_walk_in(session, admin, entry.id, True, name, color)
    return entry.id


def set_walk_in(session, actor, entry_id, allowed, name="Mostrador", color="#3e63dd"):
    run_like_app(session, admin_settings.edit_entry, actor=actor, list_name="order_types", entry_id=entry_id,
                 name=name, color=color, walk_in=allowed)


def client(session, actor, first="Ana", last="Vera", **extra):
    data = CustomerInput(client_type="person", first_name=first, last_name=last, **extra)
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def create(session, actor, type_id, **fields):
    data = OrderInput(**{"order_type_id": type_id, "lines": (REPAIR,), **fields})
    return run_like_app(session, orders.create_order, actor=actor, data=data)


def status(session, actor, order, new):
    return run_like_app(session, orders.change_status, actor=actor, order_id=order.id, version=order.version,
                        status=new)


def events(session, order_id):
    return [(e.kind, e.customer_id, json.loads(e.data)) for e in session.execute(
        select(FeedEvent).where(FeedEvent.ref_id == order_id, FeedEvent.kind.like("order_%"))
        .order_by(FeedEvent.id)).scalars()]


def test_numbers_follow_each_other_per_organization(session):
    _, admin = make_org(session, "A")
    _, other = make_org(session, "B")
    _, sales, _ = make_user(session, admin)
    type_a, type_b = order_type(session, admin), order_type(session, other)
    numbers = [create(session, who, type_a).number for who in (admin, sales, admin)]
    assert numbers == [1, 2, 3]
    assert create(session, other, type_b).number == 1


def test_the_clients_personal_discount_is_the_orders_unless_typed(session):
    _, admin = make_org(session)  # Ecuador: USD
    type_id = order_type(session, admin)
    ana = client(session, admin, discount_percent=Decimal("10"))
    lines = (LineInput("Pantalla", "2", "50.00", "10"), LineInput("Mano de obra", "1", "30", ""))
    order = create(session, admin, type_id, customer_id=ana.id, lines=lines)
    # 2 x 50 - 10 % = 90; + 30 = 120; the client's 10 % = 12
    assert (order.subtotal, order.discount_percent, order.discount_amount, order.total) == (
        Decimal("120.00"), Decimal("10.00"), Decimal("12.00"), Decimal("108.00"))
    assert order.currency == "USD" and order.customer_name == "Ana Vera"
    typed = create(session, admin, type_id, customer_id=ana.id, lines=lines, discount_percent="0")
    assert typed.total == Decimal("120.00")
    stored = session.execute(select(OrderLine).where(OrderLine.order_id == order.id)
                             .order_by(OrderLine.position)).scalars().all()
    assert [(r.description, r.line_total) for r in stored] == [("Pantalla", Decimal("90.00")),
                                                                ("Mano de obra", Decimal("30.00"))]


def test_bad_values_are_refused_next_to_their_field_and_nothing_is_saved(session):
    _, admin = make_org(session)
    type_id = order_type(session, admin)
    lines = (LineInput("Pantalla", "-1", "10.555", ""),)
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin, type_id, lines=lines, due_date="2026-02-30", discount_percent="120",
               assignee_id=999_999)
    assert set(refused.value.errors) == {"lines[0].quantity", "lines[0].unit_price", "due_date",
                                         "discount_percent", "assignee_id"}
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin, 999_999, lines=())
    assert set(refused.value.errors) == {"order_type_id", "lines"}
    assert session.execute(select(func.count()).select_from(Order)).scalar_one() == 0
    assert create(session, admin, type_id).number == 1  # the refusals took no number


def test_an_order_needs_its_client_once_confirmed_unless_its_type_takes_walk_ins(session):
    _, admin = make_org(session)
    repair = order_type(session, admin)
    counter = order_type(session, admin, "Mostrador", walk_in=True)
    waiting = create(session, admin, repair)  # open: the client may wait
    with pytest.raises(ValidationFailed) as refused:
        status(session, admin, waiting, "in_progress")
    assert refused.value.errors["customer_id"].code == "order_client_required"
    ana = client(session, admin)
    waiting = run_like_app(session, orders.update_order, actor=admin, order_id=waiting.id,
                           version=waiting.version,
                           data=OrderInput(order_type_id=repair, customer_id=ana.id, lines=(REPAIR,)))
    confirmed = status(session, admin, waiting, "in_progress")
    assert confirmed.status == "in_progress"
    with pytest.raises(ValidationFailed) as refused:  # nor may its client be taken away now
        run_like_app(session, orders.update_order, actor=admin, order_id=confirmed.id,
                     version=confirmed.version, data=OrderInput(order_type_id=repair, lines=(REPAIR,)))
    assert set(refused.value.errors) == {"customer_id"}
    walk_in = create(session, admin, counter)
    for step in ("in_progress", "done", "delivered"):
        walk_in = status(session, admin, walk_in, step)
    assert walk_in.status == "delivered" and walk_in.customer_id is None
    # Walk-in turned off for the type later: that order's notes and lines can still be saved.
    set_walk_in(session, admin, counter, False)
    edited = run_like_app(session, orders.update_order, actor=admin, order_id=walk_in.id,
                          version=walk_in.version,
                          data=OrderInput(order_type_id=counter, notes="Garantía 30 días", lines=(REPAIR,)))
    assert edited.notes == "Garantía 30 días" and edited.customer_id is None


def test_only_admins_cancel_a_delivered_order_or_delete_one(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin)
    type_id = order_type(session, admin, walk_in=True)
    order = create(session, sales, type_id)
    cancelled = status(session, sales, order, "cancelled")  # not delivered: sales may
    reopened = status(session, sales, cancelled, "open")
    delivered = status(session, sales, reopened, "delivered")
    with pytest.raises(Forbidden):
        status(session, sales, delivered, "cancelled")
    with pytest.raises(Forbidden):
        run_like_app(session, orders.delete_order, actor=sales, order_id=order.id)
    assert status(session, admin, delivered, "cancelled").status == "cancelled"
    assert run_like_app(session, orders.delete_order, actor=admin, order_id=order.id) == order.number
    with pytest.raises(NotFound):
        orders.get_order(session=session, actor=admin, order_id=order.id)
    assert orders.list_orders(session=session, actor=admin, query=DocumentQuery()).rows == ()
    assert create(session, admin, type_id).number == order.number + 1  # its number stays taken
    deleted = session.execute(select(FeedEvent).where(FeedEvent.ref_id == order.id,
                                                      FeedEvent.kind == "order_deleted")).scalar_one()
    assert deleted.actor_id == admin.user_id and json.loads(deleted.data)["number"] == order.number


def test_another_organizations_type_client_and_assignee_are_refused(session):
    _, victim = make_org(session, "Victima")
    their_type = order_type(session, victim, "Secreto")
    their_client = client(session, victim, "Oculta", "Ajena")
    _, attacker = make_org(session, "Atacante")
    own_type = order_type(session, attacker)
    with pytest.raises(ValidationFailed) as refused:
        create(session, attacker, their_type, customer_id=their_client.id, assignee_id=victim.user_id)
    assert set(refused.value.errors) == {"order_type_id", "customer_id", "assignee_id"}
    with pytest.raises(ValidationFailed) as refused:
        create(session, attacker, own_type, customer_id=their_client.id)
    assert refused.value.errors["customer_id"].code == "order_customer_unknown"  # as for a missing one
    assert session.execute(select(func.count()).select_from(Order)).scalar_one() == 0


def test_another_organizations_order_is_not_found(session):
    _, victim = make_org(session, "Victima")
    order = create(session, victim, order_type(session, victim))
    _, attacker = make_org(session, "Atacante")
    own_type = order_type(session, attacker)
    snapshot = column_snapshot(session, Order, order.id)
    for call in (
        lambda: orders.get_order(session=session, actor=attacker, order_id=order.id),
        lambda: orders.update_order(session=session, actor=attacker, order_id=order.id, version=1,
                                    data=OrderInput(order_type_id=own_type, lines=(REPAIR,))),
        lambda: orders.change_status(session=session, actor=attacker, order_id=order.id, version=1,
                                     status="cancelled"),
        lambda: orders.delete_order(session=session, actor=attacker, order_id=order.id),
    ):
        assert_not_found_for_other_org(session, call, snapshot, what="order")


def test_a_stale_save_is_refused_and_nothing_is_overwritten(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, name="Beto Ventas")
    type_id = order_type(session, admin)
    order = create(session, admin, type_id, notes="original")
    run_like_app(session, orders.update_order, actor=sales, order_id=order.id, version=order.version,
                 data=OrderInput(order_type_id=type_id, lines=(REPAIR,), notes="de Beto"))
    with pytest.raises(Conflict) as stale:
        run_like_app(session, orders.update_order, actor=admin, order_id=order.id, version=order.version,
                     data=OrderInput(order_type_id=type_id, lines=(REPAIR,), notes="del admin"))
    assert (stale.value.code, stale.value.params["by"]) == ("order_stale_version", "Beto Ventas")
    with pytest.raises(Conflict):
        status(session, admin, order, "in_progress")
    kept = orders.get_order(session=session, actor=admin, order_id=order.id)
    assert (kept.notes, kept.status, kept.version) == ("de Beto", "open", 2)


def test_each_write_records_its_event_in_the_clients_feed(session):
    _, admin = make_org(session)
    type_id = order_type(session, admin, "Reparación")
    ana = client(session, admin)
    order = create(session, admin, type_id, customer_id=ana.id)
    order = run_like_app(session, orders.update_order, actor=admin, order_id=order.id, version=order.version,
                         data=OrderInput(order_type_id=type_id, customer_id=ana.id, lines=(REPAIR, REPAIR)))
    status(session, admin, order, "in_progress")
    assert events(session, order.id) == [
        ("order_created", ana.id, {"number": 1, "type": "Reparación", "total": "120.00", "currency": "USD"}),
        ("order_updated", ana.id, {"number": 1}),
        ("order_status_changed", ana.id, {"number": 1, "before": "open", "after": "in_progress"}),
    ]


def test_the_list_filters_and_carries_the_names_it_shows(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, name="Beto Ventas")
    repair = order_type(session, admin, "Reparación", "#e5484d")
    service = order_type(session, admin, "Servicio", "#30a46c")
    ana = client(session, admin, "Ana", "Vera")
    first = create(session, admin, repair, customer_id=ana.id, assignee_id=sales.user_id)
    create(session, admin, service)
    third = create(session, admin, service, customer_id=ana.id)

    def numbers(**query):
        return [r.number for r in orders.list_orders(session=session, actor=admin,
                                                     query=DocumentQuery(**query)).rows]

    assert numbers() == [3, 2, 1]
    assert numbers(type_id=service) == [3, 2]
    assert numbers(owner_id=sales.user_id) == [1]
    assert numbers(search="#3") == [3]
    assert numbers(search="vera") == [3, 1]
    assert numbers(customer_id=ana.id, limit=1) == [3]
    page = orders.list_orders(session=session, actor=admin, query=DocumentQuery(limit=1))
    assert numbers(after=page.next_cursor) == [2, 1]
    row = orders.list_orders(session=session, actor=admin, query=DocumentQuery(search="1")).rows[0]
    assert (row.id, row.type_name, row.type_color, row.customer_name, row.assignee_name, row.total) == (
        first.id, "Reparación", "#e5484d", "Ana Vera", "Beto Ventas", Decimal("120.00"))
    assert third.id > first.id
    with pytest.raises(ValidationFailed):
        orders.list_orders(session=session, actor=admin, query=DocumentQuery(status="lost"))


def test_the_walk_in_switch_is_for_admins_and_shown_in_the_list_of_types(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin)
    type_id = order_type(session, admin, "Mostrador")
    assert not orders.order_types(session=session, actor=admin)[0].walk_in_allowed
    set_walk_in(session, admin, type_id, True)
    entries = admin_settings.list_entries(session=session, actor=admin, list_name="order_types")
    assert [(e.name, e.walk_in) for e in entries] == [("Mostrador", True)]
    assert [t.walk_in_allowed for t in orders.order_types(session=session, actor=sales)] == [True]
    with pytest.raises(Forbidden):
        set_walk_in(session, sales, type_id, False)
    _, other = make_org(session, "Otra")
    with pytest.raises(NotFound):
        set_walk_in(session, other, type_id, False)
