"""/customers/merges (admins): the organization's merges, newest first, with Undo while it is offered.

An undo the service refuses (the survivor was edited since, the 24 hours are over, already undone)
shows the service's own message on the page, not only in a toast that vanishes.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import DomainError
from crm_app.domain.ids import parse_id
from crm_app.domain.local_time import Clock
from crm_app.domain.merge import MergeDTO
from crm_app.services import merge as merge_service
from crm_app.states.clock import clock_for
from crm_app.states.merge import counted
from crm_app.states.session import SessionState, authorized

PAGE_SIZE = 20


@dataclasses.dataclass
class MergeRow:
    id: int
    when: str
    actor: str
    survivor: str
    survivor_href: str
    merged: str
    moved: str
    can_undo: bool
    status: str  # "Deshecha el ..." / "Deshacer hasta ..."


def _row(state: SessionState, clock: Clock, dto: MergeDTO) -> MergeRow:
    if dto.undone_at is not None:
        status = state._t("mergeui_undone_at", when=clock.exact(dto.undone_at))
    elif dto.can_undo:
        status = state._t("mergeui_undo_until", when=clock.exact(dto.undo_until))
    else:
        status = state._t("mergeui_undo_over")
    return MergeRow(id=dto.id, when=clock.exact(dto.created_at), actor=dto.actor_name,
                    survivor=dto.survivor_name, survivor_href=f"/customers/{dto.survivor_id}",
                    merged=", ".join(dto.merged_names), moved=" · ".join(counted(state, dto.summary)),
                    can_undo=dto.can_undo, status=status)


class MergeHistoryState(SessionState):
    loaded: bool = False
    rows: list[MergeRow] = []
    cursor: str = ""  # the current page's "before id" ("" = the newest)
    next_cursor: str = ""
    undo_error: str = ""

    def _read(self, actor: Actor) -> None:
        clock = clock_for(actor, self.lang)
        with session_scope() as session:
            dtos = merge_service.list_merges(session=session, actor=actor, before_id=parse_id(self.cursor),
                                             limit=PAGE_SIZE + 1)
        self.rows = [_row(self, clock, d) for d in dtos[:PAGE_SIZE]]
        self.next_cursor = str(dtos[PAGE_SIZE - 1].id) if len(dtos) > PAGE_SIZE else ""

    @authorized("admin")
    def load(self, actor: Actor):
        self.reset()
        self._read(actor)
        self.loaded = True

    @authorized("admin")
    def next_page(self, actor: Actor):
        if self.next_cursor:
            self.cursor = self.next_cursor
            self._read(actor)

    @authorized("admin")
    def first_page(self, actor: Actor):
        self.cursor = ""
        self._read(actor)

    @authorized("admin")
    def undo(self, actor: Actor, merge_id: int):
        self.undo_error = ""
        try:
            with session_scope() as session:
                done = merge_service.undo_merge(session=session, actor=actor, merge_id=merge_id)
        except DomainError as exc:
            self.undo_error = self._err(exc)
            self._read(actor)
            return rx.toast.error(self.undo_error)
        self._read(actor)
        names = ", ".join((done.survivor_name, *done.merged_names))
        return rx.toast.success(self._t("mergeui_undo_done", names=names))
