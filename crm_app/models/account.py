"""Customer accounts: a company grouping customers (each with a role), its tags.

An account is soft-deleted (``deleted_at``); its memberships stay, and the member customers are
never touched. Tags reuse the organization's ``tag`` table through ``account_tag``, so "VIP" is one
tag for customers and accounts alike.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_app.models.audit import AuditTrail, active_index
from crm_app.models.customer import SortName, TaxId
from crm_app.models.types import UTCDateTime, utcnow


class Account(AuditTrail, table=True):
    __tablename__ = "account"
    __table_args__ = (
        # Keyset pages of active accounts by name or by creation (the list's two sort orders).
        active_index("ix_account_org_name", "organization_id", "sort_name", "id"),
        active_index("ix_account_org_created", "organization_id", "created_at", "id"),
        Index("ix_account_org_tax_id", "organization_id", "tax_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=200)
    sort_name: str = Field(default="", sa_column=Column(SortName, nullable=False))
    tax_id_type: str = Field(default="", max_length=16)
    tax_id: str | None = Field(default=None, sa_column=Column(TaxId, nullable=True))
    address: str = Field(default="", max_length=300)
    city: str = Field(default="", max_length=100)
    phone_raw: str = Field(default="", max_length=64)
    phone_e164: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)
    industry: str = Field(default="", max_length=100)
    owner_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=True)
    )
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Normalized name, tax ID, e-mail, phone digits and industry (domain.search_text.normalize).
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class AccountMember(SQLModel, table=True):
    """A customer belonging to an account, with his role there (main_contact, billing, member)."""

    __tablename__ = "account_member"
    __table_args__ = (
        UniqueConstraint("account_id", "customer_id", name="uq_account_member"),
        # "His accounts" on the customer's profile; the customer list's account filter uses the unique one.
        Index("ix_account_member_customer", "customer_id", "account_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    account_id: int = Field(sa_column=Column(Integer, ForeignKey("account.id"), nullable=False))
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    role: str = Field(default="member", max_length=16)  # domain.accounts.MEMBER_ROLES
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    created_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=True)
    )


class AccountTag(SQLModel, table=True):
    __tablename__ = "account_tag"
    __table_args__ = (Index("ix_account_tag_org_tag", "organization_id", "tag_id", "account_id"),)

    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id"), primary_key=True, autoincrement=False)
    )
    tag_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tag.id"), primary_key=True, autoincrement=False)
    )
    organization_id: int = Field(foreign_key="organization.id")
