"""The panel's tiles (domain.panel DTOs) as the small, display-ready values the page state holds: rows
of strings and ints, and chart data as short lists of dicts (a chart point per bucket, a bar per label).
Pure functions, so the state stays a thin adapter and these are tested without a browser."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from crm_app.domain.local_time import input_date, iso_day, local_date, number
from crm_app.domain.locale_format import format_percent
from crm_app.domain.panel import (
    BUCKETS,
    ContactTile,
    Count,
    CustomersTile,
    PanelRange,
    PipelineTile,
    TodayItem,
    WorkloadTile,
    read_range,
)
from crm_app.i18n import t
from crm_app.services.panel.refresh_jobs import is_stale

PRESETS = ("7d", "30d", "month", "prev_month", "12m")
# Sectors of the donut: Radix steps 9 of distinct hues (graphics need 3:1; every figure is in the table too).
PALETTE = ("var(--blue-9)", "var(--orange-9)", "var(--grass-9)", "var(--crimson-9)", "var(--violet-9)",
           "var(--amber-9)", "var(--cyan-9)", "var(--brown-9)")
WORKLOAD_ROWS = 40  # users shown (about 30 KB of the state); the CSV export has every one
CONTACT_ROWS = ("mobile", "whatsapp", "email_consent", "any_consent", "unreachable")


@dataclasses.dataclass
class Item:
    """An entry of the today tile."""

    id: int = 0
    title: str = ""
    detail: str = ""
    href: str = ""
    overdue: bool = False
    customer_id: int = 0


@dataclasses.dataclass
class Cell:
    """A workload figure and the list behind it ("" when there is none)."""

    count: int = 0
    href: str = ""


@dataclasses.dataclass
class WorkRow:
    name: str = ""
    cells: list[Cell] = dataclasses.field(default_factory=list)
    total: bool = False


def panel_url(rng: PanelRange) -> str:
    return "/?" + urlencode(rng.params())


def preset_range(name: str, today: date) -> PanelRange:
    """The quick periods: the last 7 or 30 days by day, this month and last month by day, the last 12
    months (this one included) by month."""
    if name == "7d":
        return PanelRange(today - timedelta(days=6), today, "day")
    if name == "month":
        return PanelRange(today.replace(day=1), today, "day")
    if name == "prev_month":
        end = today.replace(day=1) - timedelta(days=1)
        return PanelRange(end.replace(day=1), end, "day")
    if name == "12m":
        first = today.replace(day=1)
        for _ in range(11):
            first = (first - timedelta(days=1)).replace(day=1)
        return PanelRange(first, today, "month")
    return PanelRange(today - timedelta(days=29), today, "day")


def presets(today: date, lang: str) -> list[list[str]]:
    """[label, address] of each quick period."""
    return [[t(f"panel_preset_{name}", lang), panel_url(preset_range(name, today))] for name in PRESETS]


def asked_range(form: dict, today: date) -> tuple[PanelRange | None, dict[str, str]]:
    """The range the picker's form asks for (read like the address), or the errors by field name."""
    start, end = iso_day(str(form.get("from", ""))), iso_day(str(form.get("to", "")))
    errors = {}
    if not start:
        errors["from"] = "panel_range_day"
    if not end:
        errors["to"] = "panel_range_day"
    if start and end and start > end:
        errors["from"] = "panel_range_order"
    if errors:
        return None, errors
    by = str(form.get("by", "day"))
    return read_range({"from": start, "to": end, "by": by if by in BUCKETS else "day"}, today), {}


def range_text(rng: PanelRange, lang: str) -> str:
    return t("panel_range_shown", lang, start=local_date(rng.start, lang), end=local_date(rng.end, lang))


def range_inputs(rng: PanelRange) -> tuple[str, str, str]:
    return input_date(rng.start), input_date(rng.end), rng.bucket


def items(found: tuple[TodayItem, ...]) -> list[Item]:
    return [Item(id=i.id, title=i.title, detail=i.detail, href=i.href, overdue=i.overdue,
                 customer_id=i.customer_id) for i in found]


def change_text(total: int, previous: int, lang: str, country: str) -> str:
    """The period against the previous one, as a sentence with its sign in words and figures."""
    if previous == 0:
        return t("panel_change_same" if total == 0 else "panel_change_new", lang)
    pct = round(100 * (total - previous) / previous, 1)
    if pct == 0:
        return t("panel_change_same", lang)
    key = "panel_change_up" if pct > 0 else "panel_change_down"
    return t(key, lang, pct=format_percent(abs(pct), lang, country))


def series_data(tile: CustomersTile) -> list[dict]:
    return [{"label": p.label, "count": p.count, "previous": p.previous} for p in tile.series]


def bars(counts: tuple[Count, ...], colours: bool = False) -> list[dict]:
    """A bar (or a donut's sector, coloured from PALETTE) per count: label, count, the list's address."""
    rows = [{"label": c.label, "count": c.count, "href": c.href} for c in counts]
    if colours:
        for index, row in enumerate(rows):
            row["fill"] = PALETTE[index % len(PALETTE)]
    return rows


def share(part: int, total: int, lang: str, country: str) -> str:
    """``part`` of ``total`` as the reader's locale writes a percentage ("33,3%" in Ecuador)."""
    return format_percent(round(100 * part / total, 1), lang, country) if total else "—"


def contact_rows(tile: ContactTile, lang: str, country: str) -> list[dict]:
    """A bar per way of reaching customers: label, count, share of the active ones, and its percent as
    the bar's length (0..100)."""
    return [{"label": t(f"pdata_contact_{name}", lang), "count": getattr(tile, name),
             "share": share(getattr(tile, name), tile.total, lang, country),
             "pct": round(100 * getattr(tile, name) / tile.total, 1) if tile.total else 0}
            for name in CONTACT_ROWS]


def workload_table(tile: WorkloadTile, lang: str) -> tuple[list[str], list[WorkRow], str]:
    """(column headings after the user's, rows with the totals row last, a note on the users left out
    when there are more than WORKLOAD_ROWS)."""
    heads = [t("panel_open_tasks", lang), t("panel_overdue_tasks", lang), t("panel_customers_month", lang)]
    if tile.has_leads:
        heads += [t("panel_leads_col", lang, status=c.label) for c in tile.totals.leads]
    if tile.has_orders:
        heads += [t("panel_orders_col", lang, status=c.label) for c in tile.totals.orders]

    def row(r, total: bool) -> WorkRow:
        counts = [r.open_tasks, r.overdue_tasks, r.customers_this_month]
        counts += list(r.leads) if tile.has_leads else []
        counts += list(r.orders) if tile.has_orders else []
        return WorkRow(name=r.name, cells=[Cell(c.count, c.href) for c in counts], total=total)

    shown = tile.rows[:WORKLOAD_ROWS]
    more = "" if len(tile.rows) == len(shown) else t("panel_workload_more", lang, shown=len(shown),
                                                     total=len(tile.rows))
    return heads, [*(row(r, False) for r in shown), row(tile.totals, True)], more


def pipeline_rows(tile: PipelineTile, lang: str, country: str) -> list[dict]:
    return [{"label": s.label, "count": s.count, "reached": s.reached,
             "rate": format_percent(round(100 * s.rate, 1), lang, country), "href": s.href}
            for s in tile.stages]


def stale_since(as_of: tuple[datetime | None, ...], now: datetime | None = None
                ) -> tuple[bool, datetime | None]:
    """(whether a summary behind the figures is stale or missing, the oldest known refresh time)."""
    known = [moment for moment in as_of if moment is not None]
    return any(is_stale(moment, now) for moment in as_of), min(known, default=None)


def conversion_text(tile: PipelineTile, lang: str, country: str) -> str:
    return t("panel_conversion", lang, total=number(tile.total, lang),
             rate=format_percent(round(100 * tile.conversion, 1), lang, country))
