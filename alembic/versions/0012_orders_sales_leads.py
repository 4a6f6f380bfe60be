"""orders, sales and leads: the documents with their lines and per-organization numbering, the lead,
the customer's purchase totals (kept by the sale service, indexed for the list's sorts) and the order
type's walk-in switch

Revision ID: 0012_orders_sales_leads
Revises: 0011_imports_jobs
Create Date: 2026-12-04 06:11:07.287642
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import crm_app.models.types


revision: str = '0012_orders_sales_leads'
down_revision: Union[str, None] = '0011_imports_jobs'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('document_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organization_id', 'kind', name='uq_document_counter_org_kind')
    )
    op.create_table('lead',
    sa.Column('created_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('deleted_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone_raw', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('phone_e164', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('lost_reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('next_step_on', sa.Date(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('converted_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['acquisition_channel.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['deleted_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.create_index('ix_lead_org_channel_id', ['organization_id', 'channel_id', 'id'], unique=False)
        batch_op.create_index('ix_lead_org_created', ['organization_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_lead_org_customer', ['organization_id', 'customer_id'], unique=False)
        batch_op.create_index('ix_lead_org_id', ['organization_id', 'id'], unique=False)
        batch_op.create_index('ix_lead_org_owner_id', ['organization_id', 'owner_id', 'id'], unique=False)
        batch_op.create_index('ix_lead_org_status_id', ['organization_id', 'status', 'id'], unique=False)

    op.create_table('sale',
    sa.Column('subtotal', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('discount_percent', crm_app.models.types.DecimalNumeric(precision=5, scale=2), nullable=False),
    sa.Column('discount_amount', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('total', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('created_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('deleted_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('payment_method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('paid_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('credit_approved_by', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['credit_approved_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['deleted_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organization_id', 'number', name='uq_sale_org_number')
    )
    with op.batch_alter_table('sale', schema=None) as batch_op:
        batch_op.create_index('ix_sale_org_created', ['organization_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_sale_org_customer_id', ['organization_id', 'customer_id', 'id'], unique=False)
        batch_op.create_index('ix_sale_org_id', ['organization_id', 'id'], unique=False)
        batch_op.create_index('ix_sale_org_method_id', ['organization_id', 'payment_method', 'id'], unique=False)
        batch_op.create_index('ix_sale_org_seller_id', ['organization_id', 'created_by', 'id'], unique=False)
        batch_op.create_index('ix_sale_org_status_id', ['organization_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_sale_open_credit', ['organization_id', 'customer_id'], unique=False, sqlite_where=sa.text("payment_method = 'credit' AND status = 'completed' AND paid_at IS NULL AND deleted_at IS NULL"), postgresql_where=sa.text("payment_method = 'credit' AND status = 'completed' AND paid_at IS NULL AND deleted_at IS NULL"))

    op.create_table('sales_order',
    sa.Column('subtotal', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('discount_percent', crm_app.models.types.DecimalNumeric(precision=5, scale=2), nullable=False),
    sa.Column('discount_amount', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('total', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('created_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('deleted_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('order_type_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status_changed_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['deleted_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['order_type_id'], ['order_type.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organization_id', 'number', name='uq_sales_order_org_number')
    )
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.create_index('ix_sales_order_org_assignee_id', ['organization_id', 'assignee_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_order_org_created', ['organization_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_sales_order_org_customer_id', ['organization_id', 'customer_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_order_org_id', ['organization_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_order_org_status_id', ['organization_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_sales_order_org_type_id', ['organization_id', 'order_type_id', 'id'], unique=False)

    op.create_table('sale_line',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('quantity', crm_app.models.types.DecimalNumeric(precision=12, scale=3), nullable=False),
    sa.Column('unit_price', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('discount_percent', crm_app.models.types.DecimalNumeric(precision=5, scale=2), nullable=False),
    sa.Column('line_total', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sale_line', schema=None) as batch_op:
        batch_op.create_index('ix_sale_line_sale', ['sale_id', 'position'], unique=False)

    op.create_table('sales_order_line',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('quantity', crm_app.models.types.DecimalNumeric(precision=12, scale=3), nullable=False),
    sa.Column('unit_price', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('discount_percent', crm_app.models.types.DecimalNumeric(precision=5, scale=2), nullable=False),
    sa.Column('line_total', crm_app.models.types.DecimalNumeric(precision=14, scale=2), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sales_order_line', schema=None) as batch_op:
        batch_op.create_index('ix_sales_order_line_order', ['order_id', 'position'], unique=False)

    # Plain ALTER TABLE on customer and order_type (SQLite adds and drops a column in place): a batch copy
    # of customer would rebuild a million-row table and drop its search triggers.
    op.add_column('customer', sa.Column('sales_count', sa.Integer(), server_default='0', nullable=False))
    op.add_column('customer', sa.Column('amount_spent', crm_app.models.types.DecimalNumeric(precision=16, scale=2), server_default='0', nullable=False))
    op.add_column('customer', sa.Column('last_purchase_at', crm_app.models.types.UTCDateTime(timezone=True), nullable=True))
    op.create_index('ix_customer_org_last_purchase', 'customer', ['organization_id', 'last_purchase_at', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_index('ix_customer_org_spent', 'customer', ['organization_id', 'amount_spent', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
    op.add_column('order_type', sa.Column('walk_in_allowed', sa.Boolean(), server_default=sa.false(), nullable=False))
    # A nullable column and its foreign key, added in place: SQLite takes REFERENCES in ADD COLUMN, which
    # alembic does not write for it (it would copy the table).
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE feed_event ADD COLUMN lead_id INTEGER REFERENCES lead (id)')
    else:
        op.add_column('feed_event', sa.Column('lead_id', sa.Integer(), sa.ForeignKey('lead.id', name='fk_feed_event_lead_id'), nullable=True))
    op.create_index('ix_feed_event_lead_id', 'feed_event', ['lead_id', 'id'], unique=False)



def downgrade() -> None:
    op.drop_index('ix_feed_event_lead_id', table_name='feed_event')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('fk_feed_event_lead_id', 'feed_event', type_='foreignkey')
    op.drop_column('feed_event', 'lead_id')
    op.drop_column('order_type', 'walk_in_allowed')
    op.drop_index('ix_customer_org_spent', table_name='customer')
    op.drop_index('ix_customer_org_last_purchase', table_name='customer')
    op.drop_column('customer', 'last_purchase_at')
    op.drop_column('customer', 'amount_spent')
    op.drop_column('customer', 'sales_count')

    with op.batch_alter_table('sales_order_line', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_order_line_order')

    op.drop_table('sales_order_line')
    with op.batch_alter_table('sale_line', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_line_sale')

    op.drop_table('sale_line')
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_order_org_type_id')
        batch_op.drop_index('ix_sales_order_org_status_id')
        batch_op.drop_index('ix_sales_order_org_id')
        batch_op.drop_index('ix_sales_order_org_customer_id')
        batch_op.drop_index('ix_sales_order_org_created')
        batch_op.drop_index('ix_sales_order_org_assignee_id')

    op.drop_table('sales_order')
    with op.batch_alter_table('sale', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_open_credit')
        batch_op.drop_index('ix_sale_org_status_id')
        batch_op.drop_index('ix_sale_org_seller_id')
        batch_op.drop_index('ix_sale_org_method_id')
        batch_op.drop_index('ix_sale_org_id')
        batch_op.drop_index('ix_sale_org_customer_id')
        batch_op.drop_index('ix_sale_org_created')

    op.drop_table('sale')
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_org_status_id')
        batch_op.drop_index('ix_lead_org_owner_id')
        batch_op.drop_index('ix_lead_org_id')
        batch_op.drop_index('ix_lead_org_customer')
        batch_op.drop_index('ix_lead_org_created')
        batch_op.drop_index('ix_lead_org_channel_id')

    op.drop_table('lead')
    op.drop_table('document_counter')
