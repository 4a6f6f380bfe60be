"""The customer list's segment actions (components/segment_actions.py): save the list's current filters as
a named segment, for campaigns. The filters are read on the server from the list's own state
(``CustomersState.export_query``, what the list shows), never taken from the browser."""

from __future__ import annotations

import reflex as rx

from crm_app.domain.errors import ValidationFailed
from crm_app.services import campaigns as campaign_service
from crm_app.states.campaign_segment import segment_query
from crm_app.states.customers import CustomersState
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.forms import field_errors, text
from crm_app.states.session import SessionState, authorized
from crm_app.states.threads import in_thread


@dialog_flags("save_open")
class SegmentActionsState(Refusals, SessionState):
    save_open: bool = False
    errors: dict[str, str] = {}
    generation: int = 0  # the name box starts empty at each opening

    @authorized("admin")
    def open_save(self, actor):
        self.errors, self.save_open, self.generation = {}, True, self.generation + 1

    @rx.event
    def set_save_open(self, value: bool):
        self.save_open = bool(value) and self.save_open

    @authorized("admin")
    async def save(self, actor, form: dict):
        listing = await self.get_state(CustomersState)
        query = segment_query(listing.export_query)
        try:
            saved = await in_thread(campaign_service.save_segment, actor=actor, name=text(form, "name"),
                                    query=query)
        except ValidationFailed as exc:
            self.errors = field_errors(exc, self.lang)
            self._refused()
            return None
        self.save_open, self.errors = False, {}
        return rx.toast.success(self._t("campaign_segment_saved", name=saved.name))
