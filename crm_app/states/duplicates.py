"""/customers/duplicates (admins): start a scan of the base, follow it, and review its candidate groups.

The scan is a job (services/duplicates, jobs/duplicates.py); this page starts it and follows its row with
a background event (:meth:`DuplicatesState.watch`), like the import page, so the bar is the same after a
reload or in another admin's tab. The groups are one page in the state (keyset cursor, best score
first), filtered by one reason; "No son duplicados" is remembered per pair by the service.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.duplicates import REASONS, SCAN_MODES, DuplicateGroupDTO, ScanStatus
from crm_app.domain.errors import DomainError
from crm_app.domain.jobs import JobDTO
from crm_app.domain.local_time import Clock
from crm_app.services import duplicates as duplicate_service
from crm_app.services import jobs
from crm_app.states.clock import clock_for
from crm_app.states.job_progress import follow, progress_text
from crm_app.states.session import SessionState, authorized

PAGE_SIZE = 20
RUNNING = ("queued", "running")


@dataclasses.dataclass
class MemberRow:
    customer_id: int
    name: str
    href: str
    phone: str
    email: str
    tax_id: str
    created: str


@dataclasses.dataclass
class PairRow:
    a_id: int
    b_id: int
    names: str  # "Ana Pérez y Ana Perez"
    score: int
    reasons: str


@dataclasses.dataclass
class GroupRow:
    id: int
    score: int
    reasons: str  # in words: "mismo teléfono, nombres parecidos"
    members: list[MemberRow]
    pairs: list[PairRow]
    merge_href: str


def reasons_text(state: SessionState, reasons: tuple[str, ...]) -> str:
    return ", ".join(state._t(f"dupui_reason_{r}") for r in reasons)


def merge_href(customer_ids) -> str:
    return "/customers/merge?ids=" + ",".join(str(i) for i in customer_ids)


def _group_row(state: SessionState, clock: Clock, group: DuplicateGroupDTO) -> GroupRow:
    names = {m.customer_id: m.display_name for m in group.members}
    members = [MemberRow(customer_id=m.customer_id, name=m.display_name, href=f"/customers/{m.customer_id}",
                         phone=m.phone, email=m.email, tax_id=m.tax_id, created=clock.day(m.created_at))
               for m in group.members]
    pairs = [PairRow(a_id=p.customer_a_id, b_id=p.customer_b_id, score=p.score,
                     names=state._t("dupui_pair_names", a=names.get(p.customer_a_id, p.customer_a_id),
                                    b=names.get(p.customer_b_id, p.customer_b_id)),
                     reasons=reasons_text(state, p.reasons))
             for p in group.pairs]
    return GroupRow(id=group.id, score=group.score, reasons=reasons_text(state, group.reasons),
                    members=members, pairs=pairs, merge_href=merge_href(m.customer_id for m in group.members))


class DuplicatesState(SessionState):
    loaded: bool = False
    reason: str = ""  # "" = every reason
    groups: list[GroupRow] = []
    total: int = 0
    cursor: str = ""  # the current page's start ("" = the first page)
    next_cursor: str = ""
    # the last scan and the one running
    last_scan: str = ""
    last_mode: str = ""
    waiting: int = 0  # groups waiting for review
    job_status: str = ""
    percent: int = 0
    progress_text: str = ""
    last_found: str = ""  # what the last finished scan found, in words
    _job_id: int = 0
    _watching: bool = False

    @rx.var
    def scanning(self) -> bool:
        return self.job_status in RUNNING

    # ------------------------------------------------------------------ reading

    def _read_page(self, actor: Actor) -> None:
        clock = clock_for(actor, self.lang)
        with session_scope() as session:
            page = duplicate_service.list_groups(session=session, actor=actor, reason=self.reason,
                                                 after=self.cursor, limit=PAGE_SIZE)
        self.groups = [_group_row(self, clock, g) for g in page.groups]
        self.next_cursor, self.total = page.next_cursor, page.total

    def _show_status(self, actor: Actor, status: ScanStatus, job: JobDTO | None) -> None:
        clock = clock_for(actor, self.lang)
        self.last_scan = clock.exact(status.last_scan_at) if status.last_scan_at else ""
        self.last_mode, self.waiting = status.last_mode, status.groups
        self._job_id = status.job_id or 0
        self.last_found = self._t("dupui_last_found", groups=status.groups) if status.last_scan_at else ""
        if job is None:
            self.job_status, self.percent, self.progress_text = "", 0, ""
            return
        self.job_status, self.percent = job.status, job.percent
        self.progress_text = progress_text(job, self.lang)

    @authorized("admin")
    def load(self, actor: Actor):
        self.reset()
        reason = self.router.url.query_parameters.get("reason", "")
        self.reason = reason if reason in REASONS else ""
        status, job = _read_status(actor)
        self._show_status(actor, status, job)
        self._read_page(actor)
        self.loaded = True
        return self._watch_if_running()

    def _watch_if_running(self):
        if self.job_status in RUNNING and not self._watching:
            self._watching = True
            return DuplicatesState.watch
        return None

    @authorized("admin")
    def set_reason(self, actor: Actor, reason: str):
        self.reason = reason if reason in REASONS else ""
        self.cursor = ""
        self._read_page(actor)

    @authorized("admin")
    def next_page(self, actor: Actor):
        if self.next_cursor:
            self.cursor = self.next_cursor
            self._read_page(actor)

    @authorized("admin")
    def first_page(self, actor: Actor):
        self.cursor = ""
        self._read_page(actor)

    # ------------------------------------------------------------------ acting

    @authorized("admin")
    def start_scan(self, actor: Actor, mode: str):
        if mode not in SCAN_MODES:
            return None
        try:
            with session_scope() as session:
                duplicate_service.start_scan(session=session, actor=actor, mode=mode)
        except DomainError as exc:
            return rx.toast.error(self._err(exc))
        status, job = _read_status(actor)
        self._show_status(actor, status, job)
        return [rx.toast.info(self._t("dupui_scan_started")), self._watch_if_running()]

    @authorized("admin")
    def cancel_scan(self, actor: Actor):
        try:
            with session_scope() as session:
                duplicate_service.cancel_scan(session=session, actor=actor)
        except DomainError as exc:
            return rx.toast.error(self._err(exc))
        return rx.toast.info(self._t("dupui_cancel_asked"))

    @authorized("admin")
    def dismiss(self, actor: Actor, a_id: int, b_id: int):
        """"Not duplicates": remembered for the pair, which leaves the list (and its group, if last)."""
        try:
            with session_scope() as session:
                duplicate_service.dismiss_pair(session=session, actor=actor, customer_a_id=a_id,
                                               customer_b_id=b_id)
        except DomainError as exc:
            return rx.toast.error(self._err(exc))
        status, job = _read_status(actor)
        self._show_status(actor, status, job)
        self._read_page(actor)
        if not self.groups and self.cursor:  # the page emptied: back to the first
            self.cursor = ""
            self._read_page(actor)
        return rx.toast.success(self._t("dupui_dismissed"))

    # ------------------------------------------------------------------ progress

    @rx.event(background=True)
    async def watch(self):
        """Follow the scan until it ends, then show the groups it found."""
        await follow(self, self._watched, lambda actor, _job_id: _read_status(actor), self._show_read)

    def _watched(self) -> tuple[Actor, int] | None:
        actor = self._actor()
        if actor is None or actor.role != "admin" or not self._job_id:
            return None
        return actor, self._job_id

    def _show_read(self, actor: Actor, job_id: int, read: tuple[ScanStatus, JobDTO | None]) -> bool:
        status, job = read
        self._show_status(actor, status, job)
        # the scan this tab started or found has ended (or another took its place): the groups it found
        if self.job_status not in RUNNING or status.job_id != job_id:
            self.cursor = ""
            self._read_page(actor)
            return True
        return False


def _read_status(actor: Actor) -> tuple[ScanStatus, JobDTO | None]:
    with session_scope() as session:
        status = duplicate_service.scan_status(session=session, actor=actor)
        job = jobs.get_job(session, actor.organization_id, status.job_id) if status.job_id else None
    return status, job
