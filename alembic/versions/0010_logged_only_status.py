"""outbox: messages the log-only adapters "delivered" get their own status, logged_only

Without an SMTP server or an SMS API the worker writes a message to the server log only; it used to
record it as "sent", and the profile, the feed and /invitations said "Sent". The status column is a
free string (no constraint), so only the existing rows change: a log-only adapter's provider id
starts with "log-only:" (crm_app.jobs.delivery.LOG_ONLY_PREFIX), which tells them apart.

Revision ID: 0010_logged_only_status
Revises: 0009
Create Date: 2026-12-03 10:00:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0010_logged_only_status'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# substr rather than LIKE: the same text on SQLite and PostgreSQL, and no '%' for the driver to read.
_LOGGED = "substr(provider_id, 1, 9) = 'log-only:'"


def upgrade() -> None:
    op.execute(f"UPDATE outbox_message SET status = 'logged_only' WHERE status = 'sent' AND {_LOGGED}")


def downgrade() -> None:
    op.execute("UPDATE outbox_message SET status = 'sent' WHERE status = 'logged_only'")
