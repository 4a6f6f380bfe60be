"""Which customers of the list the bulk actions apply to (a mixin of ``CustomersState``).

Either the rows ticked on the page shown (``selected_ids``, only ids of ``rows``: what the tab already
holds), or every customer the list's filters select (``all_matching``: the list's address query, read on
the server from ``export_query``, never from the browser). How many that is comes from
``services.bulk.count_matching`` in a background event, so a count over a large base never holds the tab.

The selection is cleared whenever the list loads another address (a filter, a search, a page: ``load``)
and, like every state, at sign-out. Phones tick rows in a "checkbox mode" (``select_mode``), entered by
"Seleccionar" or by a long press on a card (``long_press``).
"""

from __future__ import annotations

import reflex as rx

from crm_app.domain.errors import DomainError
from crm_app.domain.local_time import number
from crm_app.services import bulk as bulk_service
from crm_app.states.threads import in_thread


class BulkSelection(rx.State, mixin=True):
    selected_ids: list[int] = []
    all_matching: bool = False
    matching_count: int = -1  # customers the filters select; -1 until counted
    matching_text: str = ""  # the same, written for the reader ("1.234")
    select_mode: bool = False  # phones: the cards show their check boxes and the bottom bar
    _counted_query: str = ""  # the query matching_count was counted for

    @rx.var
    def selected_count(self) -> int:
        return self.matching_count if self.all_matching else len(self.selected_ids)

    @rx.var
    def page_selected(self) -> bool:
        """Every row of the page is ticked (the "select this page" box shows ticked)."""
        ids = set(self.selected_ids)
        return bool(self.rows) and all(r.id in ids for r in self.rows)

    # -- helpers -------------------------------------------------------------------------------
    def _clear_selection(self) -> None:
        self.selected_ids, self.all_matching = [], False

    def _forget_count(self) -> None:
        """The list changed (a bulk action, another filter): count again when asked."""
        self.matching_count, self.matching_text, self._counted_query = -1, "", ""

    def _page_ids(self) -> list[int]:
        return [r.id for r in self.rows]

    def _tick(self, customer_id: object, checked: object):
        if not isinstance(customer_id, int) or customer_id not in self._page_ids():
            return None
        ids = [i for i in self.selected_ids if i != customer_id]
        self.selected_ids = [*ids, customer_id] if checked is True else ids
        self.all_matching = False
        return self._count_if_needed()

    def _count_if_needed(self):
        """The "select all N" offer needs N: counted once per query, in the background."""
        if self.selected_ids and self._counted_query != self.export_query:
            return type(self).count_matching
        return None

    # -- events (the tab's own rows only: nothing is read or written here) --------------------
    @rx.event
    def toggle_row(self, customer_id: int, checked: bool):
        return self._tick(customer_id, checked)

    @rx.event
    def toggle_page(self, checked: bool):
        self.selected_ids = self._page_ids() if checked is True else []
        self.all_matching = False
        return self._count_if_needed()

    @rx.event
    def select_all_matching(self):
        if self.matching_count > 0:
            self.all_matching = True
            self.selected_ids = self._page_ids()

    @rx.event
    def clear_selection(self):
        self._clear_selection()

    @rx.event
    def set_select_mode(self, value: bool):
        self.select_mode = value is True
        if not self.select_mode:
            self._clear_selection()

    @rx.event
    def long_press(self, customer_id: int):
        """A long press on a phone's card (its context menu): checkbox mode, with that card ticked."""
        self.select_mode = True
        return self._tick(customer_id, True)

    @rx.event(background=True)
    async def count_matching(self):
        """How many customers the list's filters select, off the tab's event queue."""
        async with self:
            actor = self._actor()
            query = self.export_query
            if actor is None or self._counted_query == query:
                return
            self._counted_query = query  # a second tick while counting does not count again
        try:
            count = await in_thread(bulk_service.count_matching, actor=actor, query=query)
        except DomainError:
            count = -1
        async with self:
            if self.export_query != query:
                return  # the list moved on meanwhile; its own ticks count it again
            self.matching_count = count
            self.matching_text = number(count, self.lang) if count >= 0 else ""
            if count < 0:
                self._counted_query = ""
