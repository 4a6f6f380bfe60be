"""Small frozen values passed between services, states and the API."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

T = TypeVar("T")


def fields_of(target: type[T], source: object, **given: Any) -> T:
    """``target`` (a dataclass) built from ``source``'s attributes of the same names, and ``given`` for
    the fields computed or named otherwise. A DTO lists what it shows; this copies it from the row,
    so that adding a column is one line in the DTO, not one more in each place that builds it."""
    copied = {f.name: getattr(source, f.name) for f in fields(target) if f.init and f.name not in given}
    return target(**copied, **given)


def values_of(source: Any, *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """A dataclass's fields as keyword arguments (for a target that is not a dataclass, say a table row)."""
    return {f.name: getattr(source, f.name) for f in fields(source) if f.name not in without}


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
class OrganizationInput:
    """What the admin sets up for the organization (at setup and in /settings)."""

    name: str
    country: str
    currency: str
    language: str
    timezone: str


@dataclass(frozen=True)
class OrganizationDTO(OrganizationInput):
    id: int


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
