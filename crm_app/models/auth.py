"""Sign-in sessions, sign-in attempts (for throttling) and the security/admin activity log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the HMAC of its token is stored, never the token."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt; recent failures per account and per address throttle new ones."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "created_at"),
        Index("ix_login_attempt_ip_at", "ip", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Null when the e-mail matches no user: the attempt belongs to no organization.
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    email: str = Field(max_length=254)
    ip: str = Field(default="", max_length=64)
    succeeded: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class ActivityLog(SQLModel, table=True):
    """Security and administration events: who did what, when, before -> after."""

    __tablename__ = "activity_log"
    __table_args__ = (Index("ix_activity_log_org_id", "organization_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    kind: str = Field(max_length=64)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    ip: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
