"""The tab's session on the server: the token only from the handshake's Cookie header with a matching
marker, a language cookie that can hold anything, and a tab reset that leaves nothing behind."""

from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor

import pytest
from reflex.state import State

import crm_app.crm_app  # noqa: F401  (registers every state of the app)
from crm_app.services import auth as auth_service
from crm_app.states import browser_session
from crm_app.states.customer_profile import CustomerState
from crm_app.states.session import SessionState, ShellState
from crm_app.states.users import UsersState


def run(coroutine):
    """On its own loop in another thread (sync Playwright may have left a loop running in this one), with
    this thread's context (Reflex's app registration lives in a context variable)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(contextvars.copy_context().run, asyncio.run, coroutine).result()


@pytest.fixture
def tab():
    """A whole state tree of one browser tab, as the in-memory state manager holds it."""
    return State(_reflex_internal_init=True)


def substate(root, cls):
    return root.get_substate(cls.get_full_name().split("."))


def _data(cookie: str, marker: str | None) -> dict:
    data = {"headers": {"cookie": cookie, "host": "localhost"}, "pathname": "/"}
    if marker is not None:
        data[browser_session.MARKER_KEY] = marker
    return data


def test_the_token_counts_only_with_the_marker_of_the_same_token():
    token = "t" * 43
    marker = auth_service.session_marker(token)
    cookie = f"crm_lang=es; crm_session={token}; crm_marker={marker}"
    assert browser_session.session_token(_data(cookie, marker)) == token
    # Cookies cleared while the socket stays open: the page's events carry an empty marker.
    assert browser_session.session_token(_data(cookie, "")) == ""
    # Another session's marker (the browser signed in again elsewhere), or none at all (a forged event).
    assert browser_session.session_token(_data(cookie, auth_service.session_marker("other"))) == ""
    assert browser_session.session_token(_data(cookie, None)) == ""
    assert browser_session.session_token(_data("crm_lang=es", "")) == ""
    assert browser_session.had_session_cookie(_data(cookie, "")) is True
    assert browser_session.had_session_cookie(_data("crm_lang=es", "")) is False


def test_an_unknown_language_cookie_becomes_the_default_and_then_the_user_s_language(tab):
    profile = substate(tab, CustomerState)
    profile.lang = "xx"  # what hydration does with crm_lang=xx
    session_state = substate(tab, SessionState)
    assert profile.lang == session_state.lang == "es"
    assert session_state._lang_unknown is True
    assert profile.tr["feed_title"] == "Actividad"
    profile.lang = ["en"]
    assert profile.lang == "es"
    profile.lang = "en"
    assert profile.lang == "en"


def test_resetting_the_tab_empties_every_state_but_keeps_the_language(tab):
    profile, users = substate(tab, CustomerState), substate(tab, UsersState)
    session_state, shell = substate(tab, SessionState), substate(tab, ShellState)
    session_state.lang, shell.user_email = "en", "ana@andina.example"
    shell.granted_route = "/"
    profile.name, profile.customer_id, profile.phones = "Ferretería Andina", 7, []
    users.search, users._confirm_user_id = "ana", 5
    run(profile._reset_tab())
    assert (profile.name, profile.customer_id, shell.user_email, shell.granted_route) == ("", 0, "", "")
    assert (users.search, users._confirm_user_id) == ("", 0)
    assert session_state.lang == "en"


def test_a_notice_in_the_address_counts_only_signed_and_fresh(monkeypatch):
    target = browser_session.with_notice("/login?next=%2Fcustomers", "signed_out")
    assert target.startswith("/login?next=%2Fcustomers&notice=signed_out.")
    value = target.split("notice=", 1)[1].replace("%7C", "|")
    assert browser_session.read_notice(value) == "signed_out"
    # A link someone wrote: another notice under the same signature, no signature, garbage.
    assert browser_session.read_notice(value.replace("signed_out", "password_changed")) == ""
    assert browser_session.read_notice("password_changed") == ""
    assert browser_session.read_notice("password_changed.12.x") == ""
    # Two minutes later the address no longer speaks (a bookmark, the history).
    later = browser_session.time.time() + browser_session.NOTICE_TTL + 1
    monkeypatch.setattr(browser_session.time, "time", lambda: later)
    assert browser_session.read_notice(value) == ""
    assert browser_session.with_notice("/", "") == "/"


def test_the_catalogue_is_not_stored_with_each_tab(tab):
    """The cached ``tr`` (the whole catalogue of the tab's language) stays out of the pickled state that
    Redis holds per tab and moves on every event; the tab still reads it after a round trip."""
    import pickle

    session = substate(tab, SessionState)
    session.lang = "en"
    assert len(session.tr) > 1000
    stored = pickle.dumps(session)
    assert len(stored) < 4096
    loaded = pickle.loads(stored)
    assert loaded.lang == "en" and loaded.tr["call"] == "Call"
    # Page states inherit the method: theirs pickle too (Redis saves each substate on its own).
    for page in (CustomerState, UsersState):
        assert pickle.loads(pickle.dumps(substate(tab, page))) is not None
