"""The admin lists paged by keyset on the server (users, tags, the activity log): "next" shows the
following page with its number, "previous" comes back to exactly the page before, and the first
page has no way back. The states are driven without a browser, as the isolation matrix does."""

from __future__ import annotations

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor

import pytest
from reflex.state import State

import crm_app.crm_app
import crm_app.db
from crm_app.domain.customers import CustomerInput
from crm_app.services import admin_settings as admin
from crm_app.services import customers
from crm_app.states.page_trail import PageTrail
from crm_app.states.session import SessionState
from crm_app.states.settings import LOG_PAGE, TAG_PAGE, SettingsState
from crm_app.states.users import PAGE, UsersState
from tests.db import run_like_app
from tests.factories import make_org, make_user

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_a_trail_counts_pages_and_comes_back_the_way_it_went():
    first = PageTrail("")
    third = first.forward("k25").forward("k50")
    assert (first.number, first.has_previous, third.number, third.cursor) == (1, False, 3, "k50")
    assert third.back() == first.forward("k25")
    assert third.back().back() == first and first.back() == first


def _drive(state, handler: str, *args) -> None:
    async def run():
        result = getattr(type(state), handler).fn(state, *args)
        if inspect.isawaitable(result):
            await result
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


@pytest.fixture
def admin_tab(session, engine, monkeypatch):
    """A tab signed in as the admin of a new organization, on the app's (test) database."""
    _, owner = make_org(session, "Paginada")
    monkeypatch.setattr(crm_app.db, "get_engine", lambda url=None: engine)
    monkeypatch.setattr(SessionState, "_actor", lambda self: owner)
    root = State(_reflex_internal_init=True)
    return owner, lambda cls: root.get_substate(cls.get_full_name().split("."))


@SQLITE
def test_the_user_list_pages_forward_and_back(session, admin_tab):
    owner, tab = admin_tab
    for i in range(PAGE + 5):
        make_user(session, owner, name=f"Usuario {i:03}")
    users = tab(UsersState)
    _drive(users, "load")
    first = [r.name for r in users.rows]
    _drive(users, "next_page")
    second = [r.name for r in users.rows]
    assert (users.page_number, users.has_next, len(second)) == (2, False, 6)
    assert not set(first) & set(second)
    # A change on the page (a role) shows the same page again.
    _drive(users, "change_role", users.rows[0].id, "admin")
    assert (users.page_number, [r.name for r in users.rows]) == (2, second)
    assert users.rows[0].role == "admin"
    _drive(users, "next_page")  # no page after the last: nothing moves
    _drive(users, "previous_page")
    assert (users.page_number, [r.name for r in users.rows]) == (1, first)
    _drive(users, "previous_page")
    assert users.page_number == 1


@SQLITE
def test_the_tag_and_activity_pages_go_forward_and_back(session, admin_tab):
    owner, tab = admin_tab
    run_like_app(session, customers.create_customer, actor=owner, data=CustomerInput(
        client_type="person", first_name="Ana", last_name="Paz",
        tags=tuple(f"t{i:03}" for i in range(TAG_PAGE + 3))))
    for i in range(LOG_PAGE + 2):
        run_like_app(session, admin.add_entry, actor=owner, list_name="channels", name=f"Canal {i}")
    settings = tab(SettingsState)
    _drive(settings, "load")
    first_tags, first_log = [t.name for t in settings.tags], [e.id for e in settings.log]
    _drive(settings, "next_tags")
    _drive(settings, "next_log")
    assert (settings.tag_page, [t.name for t in settings.tags]) == (2, ["t025", "t026", "t027"])
    assert settings.log_page == 2 and not set(first_log) & {e.id for e in settings.log}
    _drive(settings, "previous_tags")
    _drive(settings, "previous_log")
    assert (settings.tag_page, [t.name for t in settings.tags]) == (1, first_tags)
    assert (settings.log_page, [e.id for e in settings.log]) == (1, first_log)
