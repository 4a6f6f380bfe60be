"""portuguese labels: the admin's own texts of the customer form (a built-in field's label, a custom field's
label and help, a choice's option) in Portuguese too, beside Spanish and English

Revision ID: 0017_portuguese_labels
Revises: 0016_outbox_lease
Create Date: 2026-12-05 20:40:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0017_portuguese_labels'
down_revision: Union[str, None] = '0016_outbox_lease'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (table, column, length): empty until an admin writes them (a reader then gets the Spanish text).
_COLUMNS = (
    ('form_field_setting', 'label_pt', 80),
    ('custom_field', 'label_pt', 80),
    ('custom_field', 'help_pt', 200),
    ('custom_field_option', 'label_pt', 80),
)


def upgrade() -> None:
    # Plain ALTERs with a default: no table rebuild, existing rows get "".
    for table, column, length in _COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(length=length), nullable=False, server_default=''))


def downgrade() -> None:
    for table, column, _ in reversed(_COLUMNS):
        op.drop_column(table, column)
