"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from crm_app.models.account import Account, AccountMember, AccountTag
from crm_app.models.auth import ActivityLog, AuthSession, LoginAttempt
from crm_app.models.campaign import Campaign, CampaignRecipient, CustomerSegment
from crm_app.models.cleanup import (
    BulkAction,
    BulkActionItem,
    CustomerMerge,
    DuplicateDismissal,
    DuplicateGroup,
    DuplicatePair,
)
from crm_app.models.customer import (
    AcquisitionChannel,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
    PhoneLabel,
    Tag,
)
from crm_app.models.customer_import import CustomerImport, CustomerImportChange
from crm_app.models.documents import DocumentCounter, Order, OrderLine, Sale, SaleLine
from crm_app.models.feed import Comment, FeedEvent, StoredFile, Task
from crm_app.models.form_config import (
    CustomerFieldValue,
    CustomField,
    CustomFieldOption,
    FormFieldSetting,
    OrderType,
)
from crm_app.models.integrations import (
    ApiIdempotency,
    ApiKey,
    LeadAdsConnector,
    WebForm,
    WebhookDelivery,
    WebhookEndpoint,
)
from crm_app.models.job import Job
from crm_app.models.lead import Lead
from crm_app.models.messaging import Invitation, MessageTemplate, OutboxMessage, RateHit
from crm_app.models.organization import ROLES, Organization, User
from crm_app.models.panel import CustomerDayStat, PanelSummary

__all__ = [
    "ROLES",
    "Account",
    "AccountMember",
    "AccountTag",
    "AcquisitionChannel",
    "ActivityLog",
    "ApiIdempotency",
    "ApiKey",
    "AuthSession",
    "BulkAction",
    "BulkActionItem",
    "Campaign",
    "CampaignRecipient",
    "Comment",
    "CustomField",
    "CustomFieldOption",
    "Customer",
    "CustomerDayStat",
    "CustomerEmail",
    "CustomerFieldValue",
    "CustomerImport",
    "CustomerImportChange",
    "CustomerMerge",
    "CustomerPhone",
    "CustomerSegment",
    "CustomerTag",
    "DocumentCounter",
    "DuplicateDismissal",
    "DuplicateGroup",
    "DuplicatePair",
    "FeedEvent",
    "FormFieldSetting",
    "Invitation",
    "Job",
    "Lead",
    "LeadAdsConnector",
    "LoginAttempt",
    "MessageTemplate",
    "Order",
    "OrderLine",
    "OrderType",
    "Organization",
    "OutboxMessage",
    "PanelSummary",
    "PhoneLabel",
    "RateHit",
    "Sale",
    "SaleLine",
    "StoredFile",
    "Tag",
    "Task",
    "User",
    "WebForm",
    "WebhookDelivery",
    "WebhookEndpoint",
]
