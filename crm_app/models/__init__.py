"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from crm_app.models.account import Account, AccountMember, AccountTag
from crm_app.models.auth import ActivityLog, AuthSession, LoginAttempt
from crm_app.models.customer import (
    AcquisitionChannel,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
    PhoneLabel,
    Tag,
)
from crm_app.models.feed import Comment, FeedEvent, StoredFile, Task
from crm_app.models.organization import ROLES, Organization, User

__all__ = [
    "ROLES", "Account", "AccountMember", "AccountTag",
    "AcquisitionChannel", "ActivityLog", "AuthSession", "Comment", "Customer", "CustomerEmail",
    "CustomerPhone", "CustomerTag", "FeedEvent", "LoginAttempt", "Organization", "PhoneLabel", "StoredFile",
    "Tag", "Task", "User",
]
