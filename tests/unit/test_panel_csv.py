"""Each panel tile as a table (the CSV export and the screen readers' table view): its header in the
reader's language and one row per figure; and the buckets' labels."""

from __future__ import annotations

from datetime import date

from crm_app.domain.panel import (
    ContactTile,
    Count,
    CustomersTile,
    PipelineStage,
    PipelineTile,
    Point,
    TodayItem,
    TodayTile,
    WorkloadRow,
    WorkloadTile,
    bucket_label,
)
from crm_app.services.panel.csv_rows import tile_table


def test_bucket_labels_in_each_language():
    assert bucket_label(date(2026, 11, 3), "day", "es") == "3 nov"
    assert bucket_label(date(2026, 11, 2), "week", "en") == "Nov 2"
    assert bucket_label(date(2026, 11, 1), "month", "es") == "nov 2026"


def test_customers_and_contact_tables():
    tile = CustomersTile(total=3, previous_total=1, series=(Point(date(2026, 11, 9), "9 nov", 3, 1),),
                         by_type=(Count("person", "Persona natural", 2, "/customers?type=person"),),
                         by_channel=(), by_source=(Count("api", "API", 1),), by_tag=(), href="", as_of=None)
    header, rows = tile_table("customers", tile, "es")
    assert header == ("Sección", "Concepto", "Cantidad", "Periodo anterior")
    assert rows == [("Clientes nuevos", "9 nov", 3, 1), ("Tipo de cliente", "Persona natural", 2, ""),
                    ("Origen", "API", 1, "")]
    contact = ContactTile(total=4, mobile=2, whatsapp=1, email_consent=1, any_consent=3, unreachable=1,
                          unreachable_href="/customers?reach=none", as_of=None)
    header, rows = tile_table("contact", contact, "en")
    assert header == ("Item", "Count", "Share")
    assert rows[0] == ("Active customers", 4, "100.0%") and rows[-1] == ("No way to reach them", 1, "25.0%")


def test_today_workload_and_pipeline_tables():
    item = TodayItem(7, "Llamar", "Vence 31 dic 2025, 15:00", "/tasks", overdue=True)
    today = TodayTile((item,), (), (), (), (), has_orders=False)
    assert tile_table("today", today, "es")[1] == [
        ("Tareas vencidas", "Llamar", "Vence 31 dic 2025, 15:00", "/tasks")]

    def row(user_id: int, name: str, opened: int) -> WorkloadRow:
        return WorkloadRow(user_id, name, Count("open", "", opened), Count("overdue", "", 0),
                           Count("customers", "", 5), (Count("new", "New", 2),), ())

    work = WorkloadTile(rows=(row(3, "Ana", 1),), totals=row(0, "Whole team", 4), has_leads=True,
                        has_orders=False)
    header, rows = tile_table("workload", work, "en")
    assert header == ("User", "Open tasks", "Overdue tasks", "New customers this month", "Leads: New")
    assert rows == [("Ana", 1, 0, 5, 2), ("Whole team", 4, 0, 5, 2)]
    pipeline = PipelineTile(total=4, won=1, conversion=0.25,
                            stages=(PipelineStage("won", "Won", 1, 1, 0.25, "/leads?status=won"),))
    assert tile_table("pipeline", pipeline, "en") == (("Stage", "Count", "Reached the stage", "Rate"),
                                                      [("Won", 1, 1, "25.0%")])
