"""Which tab of the customer profile a phone shows, and which composer (comment or task) the feed opens.

Pure view state: it holds no customer data, so it needs no session check. The tab is kept in the URL's
query (``?tab=files``) so a reload or a shared link opens the same tab; the phone's action bar opens
the activity tab with the comment box or the task form focused.
"""

from __future__ import annotations

import json

import reflex as rx

TABS = ("summary", "activity", "messages", "files")
COMPOSERS = ("comment", "task")
# The control each composer focuses when the action bar opens it (components/feed.py).
COMPOSER_FOCUS = {"comment": "feed-comment", "task": "task-title"}

# Tab switches keep the URL in step without a navigation (react-router's own history state is kept).
_REPLACE_TAB = (
    "(() => {{ const url = new URL(window.location.href); const tab = {tab}; "
    "if (tab === 'summary') url.searchParams.delete('tab'); else url.searchParams.set('tab', tab); "
    "window.history.replaceState(window.history.state, '', url); }})()"
)
# The control exists only once React rendered the new tab: try again on the next frames (about 1 s).
_FOCUS_WHEN_SHOWN = (
    "(() => {{ let tries = 0; const focus = () => {{ const el = document.getElementById({id}); "
    "if (el && el.offsetParent !== null) {{ el.focus(); el.scrollIntoView({{block: 'center'}}); }} "
    "else if (tries++ < 60) requestAnimationFrame(focus); }}; focus(); }})()"
)


def _replace_tab(tab: str) -> rx.event.EventSpec:
    return rx.call_script(_REPLACE_TAB.format(tab=json.dumps(tab)))


class ProfileTabsState(rx.State):
    tab: str = "summary"
    composer: str = "comment"

    @rx.event
    def load(self):
        """on_load of the profile: the tab named in the URL, else the summary; the comment box."""
        tab = self.router.url.query_parameters.get("tab", "")
        self.tab = tab if tab in TABS else "summary"
        self.composer = "comment"

    @rx.event
    def show(self, tab: str):
        if tab in TABS and tab != self.tab:
            self.tab = tab
            return _replace_tab(tab)
        return None

    @rx.event
    def set_composer(self, composer: str):
        if composer in COMPOSERS:
            self.composer = composer

    @rx.event
    def compose(self, composer: str):
        """The action bar's Comment / Task: the activity tab, that composer, its first control focused."""
        if composer not in COMPOSERS:
            return None
        self.composer = composer
        events = [rx.call_script(_FOCUS_WHEN_SHOWN.format(id=json.dumps(COMPOSER_FOCUS[composer])))]
        if self.tab != "activity":
            self.tab = "activity"
            events.insert(0, _replace_tab("activity"))
        return events
