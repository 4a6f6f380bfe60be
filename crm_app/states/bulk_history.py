"""/customers/bulk: the history of bulk actions (who, when, what, how many, status), newest first, with
Undo while it can be undone, and what an undo did or why it was refused.

``services.bulk.list_recent`` decides what the reader sees (admins: the organization's; sales users:
their own) and ``undo`` checks the organization, the role and the 24 h again. One page in state, a keyset
"more" (``before_id``: the last id shown).
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.bulk import BulkActionDTO
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict
from crm_app.domain.local_time import Clock, number
from crm_app.i18n import t
from crm_app.services import bulk as bulk_service
from crm_app.states.bulk_actions import ACTIVE, outcome_text
from crm_app.states.clock import clock_for
from crm_app.states.session import SessionState, authorized
from crm_app.states.threads import in_thread

PAGE_SIZE = 25
MAX_ROWS = 100  # "more" stops adding past this: the page holds at most this many


@dataclasses.dataclass
class HistoryRow:
    id: int
    description: str
    actor_name: str
    when: str  # in the organization's time zone
    counts: str  # "120 de 130 clientes cambiados"
    status: str
    status_label: str
    outcome: str  # what it did, or why an undo was refused
    can_undo: bool
    undo_until: str


def history_row(dto: BulkActionDTO, clock: Clock, lang: str, outcome: str = "") -> HistoryRow:
    return HistoryRow(
        id=dto.id, description=dto.description, actor_name=dto.actor_name, when=clock.exact(dto.created_at),
        counts=t("bulkui_counts", lang, changed=number(dto.changed, lang), matched=number(dto.matched, lang)),
        status=dto.status, status_label=t(f"bulkui_status_{dto.status}", lang),
        outcome=outcome or outcome_text(dto, lang), can_undo=dto.can_undo and dto.status not in ACTIVE,
        undo_until=clock.exact(dto.undo_until),
    )


class BulkHistoryState(SessionState):
    rows: list[HistoryRow] = []
    loaded: bool = False
    has_more: bool = False

    def _page(self, actor: Actor, before_id: int | None) -> list[HistoryRow]:
        clock = clock_for(actor, self.lang)
        with session_scope() as session:
            dtos = bulk_service.list_recent(session=session, actor=actor, before_id=before_id,
                                            limit=PAGE_SIZE + 1, lang=self.lang)
        self.has_more = len(dtos) > PAGE_SIZE
        return [history_row(d, clock, self.lang) for d in dtos[:PAGE_SIZE]]

    @authorized()
    def load(self, actor: Actor):
        self.reset()
        self.rows = self._page(actor, None)
        self.loaded = True

    @authorized()
    def more(self, actor: Actor):
        if not self.rows or not self.has_more or len(self.rows) >= MAX_ROWS:
            return
        self.rows = [*self.rows, *self._page(actor, self.rows[-1].id)]
        if len(self.rows) >= MAX_ROWS:
            self.has_more = False

    @authorized()
    async def undo(self, actor: Actor, bulk_action_id: int):
        """Undo one action; its row then says what the undo did, or why it was refused."""
        if not any(r.id == bulk_action_id for r in self.rows):
            return None
        refusal, ids = "", {"bulk_action_id": int(bulk_action_id), "lang": self.lang}
        try:
            await in_thread(bulk_service.undo, actor=actor, **ids)
        except Conflict as exc:
            refusal = self._err(exc)
        dto = await in_thread(bulk_service.get, actor=actor, **ids)
        row = history_row(dto, clock_for(actor, self.lang), self.lang, refusal)
        self.rows = [row if r.id == row.id else r for r in self.rows]
        return rx.toast.error(refusal) if refusal else None
