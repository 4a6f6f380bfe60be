"""E-mail campaigns as plain values: what a user enters, what the pages show, and the unsubscribe link's
token (a recipient's id signed with the app's secret: the link is the capability, nothing is stored)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from crm_app.domain.ids import parse_id

# A campaign's life (models.campaign.CAMPAIGN_STATUSES): draft -> scheduled -> preparing -> sending
# <-> paused -> done; cancelled from any of scheduled..paused.
EDITABLE = ("draft",)
LIVE = ("scheduled", "preparing", "sending", "paused")
# What the report counts. A recipient's status is his message's ("sending" reads as "queued"), except
# that one who unsubscribed reads "unsubscribed". "logged_only": no SMTP server was configured, so the
# mail went to the server log and the customer got nothing.
RECIPIENT_STATUSES = ("queued", "sent", "logged_only", "failed", "unsubscribed", "paused", "cancelled")
MAX_NAME = 100
MIN_PACE, MAX_PACE = 1, 600  # e-mails a minute (Organization.campaign_per_minute)
# CustomerEmail.consent_source of an address whose owner used a campaign's unsubscribe link: its
# consent_at then says when he withdrew (not accepting, it dates no consent).
UNSUBSCRIBED = "unsubscribe"


@dataclass(frozen=True)
class CampaignInput:
    name: str
    template_id: int | None
    segment_id: int | None = None  # a saved segment, or...
    query: str = ""  # ...the customer list's filters, as its address spells them


@dataclass(frozen=True)
class CampaignDTO:
    id: int
    name: str
    status: str
    template_id: int | None
    template_name: str
    subject: str
    segment_id: int | None
    segment_name: str  # "" when the campaign uses the list's filters (or its segment was deleted)
    query: str  # the filters it was (or will be) sent with
    scheduled_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    recipients: int  # addresses it was queued to (0 before it is prepared)
    excluded: int  # customers of the segment with no e-mail that accepts mail
    sent: int  # messages sent so far
    job_id: int | None  # the preparation's job, for its progress
    created_by_name: str
    created_at: datetime


@dataclass(frozen=True)
class CampaignPage:
    rows: tuple[CampaignDTO, ...]
    next_cursor: str


@dataclass(frozen=True)
class Audience:
    customers: int  # customers the filters select (trash left out)
    addresses: int  # of them, those with an e-mail that accepts mail: one message each
    excluded: int  # the others: left out, no e-mail with consent
    complete: bool = True  # False: counting stopped at its cap, the figures are "at least"


@dataclass(frozen=True)
class RecipientRow:
    id: int
    customer_id: int
    customer_name: str
    address: str
    status: str  # one of RECIPIENT_STATUSES
    error: str  # why it failed or was cancelled
    sent_at: datetime | None
    unsubscribed_at: datetime | None


@dataclass(frozen=True)
class RecipientPage:
    rows: tuple[RecipientRow, ...]
    next_cursor: str


@dataclass(frozen=True)
class SegmentDTO:
    id: int
    name: str
    query: str


# ------------------------------------------------------------------------------------- unsubscribe


def _signature(recipient_id: int, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"unsubscribe:{recipient_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def unsubscribe_token(recipient_id: int, secret: str) -> str:
    """``<recipient id>.<signature>``: short enough for a link, unguessable without the secret."""
    return f"{recipient_id}.{_signature(recipient_id, secret)}"


def read_unsubscribe_token(token: str, secret: str) -> int | None:
    """The recipient id a token was made for, or None for a token this app did not sign."""
    raw_id, _, signature = (token or "").partition(".")
    recipient_id = parse_id(raw_id)
    if not recipient_id or not hmac.compare_digest(signature, _signature(recipient_id, secret)):
        return None
    return recipient_id
