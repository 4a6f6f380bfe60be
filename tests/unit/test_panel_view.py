"""The panel's display helpers (states/panel_view.py): quick periods, the picker's range, the change
against the previous period, and the workload table's columns and totals row."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta

from crm_app.domain.panel import (
    MAX_POINTS,
    Count,
    CustomersTile,
    PanelRange,
    PipelineStage,
    PipelineTile,
    Point,
    TodayItem,
    WorkloadRow,
    WorkloadTile,
)
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
    assert view.change_text(12, 10, "es", "EC") == "+20% frente al periodo anterior"
    assert view.change_text(5, 8, "en", "US") == "-37.5% vs. the previous period"
    assert view.change_text(5, 8, "pt", "BR") == "-37,5% em relação ao período anterior"
    assert view.change_text(3, 3, "es", "EC") == "Igual que el periodo anterior"
    assert view.change_text(4, 0, "es", "EC") == "Sin clientes en el periodo anterior"
    assert view.change_text(0, 0, "en", "US") == "Same as the previous period"


def test_shares_and_rates_as_the_readers_country_writes_them() -> None:
    assert view.share(1, 3, "es", "EC") == "33,3%"
    assert view.share(1, 3, "es", "ES") == "33,3\u00a0%"  # Spain puts a space before the sign
    assert view.share(1, 3, "en", "US") == "33.3%"
    assert view.share(1, 0, "es", "EC") == "—"
    tile = PipelineTile(total=8, won=1, conversion=0.125,
                        stages=(PipelineStage("won", "Ganado", 1, 1, 0.125, "/leads?status=won"),))
    assert view.pipeline_rows(tile, "pt", "BR")[0]["rate"] == "12,5%"
    assert view.conversion_text(tile, "es", "EC") == "8 leads en el periodo · conversión 12,5%"


def _row(user_id: int, name: str, opened: int) -> WorkloadRow:
    lead = (Count("new", "Nuevo", 2, f"/leads?owner={user_id}&status=new"),)
    order = (Count("open", "Abierto", 1, f"/orders?owner={user_id}&status=open"),)
    return WorkloadRow(user_id, name, Count("open", "", opened, f"/tasks?assignee={user_id}&status=open"),
                       Count("overdue", "", 0, ""), Count("month", "", 4, ""), lead, order)


def test_the_workload_table_leaves_out_what_does_not_exist_and_ends_with_the_totals() -> None:
    tile = WorkloadTile(rows=(_row(7, "Ana", 3), _row(8, "Beto", 1)), totals=_row(0, "Todo el equipo", 4),
                        has_leads=True, has_orders=False)
    heads, rows, more = view.workload_table(tile, "es")
    assert more == ""
    assert heads == ["Tareas abiertas", "Vencidas", "Clientes este mes", "Leads: Nuevo"]
    assert [(r.name, r.total) for r in rows] == [("Ana", False), ("Beto", False), ("Todo el equipo", True)]
    assert [(c.count, c.href) for c in rows[0].cells] == [
        (3, "/tasks?assignee=7&status=open"), (0, ""), (4, ""), (2, "/leads?owner=7&status=new")]
    heads, rows, _ = view.workload_table(WorkloadTile(rows=(_row(7, "Ana", 3),), totals=_row(0, "Todo", 3),
                                                   has_leads=False, has_orders=True), "en")
    assert heads[-1] == "Orders: Abierto" and len(rows[0].cells) == 4


def test_a_large_team_shows_its_first_users_and_says_the_export_has_them_all() -> None:
    users = tuple(_row(user_id, f"Usuario {user_id}", 1) for user_id in range(1, 61))
    tile = WorkloadTile(rows=users, totals=_row(0, "Todo el equipo", 60), has_leads=True, has_orders=True)
    _, rows, more = view.workload_table(tile, "es")
    assert len(rows) == view.WORKLOAD_ROWS + 1 and rows[-1].total
    assert more == "Se muestran 40 de 60 usuarios; la exportación CSV los incluye a todos."


def test_a_summary_older_than_ten_minutes_or_missing_is_stale() -> None:
    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    fresh, old = now - timedelta(minutes=3), now - timedelta(minutes=25)
    assert view.stale_since((fresh, fresh), now) == (False, fresh)
    assert view.stale_since((fresh, old), now) == (True, old)
    assert view.stale_since((None, None), now) == (True, None)  # never summarized: counted live


def test_the_largest_panel_fits_the_states_budget() -> None:
    """Every tile at its largest (a 120-point series, full today lists, 40 users by 13 figures) stays
    well under the 64 KB a tab's state may hold."""
    counts = tuple(Count(f"k{i}", f"Etiqueta número {i}", 1000 + i, f"/customers?tags=Etiqueta+{i}")
                   for i in range(10))
    points = tuple(Point(date(2026, 1, 1) + timedelta(days=i), f"{i} ene", 100 + i, 90 + i)
                   for i in range(MAX_POINTS))
    customers = CustomersTile(9999, 8888, points, counts, counts, counts, counts, "/customers?x=1", None)
    item = TodayItem(123456, "Llamar para la cotización de la ampliación del local" * 2,
                     "Vence 4 dic 2026, 10:38 · Ferretería Andina del Pacífico S.A.", "/customers/123456",
                     overdue=True, customer_id=123456)
    users = tuple(_row(100000 + i, f"Usuaria con un nombre largo {i}", 1) for i in range(60))
    work = WorkloadTile(rows=users, totals=_row(0, "Todo el equipo", 60), has_leads=True, has_orders=True)
    heads, rows, more = view.workload_table(work, "es")
    held = {
        "today": [dataclasses.asdict(i) for i in view.items((item,) * 60)],
        "series": view.series_data(customers),
        "splits": [view.bars(counts, colours=True) for _ in range(4)],
        "workload": [heads, [dataclasses.asdict(r) for r in rows], more],
        "presets": view.presets(TODAY, "es"),
    }
    size = len(json.dumps(held, ensure_ascii=False).encode())
    print(f"largest panel state: {size} bytes")
    assert size < 48 * 1024, size
