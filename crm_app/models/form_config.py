"""The customer form as data: built-in field settings and custom fields, per organization and client type.

Custom values live in ``customer_field_value`` (one row per value, one per chosen option of a multiple
choice) rather than in a JSON column on ``customer``: "customers whose Branch is Norte" is then an
indexed lookup on ``(organization_id, field_id, option_id, customer_id)`` on SQLite and PostgreSQL
alike (a JSON column would need a dialect-specific expression index per field), it plugs into the
list's candidate drivers as tags do, and purging a removed field is one indexed DELETE.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime, utcnow


def _portuguese(length: int) -> Column:
    """A Portuguese text added by migration 0017: existing rows got "" from its server default."""
    return Column(String(length), nullable=False, server_default="")


class FormFieldSetting(SQLModel, table=True):
    """An admin's choice for one built-in field of one client type's form (absent = the default)."""

    __tablename__ = "form_field_setting"
    __table_args__ = (
        UniqueConstraint("organization_id", "client_type", "field_key", name="uq_form_field_setting"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    client_type: str = Field(max_length=16)
    field_key: str = Field(max_length=40)
    visible: bool = Field(default=True)
    required: bool = Field(default=False)
    position: int = Field(default=0)
    label_es: str = Field(default="", max_length=80)
    label_en: str = Field(default="", max_length=80)
    label_pt: str = Field(default="", sa_column=_portuguese(80))


class CustomField(SQLModel, table=True):
    """A field an admin added to one client type's form. Removing it only deactivates it."""

    __tablename__ = "custom_field"
    __table_args__ = (Index("ix_custom_field_org_type", "organization_id", "client_type", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    client_type: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    label_es: str = Field(max_length=80)
    label_en: str = Field(default="", max_length=80)
    label_pt: str = Field(default="", sa_column=_portuguese(80))
    help_es: str = Field(default="", max_length=200)
    help_en: str = Field(default="", max_length=200)
    help_pt: str = Field(default="", sa_column=_portuguese(200))
    required: bool = Field(default=False)
    position: int = Field(default=0)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class CustomFieldOption(SQLModel, table=True):
    """One option of a single or multiple choice field. Removing it deactivates it (values stay)."""

    __tablename__ = "custom_field_option"
    __table_args__ = (Index("ix_custom_field_option_field", "field_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    field_id: int = Field(sa_column=Column(Integer, ForeignKey("custom_field.id"), nullable=False))
    label_es: str = Field(max_length=80)
    label_en: str = Field(default="", max_length=80)
    label_pt: str = Field(default="", sa_column=_portuguese(80))
    position: int = Field(default=0)
    is_active: bool = Field(default=True)


class CustomerFieldValue(SQLModel, table=True):
    """A customer's value of a custom field: canonical text, or the chosen option (one row per option)."""

    __tablename__ = "customer_field_value"
    __table_args__ = (
        Index("ix_customer_field_value_customer", "customer_id", "field_id"),
        # List filter "Branch = Norte": the option's customers straight from the index.
        Index("ix_customer_field_value_option", "organization_id", "field_id", "option_id", "customer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id"), nullable=False))
    field_id: int = Field(sa_column=Column(Integer, ForeignKey("custom_field.id"), nullable=False))
    option_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("custom_field_option.id"), nullable=True)
    )
    # ISO date, plain decimal, "true"/"false" or the text itself; "" for a chosen option.
    value: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class OrderType(SQLModel, table=True):
    """A kind of order ("Reparación", "Venta"...) with its colour, shown wherever its orders are."""

    __tablename__ = "order_type"
    __table_args__ = (Index("ix_order_type_org_position", "organization_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=60)
    color: str = Field(default="#3e63dd", max_length=7)
    position: int = Field(default=0)
    is_active: bool = Field(default=True)
    # An order of this type may be kept with no client ("walk-in": a quick repair at the counter).
    walk_in_allowed: bool = Field(default=False)


__all__ = ["CustomField", "CustomFieldOption", "CustomerFieldValue", "FormFieldSetting", "OrderType"]
