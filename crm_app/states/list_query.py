"""What the keyset-paged list pages (/customers, /accounts) share: the query lives in the URL.

Every change of search, sort or page navigates to a new address and ``load`` (on_load) reads it
back, so the back button and shared links show the same list. One page of rows is held in state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

import reflex as rx

from crm_app.domain.errors import ValidationFailed
from crm_app.states.row_confirmation import RowConfirmation

MAX_SEARCH = 100
MAX_CURSOR = 500
Page = TypeVar("Page")


def list_url(path: str, current: Mapping[str, str], changes: Mapping[str, str]) -> str:
    """``path`` with the query ``current`` updated by ``changes``; empty values are left out.

    Any change but the page cursor itself starts again at the first page.
    """
    query = {**current, **changes}
    if "after" not in changes:
        query["after"] = ""
    encoded = urlencode({k: v for k, v in query.items() if v})
    return path + (f"?{encoded}" if encoded else "")


def first_page_on_bad_cursor(fetch: Callable[[str], Page], cursor: str) -> tuple[Page, str]:
    """``fetch(cursor)``; a hand-edited URL with a broken cursor shows the first page instead of
    failing. Returns the page and the cursor it was read from."""
    try:
        return fetch(cursor), cursor
    except (ValidationFailed, ValueError):
        return fetch(""), ""


class KeysetListState(RowConfirmation, mixin=True):
    """Search, sort, page cursors and the delete confirmation (``RowConfirmation``) of a list page.

    The page's state declares ``rows``, builds its address in ``_url(**changes)`` and reads it back
    (``_read_list_params`` reads the search, sort and cursor of the query).
    """

    search: str = ""
    sort: str = "name"
    cursor: str = ""
    next_cursor: str = ""
    loaded: bool = False

    def _url(self, **changes: str) -> str:
        raise NotImplementedError

    def _read_list_params(self, sorts: tuple[str, ...]) -> dict[str, str]:
        """Read the search, sort and cursor from the address; returns all its parameters."""
        params: dict[str, Any] = dict(self.router.url.query_parameters)
        self.search = params.get("q", "")[:MAX_SEARCH]
        self.sort = params.get("sort", "name") if params.get("sort") in sorts else "name"
        self.cursor = params.get("after", "")[:MAX_CURSOR]
        return params

    def _show_page(self, fetch: Callable[[str], Any], view: Callable[[Any], Any]) -> None:
        """Hold the page at ``self.cursor`` (``fetch(cursor)`` reads it) as ``view``s of its rows."""
        page, self.cursor = first_page_on_bad_cursor(fetch, self.cursor)
        self.rows = [view(r) for r in page.rows]
        self.next_cursor = page.next_cursor
        self.loaded = True

    @rx.event
    def set_search(self, value: str):
        # Kept as typed (not stripped): the input shows this value back while the user is typing.
        # Refining the same search replaces the history entry; starting a different one adds an
        # entry, so Back returns to the previous search rather than to each keystroke.
        value = value[:MAX_SEARCH]
        old, new = self.search.strip().lower(), value.strip().lower()
        refining = bool(old) and (new.startswith(old) or old.startswith(new))
        return rx.redirect(self._url(q=value), replace=refining)

    @rx.event
    def next_page(self):
        return rx.redirect(self._url(after=self.next_cursor)) if self.next_cursor else None

    @rx.event
    def first_page(self):
        return rx.redirect(self._url())
