"""The customer's event feed and what it shows besides changes: comments, tasks and files.

Every write made through the services adds one ``feed_event`` row in the same transaction. Events of
comments, tasks and files point at their row through ``ref_id``; the feed reads those rows in one
query per kind and page (services/feed.py), so a comment edited later shows its current text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow


class FeedEvent(SQLModel, table=True):
    """One line of a customer's feed: who did what, when; ``data`` is the kind's JSON payload."""

    __tablename__ = "feed_event"
    __table_args__ = (
        # Newest first by id, per customer, optionally per kind: keyset "load more" (id < cursor).
        Index("ix_feed_event_customer_id", "customer_id", "id"),
        Index("ix_feed_event_customer_kind_id", "customer_id", "kind", "id"),
        # An account's own events (its edits, its membership changes), newest first.
        Index("ix_feed_event_account_id", "account_id", "id"),
        # A lead's history; its conversion has the customer's id too and shows in both feeds.
        Index("ix_feed_event_lead_id", "lead_id", "id"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    )
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    # Set on account events; a membership change has both (it shows in the account's and the member's feed).
    account_id: int | None = Field(default=None, foreign_key="account.id")
    lead_id: int | None = Field(default=None, foreign_key="lead.id")
    kind: str = Field(max_length=40)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    ref_id: int | None = Field(default=None)


class Comment(SQLModel, table=True):
    """A staff comment on a customer. Its author (or an admin) may edit or delete it."""

    __tablename__ = "comment"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False, index=True))
    author_id: int | None = Field(default=None, foreign_key="app_user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    edited_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Task(SQLModel, table=True):
    """A to-do about a customer, assigned to a staff user, with a due date and time (UTC)."""

    __tablename__ = "task"
    __table_args__ = (
        # "My tasks": the assignee's open tasks by due date.
        Index("ix_task_assignee_open", "organization_id", "assignee_id", "done_at", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("customer.id"), nullable=True, index=True)
    )
    title: str = Field(max_length=200)
    due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    done_by: int | None = Field(default=None, foreign_key="app_user.id")


class StoredFile(SQLModel, table=True):
    """A file attached to a customer, kept outside Reflex's public upload folder.

    ``storage_key`` is a random name under the files directory (the user's file name is only shown,
    never used as a path); ``content_type`` is what the content says it is, not what the browser said.
    """

    __tablename__ = "stored_file"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False, index=True))
    uploaded_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    storage_key: str = Field(max_length=64, unique=True)
    original_name: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(max_length=64)
    is_image: bool = Field(default=False)
    width: int | None = Field(default=None)
    height: int | None = Field(default=None)
    has_thumbnail: bool = Field(default=False)
