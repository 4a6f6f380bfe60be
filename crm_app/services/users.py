"""Staff users of an organization: the admin's Users page and each user's own settings."""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from crm_app.domain import passwords
from crm_app.domain.dto import Actor, UserDTO
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.domain.text import clean_line
from crm_app.i18n import DEFAULT_LANGUAGE, LANGUAGES
from crm_app.models import ROLES, User
from crm_app.services.activity import record_activity
from crm_app.services.auth import normalize_login_email, revoke_user_sessions
from crm_app.services.tenancy import org_row

PAGE_SIZE = 50
log = logging.getLogger("crm_app.services.users")


def validate_name(name: str) -> None:
    if not clean_line(name):
        raise FieldError("required")
    if len(clean_line(name)) > 200:
        raise FieldError("too_long", max=200)


def validate_email(email: str) -> None:
    # Staff logins: a light syntax check; customers' e-mails go through email-validator.
    value = normalize_login_email(email)
    local, _, domain = value.partition("@")
    if not value:
        raise FieldError("required")
    if not local or "." not in domain or " " in value or len(email.strip()) > 254:
        raise FieldError("email_invalid")


def _email_refusal(actor: Actor, owner_org_id: int) -> FieldError:
    """Sign-in is by e-mail alone, so an address is unique across organizations. The admin already
    sees his own users, so he is told plainly; another organization's user is not confirmed, only
    refused with a message that also fits an address that cannot be used for any other reason."""
    if owner_org_id == actor.organization_id:
        return FieldError("email_taken")
    log.warning("admin %s tried an e-mail used in another organization", actor.user_id)
    return FieldError("email_unavailable")


def _to_dto(user: User) -> UserDTO:
    return UserDTO(id=user.id, email=user.email, name=user.name, role=user.role,
                   is_active=user.is_active, must_change_password=user.must_change_password,
                   language=user.language, created_at=user.created_at, last_login_at=user.last_login_at)


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden()


def _get_in_org(session: Session, actor: Actor, user_id: int) -> User:
    return org_row(session, User, user_id, actor, "user")


def list_users(*, session: Session, actor: Actor, search: str = "", after_name: str = "",
               after_id: int = 0, limit: int = PAGE_SIZE) -> list[UserDTO]:
    """One page of the organization's users, by name then id (keyset)."""
    _require_admin(actor)
    query = select(User).where(User.organization_id == actor.organization_id)
    if search.strip():
        needle = f"%{search.strip().lower()}%"
        query = query.where((User.email.like(needle)) | (User.name.ilike(needle)))
    if after_id:
        query = query.where((User.name > after_name) | ((User.name == after_name) & (User.id > after_id)))
    rows = session.exec(query.order_by(User.name, User.id).limit(min(limit, 100))).all()
    return [_to_dto(u) for u in rows]


def create_user(*, session: Session, actor: Actor, name: str, email: str, role: str,
                language: str = "es") -> tuple[UserDTO, str]:
    """Create a staff user with a temporary password, returned once to show to the admin."""
    _require_admin(actor)
    errors: dict[str, FieldError] = {}
    for field, check in (("name", lambda: validate_name(name)), ("email", lambda: validate_email(email))):
        try:
            check()
        except FieldError as exc:
            errors[field] = exc
    if role not in ROLES:
        errors["role"] = FieldError("role_invalid")
    email = normalize_login_email(email)
    if "email" not in errors:
        owner = session.exec(select(User.organization_id).where(User.email == email)).first()
        if owner is not None:
            errors["email"] = _email_refusal(actor, owner)
    if errors:
        raise ValidationFailed(errors)
    temporary = passwords.temporary_password()
    user = User(organization_id=actor.organization_id, email=email, name=clean_line(name), role=role,
                password_hash=passwords.hash_password(temporary), must_change_password=True,
                language=language if language in LANGUAGES else DEFAULT_LANGUAGE)
    session.add(user)
    session.flush()
    record_activity(session, organization_id=actor.organization_id, actor_id=actor.user_id,
                    kind="user_created", detail={"user": email, "role": role})
    return _to_dto(user), temporary


def _refuse_self(actor: Actor, user: User) -> None:
    # An admin cannot lock himself out (demote or disable himself).
    if user.id == actor.user_id:
        raise FieldError("cannot_change_self")


def set_role(*, session: Session, actor: Actor, user_id: int, role: str) -> UserDTO:
    _require_admin(actor)
    user = _get_in_org(session, actor, user_id)
    if role not in ROLES:
        raise FieldError("role_invalid")
    _refuse_self(actor, user)
    before = user.role
    user.role = role
    session.add(user)
    record_activity(session, organization_id=actor.organization_id, actor_id=actor.user_id,
                    kind="user_role_changed", detail={"user": user.email, "before": before, "after": role})
    return _to_dto(user)


def set_active(*, session: Session, actor: Actor, user_id: int, active: bool) -> UserDTO:
    """Disable or enable a user; disabling ends all his sessions at once."""
    _require_admin(actor)
    user = _get_in_org(session, actor, user_id)
    _refuse_self(actor, user)
    user.is_active = active
    session.add(user)
    if not active:
        revoke_user_sessions(session, user.id)
    record_activity(session, organization_id=actor.organization_id, actor_id=actor.user_id,
                    kind="user_enabled" if active else "user_disabled", detail={"user": user.email})
    return _to_dto(user)


def reset_password(*, session: Session, actor: Actor, user_id: int) -> str:
    """Give the user a new temporary password (returned once) and end his sessions."""
    _require_admin(actor)
    user = _get_in_org(session, actor, user_id)
    temporary = passwords.temporary_password()
    user.password_hash = passwords.hash_password(temporary)
    user.must_change_password = True
    session.add(user)
    revoke_user_sessions(session, user.id)
    record_activity(session, organization_id=actor.organization_id, actor_id=actor.user_id,
                    kind="user_password_reset", detail={"user": user.email})
    return temporary


def set_own_language(*, session: Session, actor: Actor, language: str) -> None:
    if language not in LANGUAGES:
        raise FieldError("language_invalid")
    user = _get_in_org(session, actor, actor.user_id)
    user.language = language
    session.add(user)
