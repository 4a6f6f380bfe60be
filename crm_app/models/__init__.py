"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from crm_app.models.auth import ActivityLog, AuthSession, LoginAttempt
from crm_app.models.organization import ROLES, Organization, User

__all__ = ["ROLES", "ActivityLog", "AuthSession", "LoginAttempt", "Organization", "User"]
