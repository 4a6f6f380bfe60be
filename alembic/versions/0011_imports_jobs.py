"""jobs and customer imports: the background job row (progress, heartbeat, cancel), the import with its
mapping and counts, each change an import made (to revert it), and the organization's switch that lets
sales users import and export

Revision ID: 0011_imports_jobs
Revises: 0010_logged_only_status
Create Date: 2026-12-04 03:08:33.900349
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import crm_app.models.types


revision: str = '0011_imports_jobs'
down_revision: Union[str, None] = '0010_logged_only_status'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('worker', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_org_kind_id', ['organization_id', 'kind', 'id'], unique=False)
        batch_op.create_index('ix_job_status_id', ['status', 'id'], unique=False)

    op.create_table('customer_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('headers', sa.Text(), nullable=False),
    sa.Column('client_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('match_by', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('mapping', sa.Text(), nullable=False),
    sa.Column('valid_only', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('next_row', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('started_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reverted_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reverted_by', sa.Integer(), nullable=True),
    sa.Column('revert_skipped', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['reverted_by'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('customer_import', schema=None) as batch_op:
        batch_op.create_index('ix_customer_import_org_id', ['organization_id', 'id'], unique=False)

    op.create_table('customer_import_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('version_after', sa.Integer(), nullable=False),
    sa.Column('reverted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['import_id'], ['customer_import.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('customer_import_change', schema=None) as batch_op:
        batch_op.create_index('ix_customer_import_change_import_id', ['import_id', 'id'], unique=False)

    op.add_column('organization', sa.Column('sales_import_export', sa.Boolean(), server_default=sa.false(),
                                            nullable=False))



def downgrade() -> None:
    # A plain ALTER TABLE (SQLite 3.35+ drops a column in place): a batch copy of the organization table
    # would drop the table the other tables' foreign keys point at.
    op.drop_column('organization', 'sales_import_export')

    with op.batch_alter_table('customer_import_change', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_import_change_import_id')

    op.drop_table('customer_import_change')
    with op.batch_alter_table('customer_import', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_import_org_id')

    op.drop_table('customer_import')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('ix_job_status_id')
        batch_op.drop_index('ix_job_org_kind_id')

    op.drop_table('job')
