"""/campaigns (admins): the organization's e-mail campaigns, newest first, one keyset page held in state
(``/campaigns?after=<cursor>``: the page lives in the address like the other lists)."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.local_time import Clock, number
from crm_app.services import campaigns as campaign_service
from crm_app.states.campaign_segment import segment_summary
from crm_app.states.clock import clock_for
from crm_app.states.list_query import KeysetListState, list_url
from crm_app.states.session import SessionState, authorized

PAGE_SIZE = 25


@dataclasses.dataclass
class CampaignListRow:
    id: int
    name: str
    status: str
    status_label: str
    segment: str  # the saved segment's name, or the filters' summary
    when: str  # "programada: 5 dic 2026, 9:00" / "iniciada: ..." in the organization's zone
    progress: str  # "12 / 40" sent of the recipients; "" before it started


def when_text(state: SessionState, campaign: Any, clock: Clock) -> str:
    """When it starts or started, in the organization's zone; "" for a draft."""
    if campaign.started_at is not None:
        return state._t("campaign_started_at", when=clock.exact(campaign.started_at))
    if campaign.scheduled_at is not None:
        return state._t("campaign_scheduled_for", when=clock.exact(campaign.scheduled_at))
    return ""


def progress_text(campaign: Any, lang: str) -> str:
    if campaign.status in ("draft", "scheduled"):
        return ""
    return f"{number(campaign.sent, lang)} / {number(campaign.recipients, lang)}"


class CampaignsState(KeysetListState, SessionState):
    rows: list[CampaignListRow] = []

    route: ClassVar[str] = "/campaigns"

    def _url(self, **changes: str) -> str:
        return list_url(self.route, {}, changes)

    def _row(self, campaign: Any, clock: Clock) -> CampaignListRow:
        return CampaignListRow(
            id=campaign.id, name=campaign.name, status=campaign.status,
            status_label=self._t(f"campaign_status_{campaign.status}"),
            segment=campaign.segment_name or segment_summary(campaign.query, self._t, self.lang),
            when=when_text(self, campaign, clock), progress=progress_text(campaign, self.lang),
        )

    def _fetch(self, actor: Actor) -> None:
        clock = clock_for(actor, self.lang)
        with session_scope() as session:
            self._show_page(
                lambda cursor: campaign_service.list_campaigns(session=session, actor=actor, after=cursor,
                                                               limit=PAGE_SIZE),
                lambda campaign: self._row(campaign, clock),
            )

    @authorized("admin")
    def load(self, actor):
        self._read_list_params(("name",))
        self._fetch(actor)
