"""Customers and what hangs off them: phones, e-mails, tags, acquisition channels, phone labels.

The search index is not declared here: SQLite's FTS5 table ``customer_fts`` (external content on
``customer.search_text``, rowid = ``customer.name_key``, kept by triggers) and PostgreSQL's trigram
index ``ix_customer_search_trgm`` are created by migration 0002, which knows the dialect;
:data:`SEARCH_INDEX_OBJECTS` names them so schema comparisons (alembic's ``include_name``) skip them.
Migration 0008 adds PostgreSQL's ``customer.search_facets`` (tag ids and e-mail consent, kept by
triggers) to that index; 0009 makes it index ``customer.search_rest`` (the search text without the
customer's first word, set by a trigger) and adds the ``customer_first_word`` table. Schema
comparisons skip those columns and that table too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from crm_app.models.audit import AuditTrail, active_index, partial_index
from crm_app.models.types import DecimalNumeric, UTCDateTime

CLIENT_TYPES = ("person", "company", "government")
PHONE_KINDS = ("mobile", "work", "home", "custom")
SOURCES = ("form", "invitation", "import", "api", "order", "lead", "sale")

# Sort names and tax IDs are compared byte-wise on PostgreSQL too (the "C" collation), as on SQLite:
# keyset cursors and prefix ranges ("09" <= tax_id < "0:") must follow the index order whatever the
# database's default locale is, and byte-wise comparison is also the fastest.
SortName = String(200).with_variant(String(200, collation="C"), "postgresql")
TaxId = String(32).with_variant(String(32, collation="C"), "postgresql")

# Created by migration 0002 outside SQLModel.metadata (dialect specific): FTS5 and its shadow tables
# on SQLite, the pg_trgm GIN index on PostgreSQL. See :func:`is_search_index_object`.
SEARCH_FTS_TABLE = "customer_fts"
SEARCH_TRGM_INDEX = "ix_customer_search_trgm"
SEARCH_INDEX_OBJECTS = frozenset({SEARCH_FTS_TABLE, SEARCH_TRGM_INDEX})
# PostgreSQL only (migration 0008): the customer's tag ids and e-mail consent, copied into the row by
# triggers so that the trigram index also holds them (see customer_search).
SEARCH_FACETS_COLUMN = "search_facets"
# PostgreSQL only (migration 0009): the search text without the first word, and the first words.
SEARCH_REST_COLUMN = "search_rest"
FIRST_WORD_TABLE = "customer_first_word"
# Migration 0014, an expression per dialect: the active customers by birthday month and day ("MM-DD"
# on SQLite, month * 100 + day on PostgreSQL), for the panel's birthdays of the week
# (services/panel/birthdays.py spells the same expression).
BIRTHDAY_INDEX = "ix_customer_org_birthday"


def is_search_index_object(name: str | None) -> bool:
    """True for the search-index tables/indexes that migrations manage outside the models.

    Use as (part of) alembic's ``include_name`` hook so autogenerate neither drops nor reports them.
    """
    return bool(name) and (
        name in SEARCH_INDEX_OBJECTS
        or name in (FIRST_WORD_TABLE, BIRTHDAY_INDEX)
        or name.startswith(SEARCH_FTS_TABLE + "_")
    )


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """alembic ``include_name`` hook (env.py, schema comparisons in tests): skip the search index."""
    if type_ == "column" and name in (SEARCH_FACETS_COLUMN, SEARCH_REST_COLUMN):
        return (parent_names or {}).get("table_name") != "customer"
    return not is_search_index_object(name)


class AcquisitionChannel(SQLModel, table=True):
    """How a customer found the business ("Recomendación", "Google"...), editable per organization."""

    __tablename__ = "acquisition_channel"
    __table_args__ = (Index("ix_acquisition_channel_org_position", "organization_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=100)
    position: int = Field(default=0)
    is_active: bool = Field(default=True)


class PhoneLabel(SQLModel, table=True):
    """A custom phone type of an organization ("Recepción", "Casa de playa"...)."""

    __tablename__ = "phone_label"
    __table_args__ = (UniqueConstraint("organization_id", "name", name="uq_phone_label_org_name"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=60)


class Tag(SQLModel, table=True):
    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("organization_id", "normalized", name="uq_tag_org_normalized"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=60)
    normalized: str = Field(max_length=60)  # search_text.normalize(name): "VIP" and "vip" are one tag


# search_facets exists on PostgreSQL only (0008, outside the model); 0009 adds it to these indexes.
_COVER = ["search_text", "client_type", "is_supplier", "is_conflictive", "channel_id", SEARCH_FACETS_COLUMN]


class Customer(AuditTrail, table=True):
    __tablename__ = "customer"
    __table_args__ = (
        # Keyset pagination of active customers, by name or by creation (active_index). The trash is
        # small: its own index lists it.
        # On PostgreSQL they also carry the search text and the filtered columns (_COVER), so a walk
        # tests them without reading the table (index-only: 0.3 us a row instead of 6 us at 1M rows).
        active_index(
            "ix_customer_org_name", "organization_id", "sort_name", "id",
            postgresql_include=[*_COVER, "created_at"],  # 0009: its ranges by creation
        ),
        active_index(
            "ix_customer_org_created", "organization_id", "created_at", "id",
            postgresql_include=[*_COVER, "sort_name"],  # 0009: name prefixes by creation
        ),
        partial_index("ix_customer_org_trash", "organization_id", "deleted_at",
                      where="deleted_at IS NOT NULL"),
        # Companies and public bodies cluster in name order ("Ferretería...", "Municipio..."): a type
        # filter walks its own rows in name order instead of skipping over thousands of people.
        active_index(
            "ix_customer_org_type_name", "organization_id", "client_type", "sort_name", "id",
            postgresql_include=_COVER,
        ),
        # Usually rare flags: small partial indexes, in name order, hold just the flagged customers.
        partial_index(
            "ix_customer_org_conflictive_name", "organization_id", "sort_name", "id",
            where="is_conflictive AND deleted_at IS NULL",
            sqlite_where="is_conflictive = 1 AND deleted_at IS NULL",
            postgresql_include=_COVER,
        ),
        partial_index(
            "ix_customer_org_supplier_name", "organization_id", "sort_name", "id",
            where="is_supplier AND deleted_at IS NULL",
            sqlite_where="is_supplier = 1 AND deleted_at IS NULL",
            postgresql_include=_COVER,
        ),
        # The list sorted by what a customer bought (services/customer_totals.py keeps these columns).
        active_index("ix_customer_org_spent", "organization_id", "amount_spent", "id"),
        active_index("ix_customer_org_last_purchase", "organization_id", "last_purchase_at", "id"),
        # The customers changed since a moment (the incremental duplicate scan, migration 0015).
        active_index("ix_customer_org_updated", "organization_id", "updated_at", "id"),
        Index("ix_customer_org_tax_id", "organization_id", "tax_id"),
        Index("ix_customer_org_channel", "organization_id", "channel_id"),
        # A loyalty card belongs to one active customer; a trashed one keeps his number until restored.
        partial_index(
            "uq_customer_org_loyalty_id", "organization_id", "loyalty_id",
            unique=True, where="loyalty_id IS NOT NULL AND deleted_at IS NULL",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    client_type: str = Field(default="person", max_length=16)
    first_name: str = Field(default="", max_length=100)
    last_name: str = Field(default="", max_length=100)
    legal_name: str = Field(default="", max_length=200)
    trade_name: str = Field(default="", max_length=200)
    contact_name: str = Field(default="", max_length=200)
    display_name: str = Field(default="", max_length=200)
    sort_name: str = Field(default="", sa_column=Column(SortName, nullable=False))
    tax_id_type: str = Field(default="", max_length=16)
    tax_id: str | None = Field(default=None, sa_column=Column(TaxId, nullable=True))
    loyalty_id: str | None = Field(default=None, max_length=64)
    birthday: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    street: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=100)
    region: str = Field(default="", max_length=100)
    postal_code: str = Field(default="", max_length=20)
    address_country: str = Field(default="", max_length=2)
    latitude: Decimal | None = Field(default=None, sa_column=Column(DecimalNumeric(9, 6), nullable=True))
    longitude: Decimal | None = Field(default=None, sa_column=Column(DecimalNumeric(9, 6), nullable=True))
    credit_limit: Decimal | None = Field(default=None, sa_column=Column(DecimalNumeric(14, 2), nullable=True))
    discount_percent: Decimal = Field(
        default=Decimal(0), sa_column=Column(DecimalNumeric(5, 2), nullable=False, server_default="0")
    )
    channel_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("acquisition_channel.id"), nullable=True)
    )
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    is_supplier: bool = Field(default=False)
    is_conflictive: bool = Field(default=False)
    source: str = Field(default="form", max_length=16)
    # Normalized names, IDs, e-mails and phone digits (domain.search_text); indexed by FTS5 / pg_trgm.
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # SQLite's search index rowid: name code + id (domain.search_text.name_key), so that a search
    # sorted by name reads the index in name order. Kept up to date on PostgreSQL too (unused there).
    name_key: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))
    # Denormalized from the primary phone / e-mail rows, so the list needs no join.
    primary_phone_e164: str = Field(default="", max_length=20)
    primary_email: str = Field(default="", max_length=254)
    # What he bought, kept by the sale service in the sale's transaction (services/customer_totals.py):
    # the profile and the list read them without adding up sales.
    sales_count: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    amount_spent: Decimal = Field(
        default=Decimal(0), sa_column=Column(DecimalNumeric(16, 2), nullable=False, server_default="0")
    )
    last_purchase_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set on a customer merged into another (models/cleanup.py CustomerMerge): he is soft-deleted, kept
    # out of the trash, and his address leads to the survivor.
    merged_into_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("customer.id"), nullable=True)
    )


class CustomerPhone(SQLModel, table=True):
    __tablename__ = "customer_phone"
    __table_args__ = (
        Index("ix_customer_phone_org_e164", "organization_id", "e164"),
        Index("ix_customer_phone_customer", "customer_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    raw: str = Field(max_length=64)
    e164: str = Field(max_length=20)
    kind: str = Field(default="mobile", max_length=16)
    label: str = Field(default="", max_length=60)
    whatsapp: bool = Field(default=False)
    viber: bool = Field(default=False)
    sms: bool = Field(default=False)
    is_primary: bool = Field(default=False)
    position: int = Field(default=0)


class CustomerEmail(SQLModel, table=True):
    __tablename__ = "customer_email"
    __table_args__ = (
        Index("ix_customer_email_org_address", "organization_id", "address"),
        Index("ix_customer_email_customer", "customer_id", "position"),
        # "Has an e-mail with consent" is answered from this small index alone.
        Index(
            "ix_customer_email_consent",
            "customer_id",
            sqlite_where=text("accepts_email = 1"),
            postgresql_where=text("accepts_email"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    address: str = Field(max_length=254)  # lower-cased (domain.emails.normalize_email)
    accepts_email: bool = Field(default=False)
    consent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    consent_source: str = Field(default="", max_length=16)
    is_primary: bool = Field(default=False)
    position: int = Field(default=0)


class CustomerTag(SQLModel, table=True):
    __tablename__ = "customer_tag"
    __table_args__ = (Index("ix_customer_tag_org_tag", "organization_id", "tag_id", "customer_id"),)

    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id"), primary_key=True, autoincrement=False)
    )
    tag_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tag.id"), primary_key=True, autoincrement=False)
    )
    organization_id: int = Field(foreign_key="organization.id")


__all__ = [
    "CLIENT_TYPES",
    "PHONE_KINDS",
    "SEARCH_FTS_TABLE",
    "SEARCH_INDEX_OBJECTS",
    "SEARCH_TRGM_INDEX",
    "SOURCES",
    "AcquisitionChannel",
    "Customer",
    "CustomerEmail",
    "CustomerPhone",
    "CustomerTag",
    "PhoneLabel",
    "Tag",
    "include_name",
    "is_search_index_object",
]
