"""Dialogs belong to the page that opened them: their open flags never survive a reload or a navigation.

A tab's state lives on the server across reloads (it is keyed by the tab's token), so an open flag
set on /customers would come back after F5, and would open the dialog again on any page that embeds
it. Each dialog-owning state declares its flags once, with ``@dialog_flags(...)`` on the class, and
``DialogsMiddleware`` puts them back to their defaults:

- on a fresh page load (F5, a new tab, a typed address): the hydrate event carries the compiled
  state's hashes only then, and the flags are reset before the state is sent, so nothing flashes;
- on a navigation to another path: before the new page's on_load runs.

A websocket reconnect on the same page (a phone waking up) keeps an open dialog and what was typed.

``Refusals`` counts refused saves: the form's ``focus_first_invalid`` (components/dialogs.py) moves
focus to the first field in error each time it changes.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.middleware.middleware import Middleware
from reflex.state import OnLoadInternalState

# state class -> the vars that open its dialogs (a bool, or an id / text that is "open" when set)
DIALOG_FLAGS: dict[type[rx.State], tuple[str, ...]] = {}

_HYDRATE = f"{rx.State.get_full_name()}.hydrate_and_load"
_ON_LOAD = f"{OnLoadInternalState.get_full_name()}.on_load_internal"


def dialog_flags(*names: str) -> Callable[[type], type]:
    """Class decorator: these vars open the state's dialogs; a reload or a navigation resets them."""

    def register(cls: type) -> type:
        fields = cls.get_fields()
        missing = [n for n in names if n not in fields]
        if missing:
            raise TypeError(f"{cls.__name__} has no var {missing}")
        DIALOG_FLAGS[cls] = (*DIALOG_FLAGS.get(cls, ()), *names)  # a mixin may have named some already
        return cls

    return register


async def close_dialogs(state: rx.State) -> None:
    """Reset every registered flag of the tab that is not at its default (a closed dialog)."""
    for cls, names in DIALOG_FLAGS.items():
        owner = await state.get_state(cls)
        fields = cls.get_fields()
        for name in names:
            default = fields[name].default_value()
            if getattr(owner, name) != default:
                setattr(owner, name, default)


class DialogPageState(rx.State):
    """The path of the tab's current page, to tell a navigation from a reconnect to the same page."""

    _path: str = ""


class DialogsMiddleware(Middleware):
    async def preprocess(self, app, state, event):
        if event.name == _HYDRATE and (event.payload or {}).get("hashes"):
            await close_dialogs(state)
        elif event.name == _ON_LOAD:
            page = await state.get_state(DialogPageState)
            path = state.router.url.path or "/"
            if page._path != path:
                if page._path:
                    await close_dialogs(state)
                page._path = path
        return None  # the event then runs as usual


class Refusals(rx.State, mixin=True):
    """Mixin of the states whose forms show field errors."""

    # Bumped at each refused save; the form's focus_first_invalid watches it.
    refusals: int = 0

    def _refused(self) -> None:
        self.refusals += 1
