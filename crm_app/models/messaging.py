"""Message templates, the outbox that delivers messages, and client invitations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow

# "logged_only": delivered by a log-only adapter (no SMTP / SMS API configured), so never sent.
LOGGED_ONLY = "logged_only"
# "paused" and "cancelled": a campaign's messages held back or dropped before they were sent.
OUTBOX_STATUSES = ("queued", "sending", "sent", LOGGED_ONLY, "failed", "paused", "cancelled")


class MessageTemplate(SQLModel, table=True):
    """An organization's e-mail, SMS or WhatsApp template (Jinja2 source, checked when saved)."""

    __tablename__ = "message_template"
    __table_args__ = (
        UniqueConstraint("organization_id", "channel", "name", name="uq_template_org_channel_name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    channel: str = Field(max_length=16)  # email | sms | whatsapp
    name: str = Field(max_length=100)
    subject: str = Field(default="", max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="app_user.id")


class OutboxMessage(SQLModel, table=True):
    """A message to deliver. Sending only enqueues (with the feed event); a worker claims and delivers.

    ``status`` goes queued -> sending -> sent, or back to queued with ``next_attempt_at`` pushed
    (back-off) until ``attempts`` reaches the limit, then failed with ``last_error``. A channel with no
    SMTP server or SMS API ends in logged_only instead of sent: it reached the server log, not the
    customer (``sent_at`` is then when it was logged).
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The workers' claim query: due queued messages in order.
        Index("ix_outbox_due", "status", "next_attempt_at", "id"),
        # A campaign's report and its pause/resume: its messages by status.
        Index("ix_outbox_campaign_status", "campaign_id", "status"),
        # The worker's pace check: an organization's campaign e-mails sent in the last minute.
        Index("ix_outbox_org_campaign_sent", "organization_id", "sent_at",
              sqlite_where=text("campaign_id IS NOT NULL"), postgresql_where=text("campaign_id IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("customer.id"), nullable=True, index=True)
    )
    channel: str = Field(max_length=16)  # email | sms | whatsapp
    recipient: str = Field(max_length=320)
    subject: str = Field(default="", max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    html: bool = Field(default=False)
    status: str = Field(default="queued", max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    claimed_by: str = Field(default="", max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The claim holds until then; its worker renews it while sending (jobs/lease.py).
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_error: str = Field(default="", max_length=500)
    provider_id: str = Field(default="", max_length=100)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    # A campaign's message: consent is checked again just before sending, and the mail carries the
    # one-click unsubscribe headers (RFC 8058) pointing at ``unsubscribe_url``.
    campaign_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("campaign.id"), nullable=True)
    )
    unsubscribe_url: str = Field(default="", sa_column=Column(String(500), nullable=False, server_default=""))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Invitation(SQLModel, table=True):
    """A personal registration link sent by e-mail: the token is stored only as its keyed hash."""

    __tablename__ = "invitation"
    __table_args__ = (Index("ix_invitation_org_created", "organization_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    email: str = Field(max_length=320)
    client_type: str = Field(default="person", max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    message_id: int | None = Field(default=None, foreign_key="outbox_message.id")


class RateHit(SQLModel, table=True):
    """One request counted by a rate limit (bucket "register": the public registration page, per address)."""

    __tablename__ = "rate_hit"
    __table_args__ = (Index("ix_rate_hit_bucket_key_at", "bucket", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=32)
    key: str = Field(max_length=64)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
