"""Every dialog's open flag is declared with @dialog_flags, so a reload or a navigation closes it
(states/dialogs.py); a new dialog state that forgets it fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import crm_app.crm_app  # noqa: F401  (imports every page, so every state class exists)
from crm_app.states.dialogs import DIALOG_FLAGS, dialog_flags
from crm_app.states.session import SessionState, ShellState

ROOT = Path(__file__).resolve().parents[2] / "crm_app"
# `open=S.flag` or `confirm_dialog(S.flag != 0, ...)`: the state vars that decide whether a dialog shows.
OPEN_ARG = re.compile(r"open=(\w+)\.(\w+)")
CONFIRM_ARG = re.compile(r"confirm_dialog\(\s*(\w+)\.(\w+)")


def _all_states(cls=SessionState):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_states(sub)


def _declared() -> set[str]:
    return {name for names in DIALOG_FLAGS.values() for name in names}


def test_every_open_flag_of_a_state_is_declared() -> None:
    declared = {(cls, name) for cls, names in DIALOG_FLAGS.items() for name in names}
    for cls in _all_states():
        for name in cls.base_vars:
            if name == "open" or name.endswith("_open"):
                if cls is ShellState and name == "drawer_open":
                    continue  # the menu drawer: the guard closes it on every page load
                assert (cls, name) in declared, f"{cls.__name__}.{name} is not in @dialog_flags"


@pytest.mark.parametrize("pattern", [OPEN_ARG, CONFIRM_ARG], ids=["open=", "confirm_dialog"])
def test_every_var_that_opens_a_dialog_in_the_pages_is_declared(pattern: re.Pattern) -> None:
    declared = _declared() | {"drawer_open", "open_", "refusals"}
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py")]:
        for _, var in pattern.findall(path.read_text()):
            assert var in declared, f"{path.name}: {var} opens a dialog but is not in @dialog_flags"


def test_a_flag_that_is_not_a_var_is_refused() -> None:
    with pytest.raises(TypeError):
        dialog_flags("no_such_var")(SessionState)
