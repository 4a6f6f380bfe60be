"""The survivor's profile banner after a merge (issue 16): services.merge.latest_undoable on both
databases (found after a merge, gone after the undo or after a day, admins only, never another
organization's), and the banner's state driven without a browser on SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

import crm_app.db
from crm_app.domain.errors import Forbidden
from crm_app.models import CustomerMerge
from crm_app.models.types import utcnow
from crm_app.services import customers, merge
from crm_app.states.profile_merge import PROFILE_LOADS, ProfileMergeState
from crm_app.states.session import SessionState
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.merge_factories import allow_duplicates, create, do_merge, person
from tests.services.test_ui_campaign_states import call, tab


@pytest.fixture
def shop(session):
    _org, admin = make_org(session, country="EC")
    allow_duplicates(session, admin)
    return admin


def latest(session, actor, customer_id):
    return merge.latest_undoable(session=session, actor=actor, customer_id=customer_id)


def test_the_latest_undoable_merge_into_a_customer(session, shop):
    admin = shop
    a, b, c = (create(session, admin, person(n)) for n in ("Ana", "Bea", "Carla"))
    assert latest(session, admin, a) is None
    first = do_merge(session, admin, [a, b])
    found = latest(session, admin, a)
    assert found is not None and found.id == first.id and found.merged_names == ("Bea Vera",)
    assert found.can_undo and latest(session, admin, b) is None  # the merged one is no survivor
    second = do_merge(session, admin, [a, c])
    assert latest(session, admin, a).id == second.id  # the newest
    run_like_app(session, merge.undo_merge, actor=admin, merge_id=second.id)
    assert latest(session, admin, a).id == first.id  # the one before is offered again
    run_like_app(session, merge.undo_merge, actor=admin, merge_id=first.id)
    assert latest(session, admin, a) is None


def test_a_merge_older_than_a_day_is_not_offered(session, shop):
    admin = shop
    a, b = create(session, admin, person("Ana")), create(session, admin, person("Bea"))
    done = do_merge(session, admin, [a, b])
    session.execute(update(CustomerMerge).where(CustomerMerge.id == done.id)
                    .values(created_at=utcnow() - timedelta(hours=25)))
    session.commit()
    assert latest(session, admin, a) is None


def test_sales_users_and_other_organizations_get_nothing(session, shop):
    admin = shop
    a, b = create(session, admin, person("Ana")), create(session, admin, person("Bea"))
    do_merge(session, admin, [a, b])
    _, seller, _ = make_user(session, admin, "sales")
    with pytest.raises(Forbidden):
        latest(session, seller, a)
    _, other_admin = make_org(session, "Otra", country="EC")
    assert latest(session, other_admin, a) is None


# --- the banner's state (SQLite: it checks the handlers, not the SQL dialect) ----------------------

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def app_admin(session, engine, monkeypatch):
    monkeypatch.setattr(crm_app.db, "get_engine", lambda url=None: engine)
    _, admin = make_org(session)
    allow_duplicates(session, admin)
    monkeypatch.setattr(SessionState, "_actor", lambda self: admin)
    return admin


def banner_of(customer_id: int) -> ProfileMergeState:
    state = tab(ProfileMergeState, "/customers/[customer_id]", f"/customers/{customer_id}")
    call(state, "load")
    return state


@SQLITE
def test_the_banner_undoes_and_reloads_the_profile(session, app_admin):
    admin = app_admin
    a, b = create(session, admin, person("Ana")), create(session, admin, person("Bea", last="Ruiz"))
    assert banner_of(a).banner == ""
    do_merge(session, admin, [a, b])
    state = banner_of(a)
    assert state.banner.startswith("Se fusionaron aquí: Bea Ruiz (hace ")
    call(state, "ask_undo")
    assert state.confirm_undo
    answer = call(state, "undo")
    assert not state.confirm_undo and state.banner == "" and state.undo_error == ""
    assert "Bea Ruiz" in state.done_text and [r.href for r in state.restored] == [f"/customers/{b}"]
    assert all(load in answer for load in PROFILE_LOADS)  # the profile is read again
    session.expire_all()
    assert merge.survivor_of(session, admin.organization_id, b) is None  # Bea is herself again


@SQLITE
def test_a_refused_undo_shows_the_services_reason(session, app_admin):
    admin = app_admin
    a, b = create(session, admin, person("Ana")), create(session, admin, person("Bea"))
    do_merge(session, admin, [a, b])
    state = banner_of(a)
    version = customers.get_customer(session=session, actor=admin, customer_id=a).version
    run_like_app(session, customers.update_customer, actor=admin, customer_id=a, version=version,
                 data=person("Ana", last="Nueva"))
    assert call(state, "undo") is None
    assert "fue editado después de la fusión" in state.undo_error and state.banner


@SQLITE
def test_a_sales_user_sees_no_banner(session, app_admin, monkeypatch):
    admin = app_admin
    a, b = create(session, admin, person("Ana")), create(session, admin, person("Bea"))
    do_merge(session, admin, [a, b])
    _, seller, _ = make_user(session, admin, "sales")
    monkeypatch.setattr(SessionState, "_actor", lambda self: seller)
    assert banner_of(a).banner == ""
