"""The lead list: its whole query lives in the URL (``/leads?q=&status=&type=&owner=&from=&to=&after=``,
``type`` being the lead's source) and ``load`` (on_load) reads it back; one keyset page of rows is
held in state, each with its phone, source, owner and dates formatted for the reader.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.documents import LEAD_STATUSES, DocumentQuery
from crm_app.domain.dto import Actor
from crm_app.domain.ids import parse_id
from crm_app.domain.leads import LeadRow
from crm_app.domain.local_time import Clock
from crm_app.domain.phones import format_phone
from crm_app.services import auth as auth_service
from crm_app.services import customers as customer_service
from crm_app.services import leads as lead_service
from crm_app.services import tasks as task_service
from crm_app.states.clock import clock_for
from crm_app.states.list_query import KeysetListState, list_url
from crm_app.states.session import SessionState, authorized

PAGE_SIZE = 25
# The list's filters: the URL parameter of each (the search is "q", the cursor "after").
FILTERS = ("status", "type", "owner", "from", "to")


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


def _day(raw: str) -> str:
    """A YYYY-MM-DD from the URL, or "" when it is not a date (a hand-edited address)."""
    try:
        return date.fromisoformat(raw).isoformat() if raw else ""
    except ValueError:
        return ""


def read_filters(params: dict[str, str]) -> dict[str, str]:
    """The filters of an address, each kept only when it is well formed."""
    ids = {name: str(parse_id(params.get(name, "")) or "") for name in ("type", "owner")}
    status = params.get("status", "")
    return {"status": status if status in LEAD_STATUSES else "", **ids,
            "from": _day(params.get("from", "")), "to": _day(params.get("to", ""))}


class LeadsState(KeysetListState, SessionState):
    rows: list[LeadListRow] = []
    filters: dict[str, str] = {}
    source_options: list[list[str]] = []  # [id, name] of the acquisition channels
    owner_options: list[list[str]] = []  # [id, name] of the staff

    def _url(self, **changes: str) -> str:
        return list_url("/leads", {"q": self.search, **self.filters}, changes)

    def _query(self, cursor: str) -> DocumentQuery:
        f = self.filters
        return DocumentQuery(
            search=self.search, status=f["status"], type_id=parse_id(f["type"]),
            owner_id=parse_id(f["owner"]), date_from=f["from"], date_to=f["to"], after=cursor,
            limit=PAGE_SIZE,
        )

    def _row(self, r: LeadRow, clock: Clock, country: str) -> LeadListRow:
        return LeadListRow(
            id=r.id, name=r.name, status=r.status, status_label=self._t(f"lead_status_{r.status}"),
            phone=format_phone(r.phone_e164, "national", country) if r.phone_e164 else "", email=r.email,
            source=r.channel_name, owner=r.owner_name, next_step=clock.plain_date(r.next_step_on),
            created=clock.day(r.created_at), converted=r.customer_id is not None,
        )

    def _fetch(self, actor: Actor) -> None:
        clock = clock_for(actor, self.lang)
        with session_scope() as session:
            country = auth_service.organization_of(session, actor).country

            def page(cursor: str):
                return lead_service.list_leads(session=session, actor=actor, query=self._query(cursor))

            self._show_page(page, lambda row: self._row(row, clock, country))
            self.source_options = [
                [str(i), name] for i, name in customer_service.list_channels(session=session, actor=actor)
            ]
            self.owner_options = [
                [str(uid), name] for uid, name in task_service.assignees(session=session, actor=actor)
            ]

    @authorized()
    def load(self, actor):
        params = self._read_list_params(("name",))
        self.filters = read_filters(params)
        self._fetch(actor)

    @rx.event
    def set_filter(self, name: str, value: str):
        """A filter's new value: the list starts again at its first page."""
        if name in FILTERS:
            return rx.redirect(self._url(**{name: read_filters({name: value})[name]}))
        return None

    @rx.event
    def clear_filters(self):
        return rx.redirect("/leads")
