"""accounts: customer accounts, their members with roles, tags, and the account's feed events

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:39:07.372355

The accounts list's search walks ix_account_org_name testing search_text (no trigram index): accounts
number in the hundreds or thousands per organization, not millions like customers.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import crm_app.models.types


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sort_name', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('tax_id_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('tax_id', sa.String(length=32).with_variant(sa.String(length=32, collation='C'), 'postgresql'), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('phone_raw', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('phone_e164', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('industry', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('deleted_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['deleted_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index('ix_account_org_created', ['organization_id', 'created_at', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_account_org_name', ['organization_id', 'sort_name', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_account_org_tax_id', ['organization_id', 'tax_id'], unique=False)

    op.create_table('account_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'customer_id', name='uq_account_member')
    )
    with op.batch_alter_table('account_member', schema=None) as batch_op:
        batch_op.create_index('ix_account_member_customer', ['customer_id', 'account_id'], unique=False)

    op.create_table('account_tag',
    sa.Column('account_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('tag_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], ),
    sa.PrimaryKeyConstraint('account_id', 'tag_id')
    )
    with op.batch_alter_table('account_tag', schema=None) as batch_op:
        batch_op.create_index('ix_account_tag_org_tag', ['organization_id', 'tag_id', 'account_id'], unique=False)

    with op.batch_alter_table('feed_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_feed_event_account_id', ['account_id', 'id'], unique=False)
        batch_op.create_foreign_key('fk_feed_event_account_id', 'account', ['account_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('feed_event', schema=None) as batch_op:
        batch_op.drop_constraint('fk_feed_event_account_id', type_='foreignkey')
        batch_op.drop_index('ix_feed_event_account_id')
        batch_op.drop_column('account_id')

    with op.batch_alter_table('account_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_account_tag_org_tag')

    op.drop_table('account_tag')
    with op.batch_alter_table('account_member', schema=None) as batch_op:
        batch_op.drop_index('ix_account_member_customer')

    op.drop_table('account_member')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index('ix_account_org_tax_id')
        batch_op.drop_index('ix_account_org_name', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_account_org_created', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.drop_table('account')
