"""Sign-in, sessions and throttling.

The browser holds a random token; the database holds only its HMAC. A session ends when it
has been idle too long, when it reaches its absolute age, when the user signs out, is disabled
or changes his password.

The token reaches the browser only as an HttpOnly cookie set by an HTTP route (crm_app/api/session.py),
never through the websocket: the sign-in event checks the password and opens a *pending* session keyed
by a one-time code instead (``start_sign_in``); the page trades the code for the cookie within
SIGN_IN_CODE_SECONDS (``redeem_sign_in``), and only then does a token exist.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from crm_app.domain import passwords
from crm_app.domain.dto import Actor, PendingSignIn, SignedIn, fields_of
from crm_app.domain.errors import DomainError, FieldError
from crm_app.domain.tokens import new_token, token_hash
from crm_app.models import AuthSession, LoginAttempt, Organization, User
from crm_app.models.types import utcnow
from crm_app.services.activity import record_activity
from crm_app.settings import get_settings

log = logging.getLogger("crm_app.auth")

# last_seen_at is written at most this often, so reading pages does not write on every event.
_TOUCH_EVERY = timedelta(seconds=60)

# The browser's cookies: the token (HttpOnly) and a marker scripts may read, which tells the server on
# every websocket event that the browser still has its session cookie (see states/browser_session.py).
SESSION_COOKIE = "crm_session"
MARKER_COOKIE = "crm_marker"
# How long a sign-in code may wait for the page to trade it for the cookie.
SIGN_IN_CODE_SECONDS = 60


class InvalidCredentials(DomainError):
    def __init__(self) -> None:
        super().__init__("invalid_credentials")


class Throttled(DomainError):
    def __init__(self, minutes: int) -> None:
        super().__init__("throttled", minutes=minutes)


def normalize_login_email(email: str) -> str:
    return email.strip().lower()[:254]


def actor_for(user: User) -> Actor:
    return fields_of(Actor, user, user_id=user.id)


def _throttle_wait(session: Session, email: str, ip: str, now: datetime) -> int:
    """Minutes until a new attempt is allowed (0 = allowed now)."""
    settings = get_settings()
    window = timedelta(minutes=settings.login_window_minutes)
    since = now - window
    waits = []
    for column, value, limit in (
        (LoginAttempt.email, email, settings.login_max_failures_account),
        (LoginAttempt.ip, ip, settings.login_max_failures_address),
    ):
        if not value:
            continue
        failures = session.exec(
            select(LoginAttempt.created_at)
            .where(column == value, LoginAttempt.created_at >= since, LoginAttempt.succeeded == False)  # noqa: E712 SQL, not Python
            .order_by(LoginAttempt.created_at.desc())
            .limit(limit)
        ).all()
        if len(failures) >= limit:
            # Blocked until the oldest of the last `limit` failures leaves the window.
            free_at = min(failures) + window
            waits.append(max(1, math.ceil((free_at - now).total_seconds() / 60)))
    return max(waits, default=0)


def _check_credentials(session: Session, email: str, password: str, ip: str, now: datetime) -> User:
    """The active user with this e-mail and password. Raises InvalidCredentials or Throttled.

    A failed or throttled attempt is committed before raising (it must count towards throttling
    whatever the caller does with the exception); a successful one is left to the caller's commit.
    """
    email = normalize_login_email(email)
    wait = _throttle_wait(session, email, ip, now)
    if wait:
        log.warning("sign-in throttled email=%s ip=%s wait=%smin", email, ip, wait)
        record_activity(session, organization_id=None, actor_id=None, kind="login_throttled",
                        detail={"email": email}, ip=ip)
        session.commit()  # kept even though the caller's session_scope rolls back on the exception
        raise Throttled(wait)
    user = session.exec(select(User).where(User.email == email)).first()
    # verify_password does the same work with or without a user: no timing oracle on e-mails.
    ok = passwords.verify_password(password, user.password_hash if user else None)
    if ok and user is not None and not user.is_active:
        ok = False
    session.add(LoginAttempt(organization_id=user.organization_id if user else None, email=email,
                             ip=ip, succeeded=ok, created_at=now))
    if not ok:
        log.warning("sign-in failed email=%s ip=%s", email, ip)
        record_activity(session, organization_id=user.organization_id if user else None,
                        actor_id=None, kind="login_failed", detail={"email": email}, ip=ip)
        # Committed, not just flushed: session_scope rolls back when we raise, which would erase the
        # failed attempt and so disable throttling.
        session.commit()
        raise InvalidCredentials()
    user.last_login_at = now
    session.add(user)
    record_activity(session, organization_id=user.organization_id, actor_id=user.id,
                    kind="login", detail={}, ip=ip)
    return user


def sign_in(
    *, session: Session, email: str, password: str, ip: str = "", user_agent: str = "",
    now: datetime | None = None,
) -> SignedIn:
    """Check the credentials and open a session at once (scripts and tests; the browser's sign-in
    goes through ``start_sign_in``). Raises InvalidCredentials or Throttled."""
    now = now or utcnow()
    user = _check_credentials(session, email, password, ip, now)
    token = _open_session(session, user, ip=ip, user_agent=user_agent, now=now)
    return SignedIn(token=token, actor=actor_for(user))


def start_sign_in(
    *, session: Session, email: str, password: str, client_token: str, ip: str = "",
    user_agent: str = "", now: datetime | None = None,
) -> PendingSignIn:
    """Check the credentials and open a pending session the browser tab ``client_token`` can redeem
    once, within SIGN_IN_CODE_SECONDS. Raises InvalidCredentials or Throttled."""
    now = now or utcnow()
    user = _check_credentials(session, email, password, ip, now)
    code = _open_pending_session(session, user, client_token=client_token, ip=ip, user_agent=user_agent,
                                 now=now)
    return PendingSignIn(code=code, actor=actor_for(user))


def _code_hash(code: str, client_token: str) -> str:
    # Keyed apart from session tokens: no cookie value can ever match a pending row, and the code is
    # worth nothing without the tab it was issued to.
    return token_hash(f"{client_token}\n{code}", get_settings().secret_key + "|sign-in-code")


def _open_pending_session(session: Session, user: User, *, client_token: str, ip: str, user_agent: str,
                          now: datetime) -> str:
    code = new_token()
    _add_session_row(session, user, _code_hash(code, client_token), ip=ip, user_agent=user_agent, now=now)
    return code


def redeem_sign_in(
    *, session: Session, code: str, client_token: str, now: datetime | None = None,
) -> SignedIn | None:
    """Trade a sign-in code for the session token, once; None if unknown, spent, late or revoked."""
    if not (isinstance(code, str) and isinstance(client_token, str) and 20 <= len(code) <= 100
            and 0 < len(client_token) <= 200):
        return None
    now = now or utcnow()
    pending = _code_hash(code, client_token)
    row = session.exec(
        select(AuthSession, User).join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == pending)
    ).first()
    if row is None:
        return None
    auth, user = row
    late = now - auth.created_at > timedelta(seconds=SIGN_IN_CODE_SECONDS)
    if auth.revoked_at is not None or late or not user.is_active:
        return None
    token = new_token()
    # Compare-and-set on the code's hash: of two redemptions at once, one gets the session.
    swapped = session.exec(
        update(AuthSession)
        .where(AuthSession.id == auth.id, AuthSession.token_hash == pending)
        .values(token_hash=token_hash(token, get_settings().secret_key), last_seen_at=now)
    )
    if (swapped.rowcount or 0) != 1:
        return None
    return SignedIn(token=token, actor=actor_for(user))


def session_marker(token: str) -> str:
    """The non-secret companion of a session token, kept in a cookie scripts can read.

    Derived one way from the token, so it reveals nothing about it; the server recomputes it.
    """
    return token_hash(token, get_settings().secret_key + "|marker")[:32]


def _open_session(session: Session, user: User, *, ip: str, user_agent: str, now: datetime) -> str:
    token = new_token()
    key_hash = token_hash(token, get_settings().secret_key)
    _add_session_row(session, user, key_hash, ip=ip, user_agent=user_agent, now=now)
    return token


def _add_session_row(session: Session, user: User, key_hash: str, *, ip: str, user_agent: str,
                     now: datetime) -> None:
    session.add(AuthSession(
        organization_id=user.organization_id, user_id=user.id, token_hash=key_hash,
        created_at=now, last_seen_at=now,
        expires_at=now + timedelta(hours=get_settings().session_max_hours),
        ip=ip[:64], user_agent=user_agent[:300],
    ))


def resolve_session(*, session: Session, token: str, now: datetime | None = None) -> Actor | None:
    """The actor behind a browser token, or None if the token is unknown, expired or revoked."""
    if not token:
        return None
    now = now or utcnow()
    settings = get_settings()
    row = session.exec(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == token_hash(token, settings.secret_key))
    ).first()
    if row is None:
        return None
    auth, user = row
    idle_limit = auth.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    if auth.revoked_at is not None or now >= auth.expires_at or now >= idle_limit or not user.is_active:
        return None
    if now - auth.last_seen_at >= _TOUCH_EVERY:
        auth.last_seen_at = now
        session.add(auth)
    return actor_for(user)


def sign_out(*, session: Session, token: str) -> None:
    if not token:
        return
    session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(token, get_settings().secret_key))
        .where(AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_sessions(session: Session, user_id: int) -> int:
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0


def change_own_password(
    *, session: Session, actor: Actor, current: str, new: str, client_token: str = "", ip: str = "",
    user_agent: str = "",
) -> str:
    """Change the actor's password and end all his sessions; return a sign-in code (see
    ``redeem_sign_in``) that gives the tab ``client_token`` a fresh session."""
    user = session.get(User, actor.user_id)
    if user is None or not user.is_active:
        raise InvalidCredentials()
    if not passwords.verify_password(current, user.password_hash):
        raise FieldError("current_password_wrong")
    if new == current:
        raise FieldError("password_unchanged")
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    session.add(user)
    revoke_user_sessions(session, user.id)
    record_activity(session, organization_id=user.organization_id, actor_id=user.id,
                    kind="password_changed", detail={}, ip=ip)
    return _open_pending_session(session, user, client_token=client_token, ip=ip, user_agent=user_agent,
                                 now=utcnow())


def has_any_user(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(User)).one() > 0


def organization_of(session: Session, actor: Actor) -> Organization:
    org = session.get(Organization, actor.organization_id)
    assert org is not None  # a user's organization is never deleted
    return org
