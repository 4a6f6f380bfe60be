"""What connects other systems to an organization: API keys (and their idempotent replies), webhook
endpoints with their deliveries, website forms and the Facebook lead-ads connector."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow

API_SCOPES = ("customers:read", "customers:write", "documents:write", "webhooks")
WEBHOOK_EVENTS = (
    "customer.created", "customer.updated", "customer.deleted", "customer.merged",
    "lead.created", "order.status_changed", "message.failed",
)
DELIVERY_STATUSES = ("queued", "sending", "delivered", "failed")
FORM_TARGETS = ("lead", "customer")


class ApiKey(SQLModel, table=True):
    """A secret an integrator sends as ``Authorization: Bearer``; only its SHA-256 is kept (the key is
    256 random bits, so a slow hash adds nothing). ``prefix`` is shown in the list to tell keys apart.
    The per-minute window counts requests across every app node (one UPDATE a request)."""

    __tablename__ = "api_key"
    __table_args__ = (Index("ix_api_key_org_id", "organization_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16)
    key_hash: str = Field(max_length=64, unique=True)
    scopes: str = Field(default="", max_length=200)  # space-separated, from API_SCOPES
    rate_limit: int = Field(default=120)  # requests per minute
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_by: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_by: int | None = Field(default=None, foreign_key="app_user.id")
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    window_started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    window_count: int = Field(default=0)


class ApiIdempotency(SQLModel, table=True):
    """The first answer to a POST sent with an ``Idempotency-Key``, replayed for 24 hours. The request's
    hash tells a retry from a different request reusing the key (refused with 422)."""

    __tablename__ = "api_idempotency"
    __table_args__ = (
        UniqueConstraint("api_key_id", "key", name="uq_api_idempotency_key"),
        Index("ix_api_idempotency_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    api_key_id: int = Field(foreign_key="api_key.id")
    key: str = Field(max_length=200)
    request_hash: str = Field(max_length=64)
    status_code: int = Field(default=0)  # 0 while the first request is still running
    response_body: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    response_headers: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class WebhookEndpoint(SQLModel, table=True):
    """An admin's URL that receives the organization's events, signed with ``secret`` (kept in clear:
    it signs every delivery). After ``consecutive_failures`` reaches the limit it is disabled."""

    __tablename__ = "webhook_endpoint"
    __table_args__ = (Index("ix_webhook_endpoint_org_id", "organization_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    url: str = Field(max_length=500)
    description: str = Field(default="", max_length=200)
    events: str = Field(default="", max_length=400)  # space-separated, from WEBHOOK_EVENTS
    secret: str = Field(max_length=80)
    created_by: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    consecutive_failures: int = Field(default=0)
    disabled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    disabled_reason: str = Field(default="", max_length=200)
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint, written in the transaction of the change (an outbox row), delivered
    and retried by the outbox worker; its log is the last attempt's code, duration and error."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_endpoint_id", "endpoint_id", "id"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    )
    organization_id: int = Field(foreign_key="organization.id")
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id")
    event_id: str = Field(max_length=40)  # "evt_..." : the receiver's de-duplication key
    event_type: str = Field(max_length=40)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="queued", max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    claimed_by: str = Field(default="", max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The claim holds until then; its worker renews it while sending (jobs/lease.py).
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    response_code: int | None = Field(default=None)
    duration_ms: int | None = Field(default=None)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class WebForm(SQLModel, table=True):
    """A form on the organization's website posting to ``/api/v1/forms/<public_key>``: it creates a lead
    or a customer. Only the listed origins may post from a browser (CORS)."""

    __tablename__ = "web_form"
    __table_args__ = (Index("ix_web_form_org_id", "organization_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    public_key: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=100)
    target: str = Field(default="lead", max_length=16)  # lead | customer
    allowed_origins: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    consent_text: str = Field(default="", max_length=500)
    channel_id: int | None = Field(default=None, foreign_key="acquisition_channel.id")
    owner_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_by: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    disabled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class LeadAdsConnector(SQLModel, table=True):
    """Facebook Lead Ads for one organization: Meta calls ``/api/v1/connectors/facebook/<public_key>``;
    ``verify_token`` answers its subscription handshake, ``app_secret`` checks X-Hub-Signature-256,
    ``page_token`` fetches a lead's fields from the Graph API, ``field_mapping`` (JSON) maps them."""

    __tablename__ = "lead_ads_connector"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", unique=True)
    public_key: str = Field(max_length=40, unique=True)
    verify_token: str = Field(max_length=80)
    app_secret: str = Field(default="", max_length=200)
    page_token: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    field_mapping: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    channel_id: int | None = Field(default=None, foreign_key="acquisition_channel.id")
    owner_id: int | None = Field(default=None, foreign_key="app_user.id")
    enabled: bool = Field(default=True)
    created_by: int = Field(foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
