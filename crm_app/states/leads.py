"""The lead list: its whole query lives in the URL (``/leads?q=&status=&type=&owner=&from=&to=&after=``,
``type`` being the lead's source) and ``load`` (on_load) reads it back; one keyset page of rows is
held in state, each with its phone, source, owner and dates formatted for the reader.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from crm_app.domain.documents import LEAD_STATUSES
from crm_app.domain.dto import Actor
from crm_app.domain.leads import LeadRow
from crm_app.domain.local_time import Clock
from crm_app.domain.phones import format_phone
from crm_app.services import auth as auth_service
from crm_app.services import customers as customer_service
from crm_app.services import leads as lead_service
from crm_app.states.document_list import DocumentListState
from crm_app.states.session import SessionState


@dataclasses.dataclass
class LeadListRow:
    id: int
    name: str
    status: str
    status_label: str
    phone: str  # national form for the organization's country
    email: str
    source: str
    owner: str
    next_step: str
    created: str
    converted: bool  # has its customer


class LeadsState(DocumentListState, SessionState):
    rows: list[LeadListRow] = []
    source_options: list[list[str]] = []  # [id, name] of the acquisition channels
    _country: str = ""  # phones are shown in the organization's national form

    route: ClassVar[str] = "/leads"
    # "type" is the lead's source; "customer" the profile's "see all" of one customer's leads.
    filter_names: ClassVar[tuple[str, ...]] = ("status", "type", "owner", "customer", "from", "to")
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"status": LEAD_STATUSES}

    def _page(self, session, actor: Actor, query):
        self._country = auth_service.organization_of(session, actor).country
        return lead_service.list_leads(session=session, actor=actor, query=query)

    def _options(self, session, actor: Actor) -> None:
        channels = customer_service.list_channels(session=session, actor=actor)
        self.source_options = [[str(i), name] for i, name in channels]

    def _row(self, r: LeadRow, clock: Clock) -> LeadListRow:
        country = self._country
        return LeadListRow(
            id=r.id, name=r.name, status=r.status, status_label=self._t(f"lead_status_{r.status}"),
            phone=format_phone(r.phone_e164, "national", country) if r.phone_e164 else "", email=r.email,
            source=r.channel_name, owner=r.owner_name, next_step=clock.plain_date(r.next_step_on),
            created=clock.day(r.created_at), converted=r.customer_id is not None,
        )
