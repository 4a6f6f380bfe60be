"""outbox lease: the time until which a worker's claim on a message or a webhook delivery holds (renewed
while it sends; an expired claim goes back to the queue)

Revision ID: 0016_outbox_lease
Revises: 0015_clean_base
Create Date: 2026-12-04 22:05:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import crm_app.models.types


revision: str = '0016_outbox_lease'
down_revision: Union[str, None] = '0015_clean_base'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_TABLES = ('outbox_message', 'webhook_delivery')


def upgrade() -> None:
    # Plain ALTERs (a batch would rebuild the tables). Rows "sending" when this runs have no lease: the
    # worker takes them back after the old 10 minutes from claimed_at (jobs/lease.expired).
    for table in _TABLES:
        op.add_column(table, sa.Column('lease_until', crm_app.models.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        op.drop_column(table, 'lease_until')
