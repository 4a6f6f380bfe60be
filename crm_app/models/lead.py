"""A lead: a possible customer, followed up until won (converted into a customer) or lost."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, Text
from sqlmodel import Field

from crm_app.models.audit import AuditTrail, active_index
from crm_app.models.types import UTCDateTime


class Lead(AuditTrail, table=True):
    __tablename__ = "lead"
    __table_args__ = (
        Index("ix_lead_org_id", "organization_id", "id"),
        Index("ix_lead_org_status_id", "organization_id", "status", "id"),
        Index("ix_lead_org_owner_id", "organization_id", "owner_id", "id"),
        Index("ix_lead_org_channel_id", "organization_id", "channel_id", "id"),
        Index("ix_lead_org_customer", "organization_id", "customer_id"),
        Index("ix_lead_org_created", "organization_id", "created_at", "id"),
        # The panel's workload (0014): each owner's active leads by status, from the index alone.
        active_index("ix_lead_org_owner_status", "organization_id", "owner_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=200)
    phone_raw: str = Field(default="", max_length=40)
    phone_e164: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)
    channel_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("acquisition_channel.id"), nullable=True)
    )
    owner_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=True)
    )
    status: str = Field(default="new", max_length=16)  # domain.documents.LEAD_STATUSES
    lost_reason: str = Field(default="", max_length=200)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # The name without accents, the e-mail and the phone's digits (domain.search_text), for the list's
    # search: "maria" finds "María" on both databases.
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    next_step_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    # The customer it became (converted) or was linked to instead ("link to existing").
    customer_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("customer.id"), nullable=True)
    )
    converted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A website form's consent checkbox: when the person ticked it (None: no consent given).
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


__all__ = ["Lead"]
