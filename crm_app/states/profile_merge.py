"""The survivor's profile after a merge (admins): "Se fusionaron aquí: ... · Deshacer fusión".

The banner shows the latest merge into this customer that can still be undone (services/merge
latest_undoable). Undo asks first, then calls undo_merge: on success the profile's sections are read
again (the merged customers' data went back to them) and the outcome stays where the banner was; a
refusal (the survivor edited since, the 24 hours over) shows the service's message next to the banner.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import DomainError
from crm_app.services import merge as merge_service
from crm_app.states.clock import clock_for
from crm_app.states.customer_accounts import CustomerAccountsState
from crm_app.states.customer_documents import CustomerDocumentsState
from crm_app.states.customer_feed import CustomerFeedState, customer_id_from_path
from crm_app.states.customer_files import CustomerFilesState
from crm_app.states.customer_profile import CustomerState
from crm_app.states.dialogs import dialog_flags
from crm_app.states.send_message import SendMessageState
from crm_app.states.session import SessionState, authorized

# What the profile reads on load and on mount: read again once the undo gave the data back.
PROFILE_LOADS = (CustomerState.load, CustomerFeedState.load, CustomerDocumentsState.load,
                 CustomerAccountsState.load, CustomerFilesState.load, SendMessageState.load)


@dataclasses.dataclass
class RestoredLink:
    name: str
    href: str


@dialog_flags("confirm_undo")
class ProfileMergeState(SessionState):
    banner: str = ""  # "Se fusionaron aquí: Juan Peres (hace 3 minutos)"; "" = no banner
    confirm_text: str = ""
    confirm_undo: bool = False
    undo_error: str = ""  # the service's refusal, next to the banner
    done_text: str = ""  # after an undo, where the banner was
    restored: list[RestoredLink] = []
    _merge_id: int = 0

    def _read(self, actor: Actor) -> None:
        self.banner, self.confirm_text, self._merge_id = "", "", 0
        customer_id = customer_id_from_path(self.router.url.path)
        if not actor.is_admin or not customer_id:
            return  # only admins merge and undo; a sales user sees no banner
        with session_scope() as session:
            found = merge_service.latest_undoable(session=session, actor=actor, customer_id=customer_id)
        if found is None:
            return
        names = ", ".join(found.merged_names)
        ago = clock_for(actor, self.lang).relative(found.created_at)
        self._merge_id = found.id
        self.banner = self._t("pmerge_banner", names=names, ago=ago)
        self.confirm_text = self._t("pmerge_confirm", names=names, survivor=found.survivor_name)

    @authorized()
    def load(self, actor: Actor):
        """on_load of the profile: the banner of this customer's latest undoable merge, if any."""
        self.reset()
        self._read(actor)

    @authorized("admin")
    def ask_undo(self, actor: Actor):
        if self._merge_id:
            self.confirm_undo = True

    @rx.event
    def cancel_undo(self):
        self.confirm_undo = False

    @authorized("admin")
    def undo(self, actor: Actor):
        self.confirm_undo, self.undo_error = False, ""
        if not self._merge_id:
            return None
        try:
            with session_scope() as session:
                done = merge_service.undo_merge(session=session, actor=actor, merge_id=self._merge_id)
        except DomainError as exc:  # edited since, expired, already undone: the service says which
            self.undo_error = self._err(exc)
            return None
        self.done_text = self._t("pmerge_done", names=", ".join(done.merged_names))
        self.restored = [RestoredLink(name=name, href=f"/customers/{cid}")
                         for cid, name in zip(done.merged_ids, done.merged_names, strict=False)]
        self._read(actor)  # an earlier merge into him may be the next one offered
        return [rx.toast.success(self.done_text), *PROFILE_LOADS]
