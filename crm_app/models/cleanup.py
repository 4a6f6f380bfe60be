"""Cleaning the customer base: duplicate candidates found by a scan, pairs people said are not
duplicates, merges (with what each moved, so it can be undone), and bulk actions (with each customer's
value before, so they can be undone).

A scan (a background job) writes ``duplicate_pair`` rows, one per candidate pair (``customer_a_id <
customer_b_id``), and folds them into ``duplicate_group`` rows (the connected components), which the
review page lists by score. ``reasons`` is a bit set (domain/duplicates.py names the bits).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow


class DuplicatePair(SQLModel, table=True):
    """Two active customers a scan judged may be one person."""

    __tablename__ = "duplicate_pair"
    __table_args__ = (
        UniqueConstraint("organization_id", "customer_a_id", "customer_b_id", name="uq_duplicate_pair"),
        Index("ix_duplicate_pair_org_group", "organization_id", "group_key"),
        Index("ix_duplicate_pair_b", "organization_id", "customer_b_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_a_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    customer_b_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    score: int = Field(default=0)  # 0-100
    reasons: int = Field(default=0)  # bit set, domain/duplicates.py
    group_key: int = Field(default=0)  # the smallest customer id of the pair's group
    found_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class DuplicateGroup(SQLModel, table=True):
    """Customers linked by candidate pairs: the unit the review page lists, best score first."""

    __tablename__ = "duplicate_group"
    __table_args__ = (
        UniqueConstraint("organization_id", "group_key", name="uq_duplicate_group_key"),
        Index("ix_duplicate_group_org_score", "organization_id", "score", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    group_key: int = Field(default=0)
    score: int = Field(default=0)  # the best pair's
    reasons: int = Field(default=0)  # every pair's, or'ed
    size: int = Field(default=2)
    customer_ids: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON, ascending
    found_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class DuplicateDismissal(SQLModel, table=True):
    """"Not duplicates": a pair a person reviewed; no scan proposes it again."""

    __tablename__ = "duplicate_dismissal"
    __table_args__ = (
        UniqueConstraint("organization_id", "customer_a_id", "customer_b_id", name="uq_duplicate_dismissal"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_a_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    customer_b_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    dismissed_by: int | None = Field(default=None, foreign_key="app_user.id")
    dismissed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class CustomerMerge(SQLModel, table=True):
    """One merge of customers into a survivor. ``snapshot`` (JSON) holds every row as it was before,
    or the ids it moved, so an undo puts each back exactly; ``survivor_version`` is the survivor's
    version right after the merge: an undo is refused once the survivor was edited since."""

    __tablename__ = "customer_merge"
    __table_args__ = (Index("ix_customer_merge_org_id", "organization_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    survivor_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    merged_ids: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    survivor_version: int = Field(default=0)
    summary: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # what moved, counted
    snapshot: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    undone_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    undone_by: int | None = Field(default=None, foreign_key="app_user.id")


class BulkAction(SQLModel, table=True):
    """One bulk action on a selection of customers: who, when, what (``kind`` and ``params``, JSON), on
    which selection (``selection``: the ids, or the list's filters), how many it matched and changed."""

    __tablename__ = "bulk_action"
    __table_args__ = (Index("ix_bulk_action_org_id", "organization_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    actor_id: int = Field(foreign_key="app_user.id")
    kind: str = Field(max_length=32)
    params: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    selection: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    status: str = Field(default="running", max_length=16)  # running|done|failed|cancelled|undoing|undone
    matched: int = Field(default=0)
    changed: int = Field(default=0)
    job_id: int | None = Field(default=None, foreign_key="job.id")
    undo_job_id: int | None = Field(default=None, foreign_key="job.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    undone_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    undone_by: int | None = Field(default=None, foreign_key="app_user.id")
    error: str = Field(default="", max_length=500)


class BulkActionItem(SQLModel, table=True):
    """A customer a bulk action changed, with what it held before (``before``, short JSON or "")."""

    __tablename__ = "bulk_action_item"

    bulk_action_id: int = Field(
        sa_column=Column(Integer, ForeignKey("bulk_action.id"), primary_key=True, autoincrement=False)
    )
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id"), primary_key=True, autoincrement=False)
    )
    before: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
