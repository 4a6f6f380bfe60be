"""Each tile as a table (header and rows): what the CSV export writes and what the table view shows a
screen reader. Plain values in the reader's language; links are the app's relative addresses."""

from __future__ import annotations

from crm_app.domain.panel import ContactTile, CustomersTile, PipelineTile, TodayTile, WorkloadTile
from crm_app.i18n import t

Table = tuple[tuple[str, ...], list[tuple]]
CONTACT = ("total", "mobile", "whatsapp", "email_consent", "any_consent", "unreachable")


def _today(tile: TodayTile, lang: str) -> Table:
    header = tuple(t(k, lang) for k in ("pdata_col_section", "pdata_col_item", "pdata_col_detail",
                                          "pdata_col_link"))
    rows = []
    for section in ("overdue_tasks", "due_today_tasks", "birthdays", "orders_due", "comments"):
        name = t(f"pdata_sec_{section}", lang)
        rows += [(name, item.title, item.detail, item.href) for item in getattr(tile, section)]
    return header, rows


def _customers(tile: CustomersTile, lang: str) -> Table:
    header = tuple(t(k, lang) for k in ("pdata_col_section", "pdata_col_label", "pdata_col_count",
                                          "pdata_col_previous"))
    series = t("pdata_sec_series", lang)
    rows: list[tuple] = [(series, point.label, point.count, point.previous) for point in tile.series]
    for split in ("type", "channel", "source", "tag"):
        name = t(f"pdata_sec_{split}", lang)
        rows += [(name, count.label, count.count, "") for count in getattr(tile, f"by_{split}")]
    return header, rows


def _contact(tile: ContactTile, lang: str) -> Table:
    header = (t("pdata_col_label", lang), t("pdata_col_count", lang), t("pdata_col_share", lang))
    rows = []
    for name in CONTACT:
        value = getattr(tile, name)
        share = f"{round(100 * value / tile.total, 1)}%" if tile.total else ""
        rows.append((t(f"pdata_contact_{name}", lang), value, share))
    return header, rows


def _workload(tile: WorkloadTile, lang: str) -> Table:
    statuses = [(count.label, "lead") for count in tile.totals.leads]
    statuses += [(count.label, "order") for count in tile.totals.orders]
    header = (t("pdata_col_user", lang), t("pdata_open_tasks", lang), t("pdata_overdue_tasks", lang),
              t("pdata_customers_this_month", lang),
              *(t(f"pdata_{kind}_prefix", lang, status=label) for label, kind in statuses))
    rows = [(row.name, row.open_tasks.count, row.overdue_tasks.count, row.customers_this_month.count,
             *(count.count for count in row.leads), *(count.count for count in row.orders))
            for row in (*tile.rows, tile.totals)]
    return header, rows


def _pipeline(tile: PipelineTile, lang: str) -> Table:
    header = tuple(t(k, lang) for k in ("pdata_col_stage", "pdata_col_count", "pdata_col_reached",
                                          "pdata_col_rate"))
    rows = [(stage.label, stage.count, stage.reached, f"{round(100 * stage.rate, 1)}%")
            for stage in tile.stages]
    return header, rows


TABLES = {"today": _today, "customers": _customers, "contact": _contact, "workload": _workload,
          "pipeline": _pipeline}


def tile_table(tile: str, value, lang: str) -> Table:
    """The header and rows of ``tile`` (a name of domain.panel.TILES) whose value is ``value``."""
    return TABLES[tile](value, lang)
