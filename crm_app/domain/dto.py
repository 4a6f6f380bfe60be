"""Small frozen values passed between services, states and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a service runs."""

    user_id: int
    organization_id: int
    role: str
    name: str
    email: str
    language: str
    must_change_password: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class OrganizationDTO:
    id: int
    name: str
    country: str
    currency: str
    language: str
    timezone: str


@dataclass(frozen=True)
class UserDTO:
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    must_change_password: bool
    language: str
    created_at: datetime
    last_login_at: datetime | None


@dataclass(frozen=True)
class SignedIn:
    """Result of a successful sign-in: the raw token goes to the browser, never to the database."""

    token: str
    actor: Actor


@dataclass(frozen=True)
class PendingSignIn:
    """Credentials checked: a one-time code the browser trades for its session cookie over HTTP."""

    code: str
    actor: Actor
