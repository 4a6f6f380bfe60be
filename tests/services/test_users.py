"""The admin's Users page: creating users, roles, disabling, password resets; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.models import ActivityLog, AuthSession, User
from crm_app.services import auth, users
from crm_app.services.auth import InvalidCredentials
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot


def sign_in(session, email, password):
    return run_like_app(session, auth.sign_in, email=email, password=password, ip="192.0.2.10")


def test_admin_creates_a_user_with_a_temporary_password(session):
    org, admin = make_org(session)
    created, temporary = run_like_app(session, users.create_user, actor=admin, name="  Ana Pérez ",
                                      email=" Ana.Perez@Example.TEST ", role="sales", language="en")
    assert created.email == "ana.perez@example.test"
    assert created.name == "Ana Pérez"
    assert created.role == "sales" and created.is_active and created.language == "en"
    assert created.must_change_password
    assert created.last_login_at is None
    assert len(temporary) >= 16
    stored = session.get(User, created.id)
    assert stored.organization_id == org.id and temporary not in stored.password_hash

    signed = sign_in(session, "ana.perez@example.test", temporary)
    assert signed.actor.user_id == created.id
    assert signed.actor.must_change_password
    assert signed.actor.organization_id == org.id


def test_create_user_validates_each_field(session):
    _, admin = make_org(session)
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(session=session, actor=admin, name=" ", email="not-an-email", role="boss")
    assert {field: error.code for field, error in refused.value.errors.items()} == {
        "name": "required", "email": "email_invalid", "role": "role_invalid",
    }


def test_duplicate_email_is_refused_in_any_case_and_any_organization(session):
    # Sign-in is by e-mail alone: an address stays unique across organizations, but only the
    # admin's own organization is told that a user has it (issue 19: no e-mail enumeration).
    _, admin_a = make_org(session, "A")
    _, admin_b = make_org(session, "B")
    make_user(session, admin_a, email="ana@example.test")
    for actor, email, code in ((admin_a, "ana@example.test", "email_taken"),
                               (admin_a, " ANA@example.test", "email_taken"),
                               (admin_b, "Ana@Example.test", "email_unavailable")):
        with pytest.raises(ValidationFailed) as refused:
            users.create_user(session=session, actor=actor, name="Ana", email=email, role="sales")
        assert refused.value.errors["email"].code == code
    session.rollback()
    assert len(session.exec(select(User).where(User.email == "ana@example.test")).all()) == 1


def test_sales_users_are_forbidden_every_admin_service(session):
    _, admin = make_org(session)
    target, _, _ = make_user(session, admin)
    _, seller, _ = make_user(session, admin, role="sales")
    calls = {
        "list_users": lambda: users.list_users(session=session, actor=seller),
        "create_user": lambda: users.create_user(session=session, actor=seller, name="X",
                                                 email="x@example.test", role="admin"),
        "set_role": lambda: users.set_role(session=session, actor=seller, user_id=target.id, role="admin"),
        "set_active": lambda: users.set_active(session=session, actor=seller, user_id=target.id,
                                               active=False),
        "reset_password": lambda: users.reset_password(session=session, actor=seller, user_id=target.id),
    }
    before = column_snapshot(session, User, target.id)()
    for name, call in calls.items():
        with pytest.raises(Forbidden):
            call()
        session.rollback()
        assert column_snapshot(session, User, target.id)() == before, name
    assert session.exec(select(User).where(User.email == "x@example.test")).first() is None
    # Even on his own id, a sales user cannot promote himself.
    with pytest.raises(Forbidden):
        users.set_role(session=session, actor=seller, user_id=seller.user_id, role="admin")


def test_admin_cannot_demote_or_disable_himself(session):
    _, admin = make_org(session)
    for call in (lambda: users.set_role(session=session, actor=admin, user_id=admin.user_id, role="sales"),
                 lambda: users.set_active(session=session, actor=admin, user_id=admin.user_id, active=False)):
        with pytest.raises(FieldError) as refused:
            call()
        assert refused.value.code == "cannot_change_self"
        session.rollback()
    me = session.get(User, admin.user_id)
    session.refresh(me)
    assert me.role == "admin" and me.is_active


def test_admin_changes_roles_and_it_is_logged(session):
    org, admin = make_org(session)
    seller, _, _ = make_user(session, admin, role="sales")
    promoted = run_like_app(session, users.set_role, actor=admin, user_id=seller.id, role="admin")
    assert promoted.role == "admin"
    with pytest.raises(FieldError) as refused:
        users.set_role(session=session, actor=admin, user_id=seller.id, role="owner")
    assert refused.value.code == "role_invalid"
    session.rollback()
    entry = session.exec(select(ActivityLog).where(ActivityLog.kind == "user_role_changed")).one()
    assert entry.organization_id == org.id and entry.actor_id == admin.user_id
    assert '"before": "sales"' in entry.detail and '"after": "admin"' in entry.detail


def test_promoted_user_gets_admin_rights_at_his_next_request(session):
    _, admin = make_org(session)
    seller, _, password = make_user(session, admin)
    token = sign_in(session, seller.email, password).token
    run_like_app(session, users.set_role, actor=admin, user_id=seller.id, role="admin")
    assert run_like_app(session, auth.resolve_session, token=token).is_admin


def test_reset_password_ends_sessions_and_gives_a_new_temporary_password(session):
    _, admin = make_org(session)
    seller, seller_actor, temporary = make_user(session, admin)
    run_like_app(session, auth.change_own_password, actor=seller_actor, current=temporary,
                 new="my chosen password")
    token = sign_in(session, seller.email, "my chosen password").token

    new_temporary = run_like_app(session, users.reset_password, actor=admin, user_id=seller.id)
    assert new_temporary not in (temporary, "my chosen password")
    assert run_like_app(session, auth.resolve_session, token=token) is None
    with pytest.raises(InvalidCredentials):
        sign_in(session, seller.email, "my chosen password")
    signed = sign_in(session, seller.email, new_temporary)
    assert signed.actor.must_change_password
    assert "user_password_reset" in session.exec(select(ActivityLog.kind)).all()


def test_list_users_is_per_organization(session):
    _, admin_a = make_org(session, "A")
    _, admin_b = make_org(session, "B")
    mine = {make_user(session, admin_a)[0].id for _ in range(3)} | {admin_a.user_id}
    theirs = {make_user(session, admin_b)[0].id for _ in range(2)} | {admin_b.user_id}
    assert {u.id for u in users.list_users(session=session, actor=admin_a)} == mine
    assert {u.id for u in users.list_users(session=session, actor=admin_b)} == theirs


def test_list_users_is_keyset_paged_by_name_then_id(session):
    _, admin = make_org(session, admin_name="Zoe Admin")
    for name in ["Carla", "Ana", "Bruno", "Carla", "Diego", "Bruno"]:
        make_user(session, admin, name=name)
    everyone = users.list_users(session=session, actor=admin, limit=100)
    assert [(u.name, u.id) for u in everyone] == sorted((u.name, u.id) for u in everyone)

    pages, after_name, after_id = [], "", 0
    while True:
        page = users.list_users(session=session, actor=admin, after_name=after_name, after_id=after_id,
                                limit=3)
        if not page:
            break
        assert len(page) <= 3
        pages.append(page)
        after_name, after_id = page[-1].name, page[-1].id
    assert len(pages) == 3
    assert [u.id for page in pages for u in page] == [u.id for u in everyone]


def test_list_users_search_and_page_size_cap(session):
    _, admin = make_org(session)
    make_user(session, admin, name="Marta Gómez", email="marta@example.test")
    make_user(session, admin, name="Luis", email="luis@ventas.example.test")
    assert [u.name for u in users.list_users(session=session, actor=admin, search="MARTA")] == ["Marta Gómez"]
    assert [u.name for u in users.list_users(session=session, actor=admin, search="ventas")] == ["Luis"]
    assert users.list_users(session=session, actor=admin, search="nobody") == []


def test_other_organizations_users_are_not_found(session):
    _, admin_a = make_org(session, "A")
    victim, victim_actor, password = make_user(session, admin_a)
    token = sign_in(session, victim.email, password).token
    _, admin_b = make_org(session, "B")

    def victim_state():
        sessions = session.exec(select(AuthSession.revoked_at).where(AuthSession.user_id == victim.id)).all()
        return column_snapshot(session, User, victim.id)(), sessions

    for call in (
        lambda: users.set_role(session=session, actor=admin_b, user_id=victim.id, role="admin"),
        lambda: users.set_active(session=session, actor=admin_b, user_id=victim.id, active=False),
        lambda: users.reset_password(session=session, actor=admin_b, user_id=victim.id),
    ):
        assert_not_found_for_other_org(session, call, victim_state, what="user")
    assert run_like_app(session, auth.resolve_session, token=token) == victim_actor


def test_unknown_ids_are_not_found_like_other_organizations_ids(session):
    _, admin = make_org(session)
    assert_not_found_for_other_org(
        session, lambda: users.set_role(session=session, actor=admin, user_id=999_999, role="admin"),
        lambda: None, what="user",
    )


def test_set_own_language(session):
    _, admin = make_org(session)
    run_like_app(session, users.set_own_language, actor=admin, language="en")
    assert users.list_users(session=session, actor=admin)[0].language == "en"
    with pytest.raises(FieldError):
        users.set_own_language(session=session, actor=admin, language="fr")
