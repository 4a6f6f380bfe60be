"""The panel (the home page, ``/?from=&to=&by=``): the range from the address, then the tiles.

The first figures paint fast: ``load`` (run by the guard on page load) reads the range and the today
tile; the charts' tiles follow in ``load_figures``, one tile per update, so each shows as soon as it is
read. Each tile is one bounded read (services/panel: indexed, the past days from a summary). When the
summary is stale a refresh is queued and the page says up to when its figures are counted.
"""

from __future__ import annotations

from datetime import datetime

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.errors import Forbidden
from crm_app.domain.panel import PanelRange, read_range
from crm_app.services import panel
from crm_app.states import panel_view as view
from crm_app.states.clock import OrgLocale, organization_locale
from crm_app.states.customer_feed import reader_for
from crm_app.states.panel_view import Cell, Item, WorkRow
from crm_app.states.session import SessionState, authorized

__all__ = ["Cell", "Item", "PanelState", "WorkRow"]


class PanelState(SessionState):
    # The range, as the address says it (inputs' values, the export links' query) and in words.
    range_from: str = ""
    range_to: str = ""
    range_by: str = "day"
    range_label: str = ""
    export_query: str = ""
    quick_ranges: list[list[str]] = []
    range_errors: dict[str, str] = {}
    stale_note: str = ""  # "Cifras hasta ...; hoy en vivo." while the summary is being refreshed

    # Today
    today_loaded: bool = False
    overdue: list[Item] = []
    due_today: list[Item] = []
    birthdays: list[Item] = []
    orders_due: list[Item] = []
    comments: list[Item] = []
    has_orders: bool = False

    # Customers
    customers_loaded: bool = False
    customers_total: int = 0
    customers_previous: str = ""
    customers_change: str = ""
    customers_href: str = ""
    series: list[dict[str, str | int]] = []
    by_type: list[dict[str, str | int]] = []
    by_channel: list[dict[str, str | int]] = []
    by_source: list[dict[str, str | int]] = []
    by_tag: list[dict[str, str | int]] = []

    # Contactability
    contact_loaded: bool = False
    contact: list[dict[str, str | int | float]] = []
    contact_total: str = ""
    unreachable: int = 0
    unreachable_href: str = ""

    # Workload
    workload_loaded: bool = False
    workload_heads: list[str] = []
    workload_rows: list[WorkRow] = []
    workload_more: str = ""

    # Pipeline (shown once leads exist)
    pipeline_loaded: bool = False
    has_leads: bool = False
    stages: list[dict[str, str | int]] = []
    pipeline_summary: str = ""

    _range: PanelRange | None = None

    def _read_range(self, session, actor) -> None:
        today = panel.org_today(session=session, actor=actor)
        params = {k: v for k, v in self.router.url.query_parameters.items() if isinstance(v, str)}
        rng = read_range(params, today)
        self._range = rng
        self.range_from, self.range_to, self.range_by = view.range_inputs(rng)
        self.range_label = view.range_text(rng, self.lang)
        self.export_query = view.panel_url(rng).partition("?")[2]
        self.quick_ranges = view.presets(today, self.lang)
        self.range_errors = {}

    def _show_today(self, tile) -> None:
        self.overdue, self.due_today = view.items(tile.overdue_tasks), view.items(tile.due_today_tasks)
        self.birthdays, self.comments = view.items(tile.birthdays), view.items(tile.comments)
        self.orders_due, self.has_orders = view.items(tile.orders_due), tile.has_orders
        self.today_loaded = True

    def _show_customers(self, tile, country: str) -> None:
        self.customers_total = tile.total
        self.customers_previous = self._t("panel_vs_previous", previous=tile.previous_total)
        self.customers_change = view.change_text(tile.total, tile.previous_total, self.lang, country)
        self.customers_href = tile.href
        self.series = view.series_data(tile)
        self.by_type = view.bars(tile.by_type, colours=True)
        self.by_channel, self.by_source = view.bars(tile.by_channel), view.bars(tile.by_source)
        self.by_tag = view.bars(tile.by_tag)
        self.customers_loaded = True

    def _show_contact(self, tile, country: str) -> None:
        self.contact = view.contact_rows(tile, self.lang, country)
        self.contact_total = self._t("panel_of_total", total=tile.total)
        self.unreachable, self.unreachable_href = tile.unreachable, tile.unreachable_href
        self.contact_loaded = True

    def _show_workload(self, tile) -> None:
        self.workload_heads, self.workload_rows, self.workload_more = view.workload_table(tile, self.lang)
        self.workload_loaded = True

    def _show_pipeline(self, tile, country: str) -> None:
        self.has_leads = tile.total > 0
        self.stages = view.pipeline_rows(tile, self.lang, country)
        self.pipeline_summary = view.conversion_text(tile, self.lang, country)
        self.pipeline_loaded = True

    def _note_staleness(self, actor, org: OrgLocale, *as_of: datetime | None) -> None:
        """A stale or missing summary: queue its refresh and say up to when the past days are counted."""
        stale, since = view.stale_since(as_of)
        self.stale_note = ""
        if not stale:
            return
        with session_scope() as session:
            panel.request_refresh(session=session, actor=actor)
        if since is not None:  # never summarized: every figure was counted live, nothing to say
            self.stale_note = self._t("panel_stale", when=reader_for(actor, self.lang, org).exact(since))

    # -- events -----------------------------------------------------------------------------------
    @authorized()
    def load(self, actor):
        """On page load (and when the address's range changes): the range and the today tile, then the
        rest in ``load_figures``."""
        self.customers_loaded = self.contact_loaded = self.workload_loaded = self.pipeline_loaded = False
        with session_scope() as session:
            self._read_range(session, actor)
            self._show_today(panel.today(session=session, actor=actor))
        return PanelState.load_figures

    @authorized()
    def load_figures(self, actor):
        """The tiles after today's, each shown as soon as it is read (one update per tile)."""
        if self._range is None:
            return None
        return self._figures(actor, self._range)

    def _figures(self, actor, rng: PanelRange):
        org = organization_locale(actor)  # read once: the percentages follow its country, the note its zone
        country = org.country
        try:
            with session_scope() as session:
                customers = panel.customers(session=session, actor=actor, rng=rng)
            self._show_customers(customers, country)
            yield
            with session_scope() as session:
                contact = panel.contact(session=session, actor=actor)
            self._show_contact(contact, country)
            yield
            with session_scope() as session:
                self._show_workload(panel.workload(session=session, actor=actor))
            yield
            with session_scope() as session:
                self._show_pipeline(panel.pipeline(session=session, actor=actor, rng=rng), country)
            self._note_staleness(actor, org, customers.as_of, contact.as_of)
        except Forbidden as exc:
            yield rx.toast.error(self._err(exc))

    @authorized()
    def apply_range(self, actor, form: dict):
        """The picker's range: to the address (shareable, back button), which loads it."""
        with session_scope() as session:
            today = panel.org_today(session=session, actor=actor)
        rng, errors = view.asked_range(form, today)
        if rng is None:
            self.range_errors = {name: self._t(key) for name, key in errors.items()}
            return None
        self.range_errors = {}
        return rx.redirect(view.panel_url(rng))
