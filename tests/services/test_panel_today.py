"""The panel's today tile on both databases: the reader's overdue and due-today tasks in the
organization's day, this week's birthdays (across a year's end, February 29th in other years) read
through the birthday index (EXPLAIN), the open orders due (his, or all for an admin), and the latest
comments by others on his customers; another organization's rows never show."""

from __future__ import annotations

from datetime import date

import pytest

from crm_app.domain.errors import Forbidden
from crm_app.models.customer import BIRTHDAY_INDEX
from crm_app.services import panel
from tests.factories import make_org, make_user
from tests.services.test_panel_factories import comment, customer, order, plans_of, statements_of, task, utc

NOW = utc(2025, 12, 31, 15)  # Wednesday December 31st 2025, 10:00 in Guayaquil (UTC-5)
CREATED = utc(2025, 6, 1, 12)


@pytest.fixture
def team(session):
    _, admin = make_org(session, country="EC")
    _, other = make_org(session, name="Other", country="EC")
    _, sales, _ = make_user(session, admin, "sales", name="Sonia Ventas")
    return admin, sales, other


def test_tasks_overdue_and_due_today_in_the_local_day(session, team):
    admin, sales, other = team
    client = customer(session, admin, CREATED, name="Ana Pérez")
    overdue = [task(session, admin, "Ayer", utc(2025, 12, 30, 15)),
               task(session, admin, "Esta mañana", utc(2025, 12, 31, 14))]
    due = [task(session, admin, "Esta tarde", utc(2025, 12, 31, 20), customer_id=client),
           task(session, admin, "Antes de medianoche", utc(2026, 1, 1, 4, 30))]  # 23:30 local
    task(session, admin, "Año nuevo", utc(2026, 1, 1, 5, 30))  # January 1st, 00:30 local
    task(session, admin, "Hecha", utc(2025, 12, 30, 15), done=True)
    task(session, admin, "De Sonia", utc(2025, 12, 30, 15), assignee=sales.user_id)
    task(session, admin, "Sin fecha", None)
    task(session, other, "Ajena", utc(2025, 12, 30, 15))
    tile = panel.today(session=session, actor=admin, now=NOW)
    assert [i.id for i in tile.overdue_tasks] == overdue and all(i.overdue for i in tile.overdue_tasks)
    assert [i.id for i in tile.due_today_tasks] == due
    first = tile.due_today_tasks[0]
    assert (first.title, first.href, first.customer_id) == ("Esta tarde", f"/customers/{client}", client)
    assert first.detail == "Vence 31 dic 2025, 15:00 · Ana Pérez"
    assert tile.due_today_tasks[1].href == "/tasks"
    assert [i.title for i in panel.today(session=session, actor=sales, now=NOW).overdue_tasks] == ["De Sonia"]


def test_birthdays_of_the_week_across_the_year_end(session, team):
    admin, _, other = team
    monday = customer(session, admin, CREATED, name="Lunes", birthday=date(1990, 12, 29))
    sunday = customer(session, admin, CREATED, name="Domingo", birthday=date(1985, 1, 4))
    customer(session, admin, CREATED, name="Semana pasada", birthday=date(1980, 12, 28))
    customer(session, admin, CREATED, name="Semana próxima", birthday=date(1970, 1, 5))
    customer(session, admin, CREATED, name="Papelera", birthday=date(1999, 12, 31), trashed=True)
    thursday = customer(session, admin, CREATED, name="Jueves", birthday=date(2000, 1, 1))
    customer(session, other, CREATED, name="Ajeno", birthday=date(1990, 12, 30))
    tile = panel.today(session=session, actor=admin, now=NOW)
    assert [i.id for i in tile.birthdays] == [monday, thursday, sunday]
    assert [i.detail for i in tile.birthdays] == ["Cumple el 29 dic", "Cumple el 1 ene", "Cumple el 4 ene"]
    assert tile.birthdays[0].href == f"/customers/{monday}" and tile.birthdays[0].customer_id == monday


def test_february_29th_birthdays_show_on_the_28th_in_other_years(session, team):
    admin = team[0]
    leap = customer(session, admin, CREATED, name="Bisiesto", birthday=date(2000, 2, 29))
    week_2027 = panel.today(session=session, actor=admin, now=utc(2027, 2, 24, 15)).birthdays
    assert [(i.id, i.detail) for i in week_2027] == [(leap, "Cumple el 28 feb")]
    week_2028 = panel.today(session=session, actor=admin, now=utc(2028, 3, 1, 15)).birthdays  # Feb 28-Mar 5
    assert [(i.id, i.detail) for i in week_2028] == [(leap, "Cumple el 29 feb")]


def test_the_birthday_query_reads_the_birthday_index(session, engine, team):
    """The statements the tile runs, with their own parameters, explained by the database."""
    admin = team[0]
    customer(session, admin, CREATED, birthday=date(1990, 12, 29))
    ran = statements_of(engine, lambda sql: "birthday" in sql and sql.lstrip().upper().startswith("SELECT"),
                        lambda: panel.today(session=session, actor=admin, now=utc(2027, 2, 24, 15)))
    assert len(ran) == 8  # seven days, and February 29th on the 28th (a year without it)
    sqlite = engine.dialect.name == "sqlite"
    for plan in plans_of(session, ran):
        # The index is searched by the birthday expression, not just by the organization.
        assert BIRTHDAY_INDEX in plan, plan
        assert ("<expr>=?" if sqlite else "Index Cond: ((organization_id = ") in plan, plan
        condition = plan.split("Index Cond")[-1].split("Filter")[0]
        assert sqlite or "EXTRACT(month FROM birthday)" in condition, plan


def test_orders_due_for_their_assignee_and_every_open_one_for_an_admin(session, team):
    admin, sales, other = team
    assert panel.today(session=session, actor=admin, now=NOW).has_orders is False
    client = customer(session, admin, CREATED, name="Taller Ruiz")
    mine = order(session, admin, 1, "open", date(2025, 12, 30), assignee=sales.user_id, customer_id=client)
    admins = order(session, admin, 2, "in_progress", date(2025, 12, 31), assignee=admin.user_id)
    order(session, admin, 3, "delivered", date(2025, 12, 30), assignee=sales.user_id)
    order(session, admin, 4, "open", date(2026, 1, 2), assignee=sales.user_id)
    nobody = order(session, admin, 5, "done", date(2025, 12, 31))
    order(session, other, 1, "open", date(2025, 12, 30))
    tile = panel.today(session=session, actor=admin, now=NOW)
    assert tile.has_orders and [i.id for i in tile.orders_due] == [mine, admins, nobody]
    first = tile.orders_due[0]
    assert (first.title, first.detail, first.href, first.overdue) == (
        "Pedido 1", "Entrega 30 dic 2025 · Taller Ruiz", f"/orders/{mine}", True)
    assert tile.orders_due[1].overdue is False
    assert [i.id for i in panel.today(session=session, actor=sales, now=NOW).orders_due] == [mine]


def test_latest_comments_by_others_on_my_customers(session, team):
    admin, sales, other = team
    sonias = customer(session, sales, CREATED, name="Cliente de Sonia")
    admins = customer(session, admin, CREATED, name="Cliente del admin")
    on_sonias = comment(session, admin, sonias, "Llamó  ayer\npara confirmar", utc(2025, 12, 31, 13))
    sonias_own = comment(session, sales, sonias, "Mi propio comentario", utc(2025, 12, 31, 13, 5))
    on_admins = comment(session, sales, admins, "Pagó", utc(2025, 12, 31, 13, 10))
    comment(session, admin, admins, "Nota del admin", utc(2025, 12, 31, 13, 15))
    ajeno = customer(session, other, CREATED)
    comment(session, other, ajeno, "Otra empresa", utc(2025, 12, 31, 13, 20))
    mine = panel.today(session=session, actor=sales, now=NOW).comments
    assert [(i.id, i.title) for i in mine] == [(on_sonias, "Llamó ayer para confirmar")]
    assert mine[0].detail == f"{admin.name} en Cliente de Sonia · 31 dic 2025, 8:00"
    assert mine[0].href == f"/customers/{sonias}"
    # An admin's customers are all of them: every comment but his own, newest first.
    seen = panel.today(session=session, actor=admin, now=NOW).comments
    assert [i.id for i in seen] == [on_admins, sonias_own]


def test_a_reader_outside_the_staff_is_refused(session, team):
    admin = team[0]
    stranger = admin.__class__(**{**admin.__dict__, "role": "customer"})
    with pytest.raises(Forbidden):
        panel.today(session=session, actor=stranger, now=NOW)


def test_comments_are_looked_for_among_the_latest_only(session, team, monkeypatch):
    admin, sales, _ = team
    sonias = customer(session, sales, CREATED, name="Cliente de Sonia")
    admins = customer(session, admin, CREATED, name="Cliente del admin")
    old = comment(session, admin, sonias, "Antiguo", utc(2025, 12, 1, 13))
    for n in range(3):
        comment(session, sales, admins, f"Reciente {n}", utc(2025, 12, 31, 13, n))
    assert [i.id for i in panel.today(session=session, actor=sales, now=NOW).comments] == [old]
    monkeypatch.setattr("crm_app.services.panel.today_tile.RECENT_COMMENTS", 3)
    assert panel.today(session=session, actor=sales, now=NOW).comments == ()
