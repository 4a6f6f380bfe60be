"""Factories for service tests: organizations with their admin, staff users.

Each factory commits, so what it creates is visible to every session and survives a later rollback
(the ``session`` fixture still deletes everything after the test).
"""

from __future__ import annotations

import itertools
import secrets

from sqlmodel import Session, select

from crm_app.domain.countries import COUNTRIES
from crm_app.domain.dto import Actor, OrganizationDTO, UserDTO
from crm_app.models import User
from crm_app.services.auth import actor_for
from crm_app.services.organizations import AdminInput, OrganizationInput, create_organization
from crm_app.services.users import create_user

ADMIN_PASSWORD = "Correct horse battery staple 1"

_sequence = itertools.count(1)


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}.{next(_sequence)}.{secrets.token_hex(3)}@example.test"


def actor_of(session: Session, user_id: int) -> Actor:
    user = session.get(User, user_id)
    assert user is not None
    session.refresh(user)
    return actor_for(user)


def make_org(
    session: Session, name: str = "Acme", country: str = "EC", *, admin_email: str | None = None,
    admin_password: str = ADMIN_PASSWORD, admin_name: str | None = None, language: str = "es",
) -> tuple[OrganizationDTO, Actor]:
    """An organization (currency and time zone from its country) and its first admin, as an Actor.

    The admin signs in with ``admin_email`` / ``admin_password`` (default ADMIN_PASSWORD).
    """
    info = COUNTRIES[country]
    email = admin_email or unique_email("admin")
    org = create_organization(
        session=session,
        org=OrganizationInput(name=name, country=country, currency=info.currency, language=language,
                              timezone=info.timezone),
        admin=AdminInput(name=admin_name or f"Admin {name}", email=email, password=admin_password),
    )
    session.commit()
    user = session.exec(select(User).where(User.email == email.strip().lower())).one()
    return org, actor_for(user)


def make_user(
    session: Session, actor: Actor, role: str = "sales", *, name: str | None = None,
    email: str | None = None, language: str = "es",
) -> tuple[UserDTO, Actor, str]:
    """A staff user created by ``actor`` (an admin): (UserDTO, his Actor, his temporary password).

    The user has must_change_password set, as after a real creation.
    """
    email = email or unique_email(role)
    user, temporary = create_user(session=session, actor=actor, name=name or f"User {email.split('@')[0]}",
                                  email=email, role=role, language=language)
    session.commit()
    return user, actor_of(session, user.id), temporary
