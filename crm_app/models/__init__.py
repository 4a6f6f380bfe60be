"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

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
from crm_app.models.form_config import (
    CustomerFieldValue,
    CustomField,
    CustomFieldOption,
    FormFieldSetting,
    OrderType,
)
from crm_app.models.feed import Comment, FeedEvent, StoredFile, Task
from crm_app.models.messaging import Invitation, MessageTemplate, OutboxMessage, RateHit
from crm_app.models.organization import ROLES, Organization, User

__all__ = [
    "ROLES", "AcquisitionChannel", "ActivityLog", "AuthSession", "Customer", "CustomerEmail", "CustomerPhone",
    "CustomerTag", "CustomField", "CustomFieldOption", "CustomerFieldValue", "FormFieldSetting",
    "LoginAttempt", "OrderType", "Organization", "PhoneLabel", "Tag", "User", "Comment", "FeedEvent",
    "StoredFile", "Task", "Invitation", "MessageTemplate", "OutboxMessage", "RateHit",
]
