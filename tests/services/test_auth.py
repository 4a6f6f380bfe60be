"""Sign-in, sessions and throttling, on SQLite and PostgreSQL.

Sign-in calls go through ``run_like_app`` (commit on success, roll back on error, like
crm_app.db.session_scope), so the tests see what the app would keep.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from crm_app.domain.errors import FieldError
from crm_app.models import ActivityLog, AuthSession, LoginAttempt
from crm_app.models.types import utcnow
from crm_app.services import auth, users
from crm_app.services.auth import InvalidCredentials, Throttled
from tests.db import run_like_app
from tests.factories import ADMIN_PASSWORD, make_org, make_user

IP = "198.51.100.7"


def sign_in(session, email, password, *, ip=IP, now=None):
    return run_like_app(session, auth.sign_in, email=email, password=password, ip=ip,
                        user_agent="pytest", now=now)


def resolve(session, token, now=None):
    return run_like_app(session, auth.resolve_session, token=token, now=now)


def kinds(session, organization_id=None):
    query = select(ActivityLog.kind).order_by(ActivityLog.id)
    if organization_id is not None:
        query = query.where(ActivityLog.organization_id == organization_id)
    return list(session.exec(query).all())


TAB = "5d0c3f3e-7f2b-4a57-9d5e-0d8a3c8f0a11"  # a browser tab's Reflex client token


def start(session, email, password, *, client_token=TAB, now=None):
    return run_like_app(session, auth.start_sign_in, email=email, password=password,
                        client_token=client_token, ip=IP, user_agent="pytest", now=now)


def redeem(session, code, *, client_token=TAB, now=None):
    return run_like_app(session, auth.redeem_sign_in, code=code, client_token=client_token, now=now)


def test_sign_in_returns_a_token_that_resolves_to_the_user(session):
    org, admin = make_org(session, "Acme")
    signed = sign_in(session, admin.email, ADMIN_PASSWORD)
    assert signed.token and len(signed.token) >= 40
    assert signed.actor == admin
    actor = resolve(session, signed.token)
    assert actor == admin
    assert actor.organization_id == org.id and actor.is_admin


def test_only_the_token_hash_is_stored(session):
    _, admin = make_org(session)
    signed = sign_in(session, admin.email, ADMIN_PASSWORD)
    stored = session.exec(select(AuthSession.token_hash)).all()
    assert len(stored) == 1 and signed.token not in stored[0]


def test_sign_in_ignores_case_and_spaces_in_the_email(session):
    _, admin = make_org(session)
    signed = sign_in(session, f"  {admin.email.upper()} ", ADMIN_PASSWORD)
    assert signed.actor.user_id == admin.user_id


def test_unknown_tokens_resolve_to_nobody(session):
    make_org(session)
    assert resolve(session, "") is None
    assert resolve(session, "not-a-token") is None


def test_wrong_password_and_unknown_email_look_the_same(session):
    _, admin = make_org(session)
    with pytest.raises(InvalidCredentials) as wrong_password:
        sign_in(session, admin.email, "not the password")
    with pytest.raises(InvalidCredentials) as unknown_email:
        sign_in(session, "nobody@example.test", ADMIN_PASSWORD)
    assert type(wrong_password.value) is type(unknown_email.value)
    assert (wrong_password.value.code, wrong_password.value.params) == \
        (unknown_email.value.code, unknown_email.value.params) == ("invalid_credentials", {})


def test_failed_attempts_survive_the_callers_rollback(session):
    _, admin = make_org(session)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            sign_in(session, admin.email, "not the password")
    rows = session.exec(select(LoginAttempt).where(LoginAttempt.email == admin.email)).all()
    assert [row.succeeded for row in rows] == [False, False]


def test_five_failures_block_the_account_even_with_the_right_password(session):
    _, admin = make_org(session)
    start = utcnow()
    for minute in range(5):  # from different addresses: the block is per account
        with pytest.raises(InvalidCredentials):
            sign_in(session, admin.email, "not the password", ip=f"203.0.113.{minute}",
                    now=start + timedelta(minutes=minute))
    with pytest.raises(Throttled) as blocked:
        sign_in(session, admin.email, ADMIN_PASSWORD, ip="192.0.2.200", now=start + timedelta(minutes=5))
    # Free again when the oldest failure leaves the 15-minute window: 10 minutes from now.
    assert blocked.value.code == "throttled"
    assert blocked.value.params == {"minutes": 10}
    assert "login_throttled" in kinds(session)


def test_four_failures_do_not_block(session):
    _, admin = make_org(session)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            sign_in(session, admin.email, "not the password")
    assert sign_in(session, admin.email, ADMIN_PASSWORD).actor == admin


def test_failures_outside_the_window_do_not_count(session):
    _, admin = make_org(session)
    now = utcnow()
    for minute in range(5):
        with pytest.raises(InvalidCredentials):
            sign_in(session, admin.email, "not the password", now=now - timedelta(minutes=30 - minute))
    assert sign_in(session, admin.email, ADMIN_PASSWORD, now=now).actor == admin


def test_block_ends_when_the_window_has_passed(session):
    _, admin = make_org(session)
    start = utcnow()
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            sign_in(session, admin.email, "not the password", now=start)
    with pytest.raises(Throttled):
        sign_in(session, admin.email, ADMIN_PASSWORD, now=start + timedelta(minutes=14))
    assert sign_in(session, admin.email, ADMIN_PASSWORD, now=start + timedelta(minutes=16)).actor == admin


def test_twenty_failures_block_the_address(session):
    _, admin = make_org(session)
    start = utcnow()
    for n in range(20):  # 20 different unknown accounts from one address
        with pytest.raises(InvalidCredentials):
            sign_in(session, f"guess{n}@example.test", "not the password", ip=IP, now=start)
    with pytest.raises(Throttled) as blocked:
        sign_in(session, admin.email, ADMIN_PASSWORD, ip=IP, now=start + timedelta(minutes=1))
    assert blocked.value.params == {"minutes": 14}
    # The same account from another address is fine.
    other = sign_in(session, admin.email, ADMIN_PASSWORD, ip="192.0.2.1", now=start + timedelta(minutes=1))
    assert other.actor == admin


def test_limits_come_from_the_settings(session, env):
    env(CRM_LOGIN_MAX_FAILURES_ACCOUNT="2", CRM_LOGIN_WINDOW_MINUTES="5")
    _, admin = make_org(session)
    start = utcnow()
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            sign_in(session, admin.email, "not the password", now=start)
    with pytest.raises(Throttled) as blocked:
        sign_in(session, admin.email, ADMIN_PASSWORD, now=start)
    assert blocked.value.params == {"minutes": 5}


def test_idle_session_expires(session):
    _, admin = make_org(session)
    start = utcnow()
    token = sign_in(session, admin.email, ADMIN_PASSWORD, now=start).token
    # Activity keeps it alive beyond the 120-minute idle limit...
    assert resolve(session, token, now=start + timedelta(minutes=100)) == admin
    assert resolve(session, token, now=start + timedelta(minutes=200)) == admin
    # ...but 120 idle minutes end it.
    assert resolve(session, token, now=start + timedelta(minutes=320)) is None


def test_session_expires_after_its_absolute_age_even_when_active(session):
    _, admin = make_org(session)
    start = utcnow()
    token = sign_in(session, admin.email, ADMIN_PASSWORD, now=start).token
    for hour in range(1, 12):
        assert resolve(session, token, now=start + timedelta(hours=hour)) == admin
    assert resolve(session, token, now=start + timedelta(hours=12)) is None


def test_sign_out_revokes_only_that_session(session):
    _, admin = make_org(session)
    first = sign_in(session, admin.email, ADMIN_PASSWORD).token
    second = sign_in(session, admin.email, ADMIN_PASSWORD).token
    run_like_app(session, auth.sign_out, token=first)
    assert resolve(session, first) is None
    assert resolve(session, second) == admin
    run_like_app(session, auth.sign_out, token="")  # nothing to do, no error


def test_disabling_a_user_ends_his_sessions_and_blocks_sign_in(session):
    _, admin = make_org(session)
    seller, _, password = make_user(session, admin)
    token = sign_in(session, seller.email, password).token
    assert resolve(session, token) is not None
    run_like_app(session, users.set_active, actor=admin, user_id=seller.id, active=False)
    assert resolve(session, token) is None
    with pytest.raises(InvalidCredentials):
        sign_in(session, seller.email, password)
    # Enabled again: he can sign in, but the old session stays ended.
    run_like_app(session, users.set_active, actor=admin, user_id=seller.id, active=True)
    assert resolve(session, token) is None
    assert sign_in(session, seller.email, password).actor.user_id == seller.id


def test_change_own_password_ends_old_sessions_and_returns_a_working_token(session):
    _, admin = make_org(session)
    seller, seller_actor, temporary = make_user(session, admin)
    laptop = sign_in(session, seller.email, temporary)
    phone = sign_in(session, seller.email, temporary)
    assert laptop.actor.must_change_password

    code = run_like_app(session, auth.change_own_password, actor=seller_actor, current=temporary,
                        new="my own new password", client_token=TAB)
    assert resolve(session, laptop.token) is None
    assert resolve(session, phone.token) is None
    # The tab that changed it trades the code for a fresh session.
    signed = redeem(session, code)
    actor = resolve(session, signed.token)
    assert actor is not None and actor.user_id == seller.id and not actor.must_change_password

    with pytest.raises(InvalidCredentials):
        sign_in(session, seller.email, temporary)
    assert sign_in(session, seller.email, "my own new password").actor.user_id == seller.id


def test_change_own_password_checks_current_and_policy(session):
    _, admin = make_org(session)
    with pytest.raises(FieldError) as wrong:
        run_like_app(session, auth.change_own_password, actor=admin, current="nope nope",
                     new="another password")
    assert wrong.value.code == "current_password_wrong"
    with pytest.raises(FieldError) as same:
        run_like_app(session, auth.change_own_password, actor=admin, current=ADMIN_PASSWORD,
                     new=ADMIN_PASSWORD)
    assert same.value.code == "password_unchanged"
    with pytest.raises(FieldError) as short:
        run_like_app(session, auth.change_own_password, actor=admin, current=ADMIN_PASSWORD, new="short")
    assert short.value.code == "password_too_short"
    assert sign_in(session, admin.email, ADMIN_PASSWORD).actor == admin


def test_events_are_logged(session):
    org, admin = make_org(session)
    seller, seller_actor, temporary = make_user(session, admin)
    with pytest.raises(InvalidCredentials):
        sign_in(session, seller.email, "not the password")
    sign_in(session, seller.email, temporary)
    run_like_app(session, auth.change_own_password, actor=seller_actor, current=temporary,
                 new="my own new password")
    run_like_app(session, users.set_active, actor=admin, user_id=seller.id, active=False)
    assert kinds(session, org.id) == [
        "organization_created", "user_created", "login_failed", "login", "password_changed", "user_disabled",
    ]
    failed = session.exec(select(ActivityLog).where(ActivityLog.kind == "login_failed")).one()
    assert failed.ip == IP and seller.email in failed.detail and "not the password" not in failed.detail
    login = session.exec(select(ActivityLog).where(ActivityLog.kind == "login")).one()
    assert login.actor_id == seller.id


def test_sign_in_records_the_last_login(session):
    _, admin = make_org(session)
    moment = utcnow()
    sign_in(session, admin.email, ADMIN_PASSWORD, now=moment)
    listed = users.list_users(session=session, actor=admin)
    assert listed[0].last_login_at == moment


# --- the browser's sign-in: a one-time code traded over HTTP for the cookie -----------------------------


def test_a_sign_in_code_is_no_session_until_redeemed_and_then_only_once(session):
    _, admin = make_org(session)
    pending = start(session, admin.email, ADMIN_PASSWORD)
    assert pending.actor == admin and len(pending.code) >= 40
    # The code itself opens nothing, and nothing of it is stored in clear.
    assert resolve(session, pending.code) is None
    assert all(pending.code not in h for h in session.exec(select(AuthSession.token_hash)).all())

    signed = redeem(session, pending.code)
    assert signed is not None and signed.token != pending.code
    assert resolve(session, signed.token) == admin
    assert redeem(session, pending.code) is None  # spent
    assert kinds(session).count("login") == 1


def test_a_sign_in_code_works_only_for_its_tab_and_only_for_a_minute(session):
    _, admin = make_org(session)
    start_at = utcnow()
    other_tab = start(session, admin.email, ADMIN_PASSWORD, now=start_at)
    assert redeem(session, other_tab.code, client_token="another-tab") is None
    assert redeem(session, other_tab.code, client_token="") is None
    late = start(session, admin.email, ADMIN_PASSWORD, now=start_at)
    after = start_at + timedelta(seconds=auth.SIGN_IN_CODE_SECONDS + 1)
    assert redeem(session, late.code, now=after) is None
    assert redeem(session, "x" * 43) is None and redeem(session, "") is None
    # The first code, late now too, was never spent by the wrong tab.
    assert redeem(session, other_tab.code, now=start_at + timedelta(seconds=5)) is not None


def test_a_sign_in_code_is_checked_and_throttled_like_a_sign_in(session):
    _, admin = make_org(session)
    with pytest.raises(InvalidCredentials):
        start(session, admin.email, "not the password")
    assert kinds(session)[-1] == "login_failed"


def test_disabling_the_user_voids_his_unspent_code(session):
    _, admin = make_org(session)
    seller, _, password = make_user(session, admin)
    pending = start(session, seller.email, password)
    run_like_app(session, users.set_active, actor=admin, user_id=seller.id, active=False)
    assert redeem(session, pending.code) is None


def test_the_marker_is_derived_from_the_token_and_reveals_nothing_of_it(session):
    _, admin = make_org(session)
    token = sign_in(session, admin.email, ADMIN_PASSWORD).token
    marker = auth.session_marker(token)
    assert marker == auth.session_marker(token) and marker != auth.session_marker(token + "x")
    assert marker not in token and token not in marker
