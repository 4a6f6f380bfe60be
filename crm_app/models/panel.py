"""The panel's summary of customers: how many were created each local day, split by one dimension at a
time, and the organization's contactability totals.

Refreshed by a background job (services/panel/refresh.py), not by every write: a year of customers
at a million rows is seconds of grouping, too slow for a page load and too much to add to each
customer save, import batch, trash and restore. Days before today come from these rows; today is
counted live from the customers' creation index, so a customer created a minute ago shows at once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, Integer, String, Text
from sqlmodel import Field, SQLModel

from crm_app.models.types import UTCDateTime

# The splits kept per day: "all" (key ""), client type, channel id ("" = none), source, tag id, creator
# user id ("" = none).
DAY_DIMENSIONS = ("all", "type", "channel", "source", "tag", "creator")


class CustomerDayStat(SQLModel, table=True):
    __tablename__ = "customer_day_stat"

    organization_id: int = Field(foreign_key="organization.id", primary_key=True)
    day: date = Field(sa_column=Column(Date, primary_key=True))  # the organization's local day
    dimension: str = Field(sa_column=Column(String(16), primary_key=True))
    key: str = Field(sa_column=Column(String(64), primary_key=True))
    count: int = Field(sa_column=Column(Integer, nullable=False))


class PanelSummary(SQLModel, table=True):
    """One row an organization: when its day stats were last refreshed, and its contactability counts
    (JSON: {"total", "mobile", "whatsapp", "email_consent", "any_consent", "unreachable"})."""

    __tablename__ = "panel_summary"

    organization_id: int = Field(foreign_key="organization.id", primary_key=True)
    refreshed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # The local day the refresh covered up to (exclusive): days from it on are counted live.
    through_day: date = Field(sa_column=Column(Date, nullable=False))
    contact: str = Field(default="{}", sa_column=Column(Text, nullable=False))


__all__ = ["DAY_DIMENSIONS", "CustomerDayStat", "PanelSummary"]
