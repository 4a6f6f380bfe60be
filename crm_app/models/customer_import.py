"""Customer imports: the uploaded file and how it is read (mapping, mode, match), its check and its
write, and every change it made, recorded in the same transaction as the change so it can be reverted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow

IMPORT_STATUSES = (
    "uploaded", "checking", "checked", "importing", "done", "failed", "cancelled", "interrupted",
    "reverting", "revert_stopped", "reverted",
)


class CustomerImport(SQLModel, table=True):
    __tablename__ = "customer_import"
    __table_args__ = (Index("ix_customer_import_org_id", "organization_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    created_by: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    file_name: str = Field(max_length=255)  # as the user named it: shown, never a path
    stored_name: str = Field(max_length=80)  # the file on the server's disk (a random name)
    file_size: int = Field(default=0)
    row_count: int = Field(default=0)
    headers: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list
    client_type: str = Field(default="person", max_length=16)  # for rows without a type column
    mode: str = Field(default="create", max_length=8)
    match_by: str = Field(default="tax_id", max_length=16)
    # JSON: {"columns": {"<index>": "<key>"}, "defaults": {"<key>": "<value>"}}
    mapping: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    valid_only: bool = Field(default=False)
    status: str = Field(default="uploaded", max_length=16)
    job_id: int | None = Field(default=None, foreign_key="job.id")  # the latest check, write or revert
    # JSON counts of the check ("create", "update", "unchanged", "errors") and of the write.
    counts: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    next_row: int = Field(default=0)  # rows before it are written: where a resumed write goes on
    created_count: int = Field(default=0)
    updated_count: int = Field(default=0)
    started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    reverted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    reverted_by: int | None = Field(default=None, foreign_key="app_user.id")
    # JSON list of the customers the revert left alone (edited since the import): [{"id", "name"}]
    revert_skipped: str = Field(default="[]", sa_column=Column(Text, nullable=False))


class CustomerImportChange(SQLModel, table=True):
    """One customer an import created or updated: enough to undo it (his fields before an update)."""

    __tablename__ = "customer_import_change"
    __table_args__ = (Index("ix_customer_import_change_import_id", "import_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="customer_import.id")
    organization_id: int = Field(foreign_key="organization.id")
    row_number: int  # the file's row (the header is row 1), as the user sees it in Excel
    customer_id: int = Field(foreign_key="customer.id")
    action: str = Field(max_length=8)  # created | updated
    before: str = Field(default="", sa_column=Column(Text, nullable=False))  # JSON input, for "updated"
    version_after: int = Field(default=1)  # the customer's version the import left
    reverted: bool = Field(default=False)  # undone by a revert (set with the undo: a revert resumes)
