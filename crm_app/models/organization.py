"""Organizations (tenants) and their staff users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, Integer, UniqueConstraint, false, true
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow

ROLES = ("admin", "sales")


class Organization(SQLModel, table=True):
    __tablename__ = "organization"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    country: str = Field(max_length=2)
    currency: str = Field(max_length=3)
    language: str = Field(default="es", max_length=5)
    timezone: str = Field(default="UTC", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    # Duplicate policy for customers: each rule refuses a second active customer with the same value.
    duplicate_check_phone: bool = Field(
        default=True, sa_column=Column(Boolean, nullable=False, server_default=true())
    )
    duplicate_check_email: bool = Field(
        default=True, sa_column=Column(Boolean, nullable=False, server_default=true())
    )
    duplicate_check_tax_id: bool = Field(
        default=True, sa_column=Column(Boolean, nullable=False, server_default=true())
    )
    # Admins always import and export customers; sales users only when an admin allows it (/settings).
    sales_import_export: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    # E-mail campaigns' pace: messages a minute the outbox may send for this organization's campaigns.
    campaign_per_minute: int = Field(
        default=60, sa_column=Column(Integer, nullable=False, server_default="60")
    )


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("email", name="uq_app_user_email"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    # Sign-in is by e-mail, so an address belongs to one user in the whole database.
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=512)
    role: str = Field(default="sales", max_length=16)
    is_active: bool = Field(default=True)
    must_change_password: bool = Field(default=False)
    language: str = Field(default="es", max_length=5)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    password_changed_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    last_login_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
