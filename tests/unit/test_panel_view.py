"""The panel's display helpers (states/panel_view.py): quick periods, the picker's range, the change
against the previous period, and the workload table's columns and totals row."""

from __future__ import annotations

from datetime import date

from crm_app.domain.panel import Count, PanelRange, WorkloadRow, WorkloadTile
from crm_app.states import panel_view as view

TODAY = date(2026, 12, 4)  # a Friday


def test_quick_periods_and_their_addresses() -> None:
    assert view.preset_range("7d", TODAY) == PanelRange(date(2026, 11, 28), TODAY, "day")
    assert view.preset_range("30d", TODAY) == PanelRange(date(2026, 11, 5), TODAY, "day")
    assert view.preset_range("month", TODAY) == PanelRange(date(2026, 12, 1), TODAY, "day")
    assert view.preset_range("prev_month", TODAY) == PanelRange(date(2026, 11, 1), date(2026, 11, 30), "day")
    assert view.preset_range("12m", TODAY) == PanelRange(date(2026, 1, 1), TODAY, "month")
    assert view.preset_range("prev_month", date(2027, 1, 15)).start == date(2026, 12, 1)
    labels = view.presets(TODAY, "es")
    assert labels[0] == ["7 días", "/?from=2026-11-28&to=2026-12-04&by=day"]
    assert [label for label, _ in labels] == ["7 días", "30 días", "Este mes", "Mes anterior", "12 meses"]


def test_the_pickers_range_or_its_errors() -> None:
    rng, errors = view.asked_range({"from": "2026-11-01", "to": "2026-11-30", "by": "week"}, TODAY)
    assert (rng, errors) == (PanelRange(date(2026, 11, 1), date(2026, 11, 30), "week"), {})
    assert view.asked_range({"from": "2026-11-30", "to": "2026-11-01"}, TODAY) == (
        None, {"from": "panel_range_order"})
    assert view.asked_range({"from": "", "to": "2026-02-30"}, TODAY) == (
        None, {"from": "panel_range_day", "to": "panel_range_day"})
    # After today it ends today; a bucket that is not one reads as days.
    rng, _ = view.asked_range({"from": "2026-12-01", "to": "2027-01-10", "by": "hour"}, TODAY)
    assert rng == PanelRange(date(2026, 12, 1), TODAY, "day")
    assert view.panel_url(rng) == "/?from=2026-12-01&to=2026-12-04&by=day"


def test_change_against_the_previous_period() -> None:
    assert view.change_text(12, 10, "es") == "+20 % frente al periodo anterior"
    assert view.change_text(5, 8, "en") == "-37.5% on the previous period"
    assert view.change_text(3, 3, "es") == "Igual que el periodo anterior"
    assert view.change_text(4, 0, "es") == "Sin clientes en el periodo anterior"
    assert view.change_text(0, 0, "en") == "Same as the previous period"
    assert view.share(1, 3, "es") == "33,3 %"
    assert view.share(1, 0, "es") == "—"


def _row(user_id: int, name: str, opened: int) -> WorkloadRow:
    lead = (Count("new", "Nuevo", 2, f"/leads?owner={user_id}&status=new"),)
    order = (Count("open", "Abierto", 1, f"/orders?owner={user_id}&status=open"),)
    return WorkloadRow(user_id, name, Count("open", "", opened, f"/tasks?assignee={user_id}&status=open"),
                       Count("overdue", "", 0, ""), Count("month", "", 4, ""), lead, order)


def test_the_workload_table_leaves_out_what_does_not_exist_and_ends_with_the_totals() -> None:
    tile = WorkloadTile(rows=(_row(7, "Ana", 3), _row(8, "Beto", 1)), totals=_row(0, "Todo el equipo", 4),
                        has_leads=True, has_orders=False)
    heads, rows = view.workload_table(tile, "es")
    assert heads == ["Tareas abiertas", "Vencidas", "Clientes este mes", "Leads: Nuevo"]
    assert [(r.name, r.total) for r in rows] == [("Ana", False), ("Beto", False), ("Todo el equipo", True)]
    assert [(c.count, c.href) for c in rows[0].cells] == [
        (3, "/tasks?assignee=7&status=open"), (0, ""), (4, ""), (2, "/leads?owner=7&status=new")]
    heads, rows = view.workload_table(WorkloadTile(rows=(_row(7, "Ana", 3),), totals=_row(0, "Todo", 3),
                                                   has_leads=False, has_orders=True), "en")
    assert heads[-1] == "Orders: Abierto" and len(rows[0].cells) == 4
