"""Isolation as a property of the suite (issue 19, finding 5): every event handler of every state is
called signed out, as a sales user where it is for admins, and as another organization's admin with
the victim's ids (in its arguments, in the page URL and in the state a previous user left), and must
change nothing of the victim's in the database and put none of the victim's data in the tab.

The states are driven without a browser: the app's state tree is instantiated, ``SessionState._actor``
(the one place the signed-in user is resolved) is patched to return the chosen actor, and the app's
database is the test's SQLite file. Runs on SQLite only: it checks the handlers, not the SQL dialect.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from sqlalchemy import select
from sqlmodel import Session, SQLModel

import crm_app.crm_app  # registers every page and state
import crm_app.db
from crm_app.domain.dto import Actor
from crm_app.states.session import SessionState
from tests.factories import actor_of, make_org, make_user
from tests.isolation_matrix import (
    ADMIN,
    MATRIX,
    PAGE_OF_STATE,
    PAGES,
    PRESETS,
    PUBLIC,
    UI,
    Victim,
    build_victim,
)

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def app_states() -> Iterator[type]:
    """Every rx.State subclass of the app (states/ and the few components that own one)."""
    def walk(cls):
        for sub in sorted(cls.get_substates(), key=lambda c: c.__name__):
            if sub.__module__.startswith("crm_app."):
                yield sub
            yield from walk(sub)

    yield from walk(State)


def state_key(cls: type) -> str:
    shared = sum(1 for c in app_states() if c.__name__ == cls.__name__) > 1
    return f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}" if shared else cls.__name__


STATES = {state_key(cls): cls for cls in app_states()}


def all_handlers() -> list[str]:
    return sorted(f"{key}.{name}" for key, cls in STATES.items() for name in cls.event_handlers
                  if name != "setvar")


def test_every_handler_of_every_state_has_an_entry():
    handlers = all_handlers()
    assert len(handlers) > 150  # the walk found the app's states
    missing = [h for h in handlers if h not in MATRIX]
    assert not missing, f"add these handlers to tests/isolation_matrix.py MATRIX: {missing}"
    stale = sorted(set(MATRIX) - set(handlers))
    assert not stale, f"no such handlers any more: {stale}"
    for name, entry in MATRIX.items():
        if entry.access in (PUBLIC, UI):
            assert entry.reason, f"{name}: say why it needs no session"


# --- driving a handler ----------------------------------------------------------------------------


def _run(coroutine):
    # Its own loop in another thread: Playwright (e2e) may have left a loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _drive(result) -> list:
    """Run whatever a handler returned (coroutine, generator, async generator) and list its events."""
    if inspect.isawaitable(result):
        result = await result
    if inspect.isasyncgen(result):
        return [event async for event in result]
    if inspect.isgenerator(result):
        return list(result)
    return [result]


def _state_for(handler: str, victim: Victim):
    """A fresh tab on the handler's page (victim's ids in the URL), holding what a victim's tab held."""
    class_name, handler_name = handler.rsplit(".", 1)
    cls = STATES[class_name]
    root = State(_reflex_internal_init=True)
    route, path = PAGES[PAGE_OF_STATE[class_name]](victim) if class_name in PAGE_OF_STATE else ("/", "/")
    root.router = RouterData.from_router_data({"pathname": route, "asPath": path, "query": {},
                                               "headers": {"origin": "http://localhost:3000"}})
    state = root.get_substate(cls.get_full_name().split("."))
    for name, value in PRESETS.get(class_name, lambda v: {})(victim).items():
        assert any(name in getattr(k, "__annotations__", {}) for k in cls.__mro__), f"{class_name}.{name}?"
        setattr(state, name, value)
    return root, state, cls.event_handlers[handler_name]


def _snapshot(engine, organization_id: int | None) -> dict[str, str]:
    """A hash of every row of every table (of one organization when given)."""
    digest = {}
    with Session(engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            query = select(table)
            if organization_id is not None:
                column = table.c.get("organization_id") if table.name != "organization" else table.c.id
                if column is None:
                    continue
                query = query.where(column == organization_id)
            rows = sorted(repr(tuple(r)) for r in session.execute(query).all())
            digest[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digest


def _leaks(root, events: list, markers: tuple[str, ...]) -> list[str]:
    text = json.dumps(root.dict(), default=str, ensure_ascii=False) + repr(events)
    return [m for m in markers if m.lower() in text.lower()]


# --- the matrix -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(engine, request):
    """Organization A (the victim, one of everything) and organization B (the attacker)."""
    with Session(engine, expire_on_commit=False) as session:
        victim = build_victim(session)
        _, attacker = make_org(session, "Atacante", admin_email="atacante@intruso.example")
        _, _attacker_sales, _ = make_user(session, attacker, email="atacante.ventas@intruso.example")
        victim_sales = actor_of(session, victim.sales_id)
    yield victim, attacker, victim_sales
    from tests.db import wipe

    wipe(engine)


@pytest.fixture
def app_db(engine, monkeypatch):
    monkeypatch.setattr(crm_app.db, "get_engine", lambda url=None: engine)
    return engine


def _call(handler: str, victim: Victim, actor: Actor | None, monkeypatch):
    monkeypatch.setattr(SessionState, "_actor", lambda self: actor)
    root, state, event_handler = _state_for(handler, victim)
    try:
        events = _run(_drive(event_handler.fn(state, *MATRIX[handler].args(victim))))
    except Exception as exc:  # a refusal by exception still must not write or leak
        events = [f"raised {type(exc).__name__}"]
    return root, events


def _clean(actor: Actor | None) -> Actor | None:
    """The actor with no pending password change, so every handler reaches its real checks."""
    if actor is None:
        return None
    return Actor(**{**actor.__dict__, "must_change_password": False})


@SQLITE
@pytest.mark.parametrize("handler", all_handlers())
def test_signed_out_changes_nothing_and_sees_nothing(handler, world, app_db, monkeypatch):
    victim, _, _ = world
    entry = MATRIX[handler]
    before = _snapshot(app_db, None if entry.access != PUBLIC else victim.org_id)
    root, events = _call(handler, victim, None, monkeypatch)
    assert _snapshot(app_db, None if entry.access != PUBLIC else victim.org_id) == before, (
        f"{handler} changed the database for a signed-out tab")
    assert not _leaks(root, events, victim.markers + victim.admin_markers), handler


@SQLITE
@pytest.mark.parametrize("handler", [h for h in all_handlers() if h in MATRIX and MATRIX[h].access == ADMIN])
def test_a_sales_user_cannot_use_admin_handlers(handler, world, app_db, monkeypatch):
    victim, _, victim_sales = world
    before = _snapshot(app_db, None)
    root, events = _call(handler, victim, _clean(victim_sales), monkeypatch)
    assert _snapshot(app_db, None) == before, f"{handler} let a sales user change the database"
    assert not _leaks(root, events, victim.admin_markers), handler


@SQLITE
@pytest.mark.parametrize("handler", all_handlers())
def test_another_organization_cannot_touch_or_see_the_victims_data(handler, world, app_db, monkeypatch):
    victim, attacker, _ = world
    before = _snapshot(app_db, victim.org_id)
    root, events = _call(handler, victim, _clean(attacker), monkeypatch)
    assert _snapshot(app_db, victim.org_id) == before, f"{handler} changed organization A's data"
    leaked = _leaks(root, events, victim.markers + victim.admin_markers)
    assert not leaked, f"{handler} put organization A's data in organization B's tab: {leaked}"


@SQLITE
def test_the_forged_calls_are_well_formed(world, app_db, monkeypatch):
    """The victim's own admin makes the same calls and they do change data: the refusals above are the
    server's decision, not malformed arguments."""
    victim, _, _ = world
    with Session(app_db) as session:
        admin = _clean(actor_of(session, victim.admin_id))
    for handler in ("CustomerFeedState.add_comment", "UsersState.change_role",
                    "CustomerFeedState.set_task_done", "SettingsState.set_entry_active",
                    "account.AccountState.remove_member"):
        before = _snapshot(app_db, victim.org_id)
        _call(handler, victim, admin, monkeypatch)
        assert _snapshot(app_db, victim.org_id) != before, handler


@SQLITE
def test_setvar_cannot_set_what_decides_access(world, app_db, monkeypatch):
    """Reflex's built-in ``setvar`` only calls a state's own ``set_*`` handlers (each in the matrix)."""
    victim, attacker, _ = world
    monkeypatch.setattr(SessionState, "_actor", lambda self: _clean(attacker))
    _, state, _ = _state_for("CustomerFeedState.add_comment", victim)
    for name in ("_customer_id", "user_role", "token", "customer_id"):
        with pytest.raises(AttributeError):  # no such setter: Reflex refuses
            type(state).event_handlers["setvar"].fn(state, name, 1)
