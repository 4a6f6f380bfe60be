"""E-mail campaigns: a template sent to a segment of the customer list, through the outbox.

A campaign's recipients are fixed when it starts (one row an address, the first e-mail with consent of
each customer in the segment); each gets an outbox message scheduled at the organization's pace
(``Organization.campaign_per_minute``), so the outbox worker's ordinary claim of due messages is the
throttle. Pausing parks the queued messages ("paused"), resuming spaces them again from now.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow

# draft -> scheduled -> preparing -> sending <-> paused -> done, or cancelled from any but done.
CAMPAIGN_STATUSES = ("draft", "scheduled", "preparing", "sending", "paused", "done", "cancelled")


class CustomerSegment(SQLModel, table=True):
    """A saved view of the customer list: its filters as the list's address spells them
    (domain/customer_list_params.py), e.g. ``tags=vip&consent=1``."""

    __tablename__ = "customer_segment"
    __table_args__ = (UniqueConstraint("organization_id", "name", name="uq_segment_org_name"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=100)
    query: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class Campaign(SQLModel, table=True):
    __tablename__ = "campaign"
    __table_args__ = (
        Index("ix_campaign_org_id", "organization_id", "id"),
        Index("ix_campaign_status_scheduled", "status", "scheduled_at"),  # the runner's due scheduled ones
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=100)
    template_id: int | None = Field(default=None, foreign_key="message_template.id")
    # The template's text as it was when the campaign started (a later edit does not change what went).
    subject: str = Field(default="", max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    segment_id: int | None = Field(default=None, foreign_key="customer_segment.id")
    query: str = Field(default="", sa_column=Column(Text, nullable=False))  # the list's filters
    status: str = Field(default="draft", max_length=16)
    scheduled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    recipients: int = Field(default=0)  # addresses the campaign was queued to
    excluded: int = Field(default=0)  # customers of the segment left out: no e-mail with consent
    job_id: int | None = Field(default=None, foreign_key="job.id")
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class CampaignRecipient(SQLModel, table=True):
    __tablename__ = "campaign_recipient"
    __table_args__ = (
        UniqueConstraint("campaign_id", "address", name="uq_campaign_recipient_address"),
        Index("ix_campaign_recipient_campaign_id", "campaign_id", "id"),
        # The preparation's "already a recipient?" per page of customers (a resumed run skips them).
        Index("ix_campaign_recipient_campaign_customer", "campaign_id", "customer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    campaign_id: int = Field(sa_column=Column(Integer, ForeignKey("campaign.id"), nullable=False))
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    address: str = Field(max_length=254)
    message_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("outbox_message.id"), nullable=True, index=True)
    )
    unsubscribed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


__all__ = ["CAMPAIGN_STATUSES", "Campaign", "CampaignRecipient", "CustomerSegment"]
