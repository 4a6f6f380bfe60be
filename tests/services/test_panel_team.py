"""The panel's workload and leads pipeline tiles on both databases, against hand-counted rows: tasks,
customers created this month (summary or live), leads and orders per user and for the organization,
each figure linking to its list; a sales user sees only his own row; leads created in the range by the
organization's local days; another organization's rows never count."""

from __future__ import annotations

from datetime import date

import pytest

from crm_app.domain.panel import PanelRange
from crm_app.services import panel
from tests.factories import make_org, make_user
from tests.services.test_panel_factories import (
    customer,
    lead,
    order,
    plans_of,
    refresh,
    statements_of,
    task,
    utc,
)

NOW = utc(2025, 12, 31, 15)  # December 31st 2025, 10:00 in Guayaquil (UTC-5)


@pytest.fixture
def team(session):
    _, admin = make_org(session, country="EC", admin_name="Zoe Admin")
    _, other = make_org(session, name="Other", country="EC")
    _, sonia, _ = make_user(session, admin, "sales", name="Ana Ventas")
    s = sonia.user_id
    task(session, admin, "Vencida", utc(2025, 12, 30, 15), assignee=s)
    task(session, admin, "Mañana", utc(2026, 1, 1, 15), assignee=s)
    task(session, admin, "Hecha", utc(2025, 12, 30, 15), assignee=s, done=True)
    task(session, admin, "Del admin", None)
    task(session, other, "Ajena", utc(2025, 12, 30, 15))
    customer(session, sonia, utc(2025, 12, 1, 5, 30))  # December 1st, 00:30 local
    customer(session, sonia, utc(2026, 1, 1, 4, 30))  # December 31st, 23:30 local
    customer(session, sonia, utc(2025, 12, 1, 4, 30))  # November 30th, 23:30 local: last month
    customer(session, admin, utc(2025, 12, 15, 15))
    customer(session, other, utc(2025, 12, 15, 15))
    for status in ("new", "new", "won"):
        lead(session, admin, status, utc(2025, 12, 10, 15), owner=s)
    lead(session, admin, "lost", utc(2025, 12, 10, 15), owner=admin.user_id)
    lead(session, admin, "contacted", utc(2025, 12, 10, 15))
    lead(session, other, "new", utc(2025, 12, 10, 15))
    return admin, sonia, other


@pytest.mark.parametrize("summarized", [False, True], ids=["live", "summary"])
def test_workload_per_user_and_for_the_organization(session, engine, team, summarized):
    admin, sonia, _ = team
    if summarized:
        refresh(engine, admin)
    tile = panel.workload(session=session, actor=admin, now=NOW)
    assert [(r.user_id, r.name) for r in tile.rows] == [(sonia.user_id, "Ana Ventas"),
                                                         (admin.user_id, "Zoe Admin")]
    s, a = tile.rows
    assert (s.open_tasks.count, s.overdue_tasks.count, s.customers_this_month.count) == (2, 1, 2)
    assert (a.open_tasks.count, a.overdue_tasks.count, a.customers_this_month.count) == (1, 0, 1)
    totals = tile.totals
    assert (totals.user_id, totals.name) == (0, "Todo el equipo")
    assert (totals.open_tasks.count, totals.overdue_tasks.count) == (3, 1)
    assert totals.customers_this_month.count == 3
    assert s.open_tasks.href == f"/tasks?assignee={sonia.user_id}&status=open"
    assert s.overdue_tasks.href == f"/tasks?assignee={sonia.user_id}&status=overdue"
    assert totals.overdue_tasks.href == "/tasks?assignee=all&status=overdue"
    month = "/customers?created_from=2025-12-01&created_to=2025-12-31&sort=-created"
    assert s.customers_this_month.href == f"{month}&created_by={sonia.user_id}"
    assert totals.customers_this_month.href == month
    assert [(c.key, c.count) for c in s.leads] == [("new", 2), ("contacted", 0), ("qualified", 0), ("won", 1),
                                                  ("lost", 0)]
    assert [c.count for c in totals.leads] == [2, 1, 0, 1, 1]
    assert s.leads[0].href == f"/leads?owner={sonia.user_id}&status=new"
    assert totals.leads[1].href == "/leads?status=contacted"
    assert tile.has_leads and not tile.has_orders and s.orders == () and totals.orders == ()


def test_orders_by_assignee_once_the_organization_has_orders(session, team):
    admin, sonia, _ = team
    order(session, admin, 1, "open", date(2025, 12, 30), assignee=sonia.user_id)
    order(session, admin, 2, "delivered", None, assignee=sonia.user_id)
    order(session, admin, 3, "open", None)
    tile = panel.workload(session=session, actor=admin, now=NOW)
    assert tile.has_orders
    assert [(c.key, c.count) for c in tile.rows[0].orders] == [
        ("open", 1), ("in_progress", 0), ("done", 0), ("delivered", 1), ("cancelled", 0)]
    assert [c.count for c in tile.totals.orders] == [2, 0, 0, 1, 0]
    assert tile.rows[0].orders[0].href == f"/orders?owner={sonia.user_id}&status=open"


def test_a_sales_user_sees_his_own_row_and_the_organization(session, team):
    _, sonia, _ = team
    tile = panel.workload(session=session, actor=sonia, now=NOW)
    assert [r.user_id for r in tile.rows] == [sonia.user_id]
    assert tile.totals.open_tasks.count == 3


def test_pipeline_of_the_leads_created_in_the_range(session, team):
    admin, _, other = team
    lead(session, admin, "qualified", utc(2025, 12, 20, 15))
    lead(session, admin, "new", utc(2026, 1, 1, 4, 30))  # December 31st, 23:30 local
    lead(session, admin, "won", utc(2026, 1, 1, 5, 30))  # January 1st: after the range
    lead(session, admin, "won", utc(2025, 11, 30, 15))  # before it
    december = PanelRange(date(2025, 12, 1), date(2025, 12, 31))
    tile = panel.pipeline(session=session, actor=admin, rng=december)
    assert (tile.total, tile.won) == (7, 1) and tile.conversion == pytest.approx(1 / 7)
    stages = [(s.status, s.label, s.count, s.reached) for s in tile.stages]
    assert stages == [("new", "Nuevo", 3, 7 - 1), ("contacted", "Contactado", 1, 3),
                      ("qualified", "Calificado", 1, 2), ("won", "Ganado", 1, 1), ("lost", "Perdido", 1, 1)]
    assert tile.stages[0].rate == pytest.approx(6 / 7)
    assert tile.stages[3].href == "/leads?status=won&from=2025-12-01&to=2025-12-31"
    empty = panel.pipeline(session=session, actor=other, rng=PanelRange(date(2026, 2, 1), date(2026, 2, 28)))
    assert (empty.total, empty.conversion, [s.rate for s in empty.stages]) == (0, 0.0, [0.0] * 5)


def test_the_workload_counts_leads_and_orders_from_their_covering_indexes(session, engine, team):
    """Each owner's leads and each assignee's orders by status are read from the partial indexes
    (organization, owner, status) of the active rows, not row by row."""
    admin = team[0]
    order(session, admin, 1, "open", None, assignee=admin.user_id)
    def grouped(sql: str) -> bool:
        return "GROUP BY" in sql and ("FROM lead" in sql or "FROM sales_order" in sql)

    ran = statements_of(engine, grouped, lambda: panel.workload(session=session, actor=admin, now=NOW))
    assert len(ran) == 2
    plans = plans_of(session, ran)
    assert "ix_lead_org_owner_status" in plans[0] and "ix_sales_order_org_assignee_status" in plans[1], plans
    # SQLite reads the index in the groups' order (3.40 still reads deleted_at in the row: not covering).
    if engine.dialect.name == "sqlite":
        assert not any("TEMP B-TREE" in plan for plan in plans), plans
    else:
        assert all("Index Only Scan" in plan for plan in plans), plans
