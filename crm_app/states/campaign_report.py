"""A started campaign's report on /campaigns/[campaign_id] (admins): the preparation's progress, counts by
status, pause / resume / cancel, and the recipients, filtered by status and keyset paged.

While the campaign may still change (scheduled, preparing, sending, paused) a background event
(:meth:`CampaignReportState.watch`) reads it again every few seconds, like the import page's progress;
it stops once the campaign ended, the tab signed out, or the tab left this campaign's page.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.campaigns import LIVE, RECIPIENT_STATUSES
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, Forbidden, NotFound
from crm_app.domain.ids import parse_id
from crm_app.domain.jobs import JobDTO
from crm_app.domain.local_time import Clock, number
from crm_app.services import campaigns as campaign_service
from crm_app.services import jobs
from crm_app.states.clock import clock_for
from crm_app.states.dialogs import dialog_flags
from crm_app.states.page_trail import PageTrail
from crm_app.states.session import SessionState, authorized
from crm_app.states.threads import in_thread

# The counts the report always shows ("logged_only" only when some mail went to the log: no SMTP server).
COUNTED = ("queued", "sent", "failed", "unsubscribed", "paused", "cancelled")
PAGE_SIZE = 25
WATCH_SECONDS = 3.0
MAX_WATCH_ROUNDS = 4 * 3600 // 3  # a watcher gives up after hours; a reload starts another


@dataclasses.dataclass
class RecipientRow:
    id: int
    address: str
    customer_id: int
    customer_name: str
    status: str
    status_label: str
    error: str  # why it failed
    when: str  # sent or unsubscribed, in the organization's zone


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """What one reading of the report holds (read in a worker thread, shown in the state)."""

    campaign: Any
    counts: dict[str, int]
    job: JobDTO | None
    page: Any
    clock: Clock


def read_report(actor: Actor, campaign_id: int, status: str, cursor: str, lang: str) -> Snapshot:
    clock = clock_for(actor, lang)
    with session_scope() as session:
        campaign = campaign_service.get_campaign(session=session, actor=actor, campaign_id=campaign_id)
        counts = campaign_service.report(session=session, actor=actor, campaign_id=campaign_id)
        job = jobs.get_job(session, actor.organization_id, campaign.job_id) if campaign.job_id else None
        page = campaign_service.list_recipients(session=session, actor=actor, campaign_id=campaign_id,
                                                status=status, after=cursor, limit=PAGE_SIZE)
    return Snapshot(campaign, dict(counts), job, page, clock)


@dialog_flags("confirm_cancel")
class CampaignReportState(SessionState):
    campaign_id: int = 0
    status: str = ""
    status_label: str = ""
    counts: dict[str, str] = {}
    summary: str = ""  # "40 direcciones · 3 clientes quedaron fuera…"
    preparing: bool = False
    percent: int = 0
    progress_text: str = ""
    can_pause: bool = False
    can_resume: bool = False
    can_cancel: bool = False
    filter_status: str = ""
    rows: list[RecipientRow] = []
    has_next: bool = False
    page_number: int = 1
    confirm_cancel: bool = False
    _trail: PageTrail[str] = PageTrail("")
    _next: str = ""
    _watching: bool = False

    # -- reading ---------------------------------------------------------------------------------
    def _path_id(self) -> int:
        return parse_id(self.router.url.path.rstrip("/").rsplit("/", 1)[-1]) or 0

    def _show(self, snap: Snapshot) -> None:
        campaign, clock = snap.campaign, snap.clock
        self.campaign_id, self.status = campaign.id, campaign.status
        self.status_label = self._t(f"campaign_status_{campaign.status}")
        self.counts = {key: number(snap.counts.get(key, 0), self.lang) for key in RECIPIENT_STATUSES}
        # The recipients are fixed when it starts: a scheduled campaign has none yet.
        self.summary = "" if campaign.status == "scheduled" else self._t(
            "campaign_summary", count=number(campaign.recipients, self.lang),
            excluded=number(campaign.excluded, self.lang))
        self.can_pause = campaign.status in ("preparing", "sending")  # a preparation stops between batches
        self.can_resume = campaign.status == "paused"
        self.can_cancel = campaign.status in LIVE
        self._show_job(snap.job if campaign.status == "preparing" else None)
        self.rows = [self._row(r, clock) for r in snap.page.rows]
        self._next = snap.page.next_cursor
        self.has_next, self.page_number = bool(self._next), self._trail.number

    def _show_job(self, job: JobDTO | None) -> None:
        self.preparing = self.status == "preparing"
        if job is None:
            self.percent, self.progress_text = 0, ""
            return
        self.percent = job.percent
        self.progress_text = self._t("campaign_progress", done=number(job.done, self.lang),
                                     total=number(job.total, self.lang))

    def _row(self, r: Any, clock: Clock) -> RecipientRow:
        moment = r.unsubscribed_at or r.sent_at
        return RecipientRow(
            id=r.id, address=r.address, customer_id=r.customer_id, customer_name=r.customer_name,
            status=r.status, status_label=self._t(f"campaign_recipient_{r.status}"), error=r.error or "",
            when=clock.exact(moment) if moment else "",
        )

    async def _read(self, actor: Actor) -> None:
        snap = await asyncio.to_thread(read_report, actor, self.campaign_id, self.filter_status,
                                       self._trail.cursor, self.lang)
        self._show(snap)

    def _watch_if_live(self):
        if self.status in LIVE and not self._watching:
            self._watching = True
            return CampaignReportState.watch
        return None

    @authorized("admin")
    async def load(self, actor):
        """The report of the campaign in the address; nothing for a draft (its form shows instead)."""
        self.reset()
        self.campaign_id = self._path_id()
        if not self.campaign_id:
            return None
        try:
            await self._read(actor)
        except NotFound:
            self.reset()
            return None
        if self.status == "draft":
            self.reset()
            return None
        return self._watch_if_live()

    # -- the recipients list ---------------------------------------------------------------------
    async def _page(self, actor: Actor, trail: PageTrail[str]) -> None:
        if not self.campaign_id:
            return
        self._trail = trail
        await self._read(actor)

    @authorized("admin")
    async def filter_recipients(self, actor, status: str):
        self.filter_status = status if status in RECIPIENT_STATUSES else ""
        await self._page(actor, PageTrail(""))

    @authorized("admin")
    async def next_recipients(self, actor):
        if self._next:
            await self._page(actor, self._trail.forward(self._next))

    @authorized("admin")
    async def previous_recipients(self, actor):
        if self._trail.has_previous:
            await self._page(actor, self._trail.back())

    # -- pause, resume, cancel -------------------------------------------------------------------
    async def _act(self, actor: Actor, call, done_key: str):
        if not self.campaign_id:
            return None
        try:
            await in_thread(call, actor=actor, campaign_id=self.campaign_id)
        except Conflict as exc:  # it moved on meanwhile (ended, or another admin acted)
            await self._read(actor)
            return rx.toast.error(self._err(exc))
        await self._read(actor)
        return [rx.toast.success(self._t(done_key)), self._watch_if_live()]

    @authorized("admin")
    async def pause(self, actor):
        return await self._act(actor, campaign_service.pause, "campaign_paused")

    @authorized("admin")
    async def resume(self, actor):
        return await self._act(actor, campaign_service.resume, "campaign_resumed")

    @rx.event
    def set_confirm_cancel(self, value: bool):
        self.confirm_cancel = bool(value) and self.can_cancel

    @authorized("admin")
    async def cancel(self, actor):
        if not self.confirm_cancel:
            return None
        self.confirm_cancel = False
        return await self._act(actor, campaign_service.cancel, "campaign_cancelled")

    # -- refreshing while it sends ---------------------------------------------------------------
    def _still_here(self, campaign_id: int) -> bool:
        return bool(campaign_id) and self.campaign_id == campaign_id and self._path_id() == campaign_id

    @rx.event(background=True)
    async def watch(self):
        """Read the report again every few seconds while the campaign may change and the tab shows it."""
        try:
            for _ in range(MAX_WATCH_ROUNDS):
                async with self:
                    actor, campaign_id = self._actor(), self.campaign_id
                    here = self._still_here(campaign_id)
                if actor is None or not actor.is_admin or not here:
                    break
                await asyncio.sleep(WATCH_SECONDS)
                async with self:
                    status, cursor, lang = self.filter_status, self._trail.cursor, self.lang
                try:
                    snap = await asyncio.to_thread(read_report, actor, campaign_id, status, cursor, lang)
                except (NotFound, Forbidden):  # deleted, or no longer his to see
                    break
                except Exception:  # a database hiccup: the next round reads again
                    continue
                async with self:
                    if not self._still_here(campaign_id) or (status, cursor) != (
                            self.filter_status, self._trail.cursor):
                        continue  # left, or the list moved meanwhile: the next round reads afresh
                    self._show(snap)
                    if self.status not in LIVE:
                        break
        finally:
            async with self:
                self._watching = False
