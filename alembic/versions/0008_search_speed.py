"""search speed (PostgreSQL): the list's tag and e-mail consent filters copied into the customer row
and into the trigram index, kept by triggers

A search such as "diana" with a tag listed 7,000-8,000 trigram matches, read each one from the table
and only then looked up its tags (30-45 ms at a million customers). With the customer's tag ids and
his e-mail consent in the row (``search_facets``) and as a second column of the GIN index, the index
intersects the term's trigrams with the tag or the consent itself, and only the rows having both are
read.

``search_facets`` is an integer array: the customer's tag ids, and -1 when one of his e-mails accepts
messages (a boolean column would not do: PostgreSQL turns ``flag = true`` into ``flag``, which a GIN
index cannot answer). It exists on PostgreSQL only (SQLite's plans do not need it) and is kept by
statement-level triggers on customer_tag and customer_email, so that every writer (the customer
services, tag merge and delete, imports) keeps it right without knowing about it. The seed, which
skips triggers, writes it itself.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 16:30:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# crm_app.services.customer_search.CONSENT_FACET
_FACETS = (
    "ARRAY(SELECT t.tag_id FROM customer_tag t WHERE t.customer_id = c.id UNION ALL "
    "SELECT -1 WHERE EXISTS (SELECT 1 FROM customer_email e WHERE e.customer_id = c.id AND e.accepts_email) "
    "ORDER BY 1)"
)
_FUNCTION = 'customer_search_facets'
# Transition tables allow one event per trigger: one function per event, for both tables.
_TOUCHED = {
    'INSERT': ('REFERENCING NEW TABLE AS new_rows', 'SELECT customer_id FROM new_rows'),
    'DELETE': ('REFERENCING OLD TABLE AS old_rows', 'SELECT customer_id FROM old_rows'),
    'UPDATE': (
        'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows',
        'SELECT customer_id FROM old_rows UNION SELECT customer_id FROM new_rows',
    ),
}
_TABLES = ('customer_tag', 'customer_email')


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE customer ADD COLUMN search_facets integer[] NOT NULL DEFAULT '{}'")
    op.execute(
        f'UPDATE customer c SET search_facets = {_FACETS} WHERE EXISTS (SELECT 1 FROM customer_tag t '
        'WHERE t.customer_id = c.id) OR EXISTS (SELECT 1 FROM customer_email e WHERE e.customer_id = c.id '
        'AND e.accepts_email)'
    )
    for event, (referencing, touched) in _TOUCHED.items():
        function = f'{_FUNCTION}_{event.lower()}'
        op.execute(
            f'CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
            f'UPDATE customer c SET search_facets = {_FACETS} WHERE c.id IN ({touched}); '
            'RETURN NULL; END $$'
        )
        for table in _TABLES:
            op.execute(
                f'CREATE TRIGGER {function} AFTER {event} ON {table} {referencing} '
                f'FOR EACH STATEMENT EXECUTE FUNCTION {function}()'
            )
    op.execute('DROP INDEX IF EXISTS ix_customer_search_trgm')
    op.execute(
        'CREATE INDEX ix_customer_search_trgm ON customer USING gin (search_text gin_trgm_ops, search_facets)'
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP INDEX IF EXISTS ix_customer_search_trgm')
    for event in _TOUCHED:
        function = f'{_FUNCTION}_{event.lower()}'
        for table in _TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS {function} ON {table}')
        op.execute(f'DROP FUNCTION IF EXISTS {function}()')
    op.execute('ALTER TABLE customer DROP COLUMN search_facets')
    op.execute('CREATE INDEX ix_customer_search_trgm ON customer USING gin (search_text gin_trgm_ops)')
