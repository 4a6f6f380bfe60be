"""/customers/merge?ids=1,2[,...] (admins): the merge's preview side by side, the user's choices, the merge.

The preview (services/merge.preview) gives a row per field with each customer's value and the default
survivor of each; the user picks other values (``_picked``, kept when he changes the surviving
customer, which asks the preview again) and confirms. The merge sends the versions the preview showed,
so a customer edited meanwhile is refused as stale rather than overwritten.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, DomainError, ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.domain.merge import MAX_MERGE, MergePreview, MergeRequest
from crm_app.i18n import catalogue
from crm_app.services import merge as merge_service
from crm_app.states.clock import clock_for
from crm_app.states.dialogs import dialog_flags
from crm_app.states.session import SessionState, authorized


@dataclasses.dataclass
class MergeColumn:
    id: int
    name: str
    href: str
    created: str
    updated: str
    counts: str  # "2 teléfonos · 3 pedidos"


@dataclasses.dataclass
class ValueCell:
    customer_id: int
    name: str  # the customer's, for the phone layout and screen readers
    value: str
    chosen: bool


@dataclasses.dataclass
class FieldRow:
    field: str
    label: str
    differs: bool
    common: str  # the value when every non-empty one is the same
    cells: list[ValueCell]


def counted(state: SessionState, counts: dict[str, int]) -> list[str]:
    """{"orders": 3} -> ["3 pedidos"], in the reader's language (an unknown kind as "kind: 3")."""
    known = catalogue(state.lang)
    return [state._t(f"mergeui_count_{k}", n=n) if f"mergeui_count_{k}" in known else f"{k}: {n}"
            for k, n in counts.items() if n]


def parse_ids(raw: str) -> list[int]:
    ids: list[int] = []
    for part in (raw or "").split(",")[:MAX_MERGE + 1]:
        found = parse_id(part)
        if found is not None and found not in ids:
            ids.append(found)
    return ids


@dialog_flags("confirm_merge")
class MergeState(SessionState):
    loaded: bool = False
    error: str = ""  # why there is no preview (not found, another organization, too few...)
    merge_error: str = ""  # why the merge was refused (stale, invalid)
    stale: bool = False
    customers: list[MergeColumn] = []
    survivor_id: int = 0
    fields: list[FieldRow] = []
    phones: list[str] = []
    emails: list[str] = []
    tags: list[str] = []
    conflictive: bool = False
    moves: list[str] = []
    confirm_text: str = ""
    confirm_merge: bool = False
    _ids: list[int] = []
    _picked: dict[str, int] = {}
    _versions: dict[int, int] = {}

    # ------------------------------------------------------------------ the preview

    def _show(self, actor: Actor, preview: MergePreview) -> None:
        clock = clock_for(actor, self.lang)
        names = {c.id: c.display_name for c in preview.customers}
        self.customers = [MergeColumn(id=c.id, name=c.display_name, href=f"/customers/{c.id}",
                                      created=clock.day(c.created_at), updated=clock.exact(c.updated_at),
                                      counts=" · ".join(counted(self, c.counts)))
                          for c in preview.customers]
        self._versions = {c.id: c.version for c in preview.customers}
        self.survivor_id = preview.survivor_id
        ids = [c.id for c in preview.customers]
        self.fields = []
        for f in preview.fields:
            chosen = self._picked.get(f.field, f.chosen_id)
            common = next((v for v in f.values if v), "")
            self.fields.append(FieldRow(
                field=f.field, label=f.label, differs=f.differs, common=common,
                cells=[ValueCell(customer_id=cid, name=names[cid], value=v, chosen=cid == chosen)
                       for cid, v in zip(ids, f.values, strict=False)]))
        self.phones, self.emails, self.tags = list(preview.phones), list(preview.emails), list(preview.tags)
        self.conflictive = preview.conflictive
        self.moves = counted(self, preview.moves)
        others = [c.display_name for c in preview.customers if c.id != preview.survivor_id]
        self.confirm_text = self._t("mergeui_confirm_text", merged=", ".join(others),
                                    survivor=names.get(preview.survivor_id, ""))

    def _preview(self, actor: Actor, survivor_id: int | None = None) -> None:
        self.error, self.merge_error, self.stale = "", "", False
        try:
            with session_scope() as session:
                preview = merge_service.preview(session=session, actor=actor, customer_ids=list(self._ids),
                                                survivor_id=survivor_id, lang=self.lang)
        except ValidationFailed as exc:
            self.error = _errors_text(self, exc)
            self.customers, self.fields = [], []
            return
        except DomainError as exc:  # not found (or of another organization), refused
            self.error = self._err(exc)
            self.customers, self.fields = [], []
            return
        self._show(actor, preview)

    @authorized("admin")
    def load(self, actor: Actor):
        self.reset()
        self._ids = parse_ids(self.router.url.query_parameters.get("ids", ""))
        if len(self._ids) < 2:
            self.error = self._t("mergeui_need_two")
        elif len(self._ids) > MAX_MERGE:
            self.error = self._t("mergeui_too_many", n=MAX_MERGE)
        else:
            self._preview(actor)
        self.loaded = True

    @authorized("admin")
    def reload(self, actor: Actor):
        """After a stale refusal: read the customers again, keeping the user's choices."""
        self._preview(actor, self.survivor_id or None)

    @authorized("admin")
    def set_survivor(self, actor: Actor, customer_id: int):
        if customer_id in self._ids and customer_id != self.survivor_id:
            self._preview(actor, customer_id)

    @authorized("admin")
    def choose(self, actor: Actor, field: str, customer_id: int):
        """Keep ``customer_id``'s value of ``field`` (the preview's other rows stay as they are)."""
        if customer_id not in self._ids or not any(r.field == field for r in self.fields):
            return
        self._picked[field] = customer_id
        for row in self.fields:
            if row.field == field:
                for cell in row.cells:
                    cell.chosen = cell.customer_id == customer_id
        self.fields = list(self.fields)

    # ------------------------------------------------------------------ the merge

    @authorized("admin")
    def ask_merge(self, actor: Actor):
        if self.customers and not self.error:
            self.confirm_merge = True

    @rx.event
    def cancel_merge(self):
        self.confirm_merge = False

    @authorized("admin")
    def merge(self, actor: Actor):
        self.confirm_merge = False
        if len(self._ids) < 2 or not self._versions:  # no preview read: nothing to merge
            return None
        chosen = {row.field: cell.customer_id for row in self.fields if row.differs
                  for cell in row.cells if cell.chosen}
        request = MergeRequest(customer_ids=tuple(self._ids), survivor_id=self.survivor_id, choices=chosen,
                               versions=dict(self._versions))
        try:
            with session_scope() as session:
                done = merge_service.merge(session=session, actor=actor, request=request)
        except ValidationFailed as exc:
            self.merge_error = _errors_text(self, exc)
            return None
        except Conflict as exc:
            self.merge_error, self.stale = self._err(exc), exc.code == "customer_stale"
            return None
        except DomainError as exc:
            self.merge_error = self._err(exc)
            return None
        message = self._t("mergeui_done", merged=", ".join(done.merged_names), survivor=done.survivor_name)
        return [rx.toast.success(message, duration=10_000), rx.redirect(f"/customers/{done.survivor_id}")]


def _errors_text(state: SessionState, exc: ValidationFailed) -> str:
    return " ".join(state._err(e) for e in exc.errors.values()) or state._err(exc)
