"""What the order, sale and lead lists share: their whole query lives in the address
(``/sales?q=&status=&method=&owner=&customer=&from=&to=&after=``), ``load`` (on_load) reads it back
(``domain/documents.read_list_filters``: a hand-edited value is dropped, never trusted) and keeps one
keyset page of rows, each already formatted for the reader.

A list state inherits ``DocumentListState`` next to ``SessionState`` and names its route, its filters and
the values each choice filter admits, then says how to read a page (``_page``), show a row (``_row``)
and which options its filter selects offer (``_options``).
"""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.documents import list_query, read_list_filters
from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.domain.ids import parse_id
from crm_app.domain.local_time import Clock
from crm_app.services import customer_choices
from crm_app.services import tasks as task_service
from crm_app.states.clock import clock_for
from crm_app.states.list_query import MAX_SEARCH, KeysetListState, list_url
from crm_app.states.session import authorized

PAGE_SIZE = 25


class DocumentListState(KeysetListState, mixin=True):
    filters: dict[str, str] = {}
    owner_options: list[list[str]] = []  # [id, name] of the staff: assignee, seller or owner
    customer_name: str = ""  # the client the list is narrowed to (the profile's "see all")

    route: ClassVar[str] = ""
    filter_names: ClassVar[tuple[str, ...]] = ()
    choices: ClassVar[dict[str, tuple[str, ...]]] = {}  # the values a choice filter (status...) admits

    def _page(self, session, actor: Actor, query) -> Any:
        """One page of the list for ``query`` (a DocumentQuery), from its service."""
        raise NotImplementedError

    def _row(self, row: Any, clock: Clock) -> Any:
        raise NotImplementedError

    def _options(self, session, actor: Actor) -> None:
        """The list's own filter options besides the staff (order types, sources)."""

    def _url(self, **changes: str) -> str:
        """From the address the event came from: a filter changed right after another keeps it, even
        before the list loaded the first change (states/customers.py does the same)."""
        params = self.router.url.query_parameters
        current = read_list_filters(params, self.filter_names, self.choices)
        return list_url(self.route, {"q": str(params.get("q", ""))[:MAX_SEARCH], **current}, changes)

    def _fetch(self, actor: Actor) -> None:
        clock = clock_for(actor, self.lang)
        with session_scope() as session:
            self._show_page(
                lambda cursor: self._page(session, actor, list_query(self.search, self.filters, cursor,
                                                                      PAGE_SIZE)),
                lambda row: self._row(row, clock),
            )
            self.owner_options = [
                [str(uid), name] for uid, name in task_service.assignees(session=session, actor=actor)
            ]
            self._options(session, actor)
            self.customer_name = self._customer_name(session, actor)

    def _customer_name(self, session, actor: Actor) -> str:
        """The name of the client in the ``customer`` filter; one of another organization (a forged
        link) is not found, and the list shows none of his documents anyway."""
        customer_id = parse_id(self.filters.get("customer", ""))
        if not customer_id:
            return ""
        try:
            return customer_choices.customer_name(session=session, actor=actor, customer_id=customer_id)
        except NotFound:
            return self._t("filter_client_unknown")

    @authorized()
    def load(self, actor):
        params = self._read_list_params(("name",))
        self.filters = read_list_filters(params, self.filter_names, self.choices)
        self._fetch(actor)

    @rx.event
    def set_filter(self, name: str, value: str):
        """A filter's new value: the list starts again at its first page."""
        if name in self.filter_names:
            clean = read_list_filters({name: str(value)}, (name,), self.choices)[name]
            return rx.redirect(self._url(**{name: clean}))
        return None

    @rx.event
    def clear_filters(self):
        return rx.redirect(self.route)
