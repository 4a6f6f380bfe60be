"""search speed (PostgreSQL): the trigram index without the customers' first words, which the name
index answers in order

A first name ("lorena", "eduardo") matched 7,000 customers at a million, nearly all of them sitting
together in name order under that first word; the trigram index lists them in no order, so each one
was read from the table to sort a page (40-100 ms). Now:

- ``customer.search_rest`` is the search text without the whole-word occurrences of the customer's
  first word (the first word of his sort name, when it is made of a-z and 0-9), set by a trigger; the
  trigram index covers it instead of ``search_text``;
- ``customer_first_word`` lists the organization's first words (a few thousand at most, never
  deleted: a stale one only costs an empty range);
- a term then matches the customers under the first words it can overlap (ranges of the name index,
  read in order, a page at most from each) and those whose rest contains it (the trigram index: the
  same first name as a second name or a contact's, usually a few hundred).

The keyset indexes now also carry ``search_facets`` (tag and consent filters tested on the index), the
name index ``created_at`` (those ranges sorted by creation) and the creation index ``sort_name`` (a
name prefix tested on a walk by creation), all without reading the table.
``crm_app.domain.search_text.search_rest`` is the same definition in Python (the seed writes the
column itself, as it skips triggers); a test holds them equal.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 18:20:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_COVER = 'search_text, client_type, is_supplier, is_conflictive, channel_id'
# One definition of the first word and of the rest, for the trigger, the backfill and the seed (a
# test holds them equal to crm_app.domain.search_text's): NULL when the sort name's first word is not
# one run of a-z0-9. The rest: regexp_replace of NULL is NULL, so coalesce keeps the whole text.
_FIRST_WORD_OF = r"""
CREATE FUNCTION customer_first_word_of(sort_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN split_part(sort_name, ' ', 1) ~ '^[a-z0-9]+$' THEN split_part(sort_name, ' ', 1) END
$$
"""
_REST_OF = r"""
CREATE FUNCTION customer_search_rest_of(search_text text, sort_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(
        regexp_replace(
            search_text, '(^|[^a-z0-9])' || customer_first_word_of(sort_name) || '(?=[^a-z0-9]|$)', '\1', 'g'
        ),
        search_text
    )
$$
"""
_TRIGGER_FUNCTION = r"""
CREATE FUNCTION customer_search_rest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_rest := customer_search_rest_of(NEW.search_text, NEW.sort_name);
    INSERT INTO customer_first_word (organization_id, word)
    SELECT NEW.organization_id, word FROM customer_first_word_of(NEW.sort_name) AS word
    WHERE word IS NOT NULL ON CONFLICT DO NOTHING;
    RETURN NEW;
END $$
"""
_FIRST_WORDS = (  # the function in FROM: evaluated once a row
    "INSERT INTO customer_first_word (organization_id, word) "
    "SELECT DISTINCT organization_id, word FROM customer, customer_first_word_of(sort_name) AS word "
    "WHERE word IS NOT NULL ON CONFLICT DO NOTHING"
)


# The keyset indexes (0002), rebuilt with what they carry (INCLUDE) for index-only reads.
_KEYSET = {
    'ix_customer_org_name': ('organization_id, sort_name, id', 'deleted_at IS NULL', 'created_at'),
    'ix_customer_org_created': ('organization_id, created_at, id', 'deleted_at IS NULL', 'sort_name'),
    'ix_customer_org_type_name': ('organization_id, client_type, sort_name, id', 'deleted_at IS NULL', ''),
    'ix_customer_org_conflictive_name': (
        'organization_id, sort_name, id', 'is_conflictive AND deleted_at IS NULL', ''
    ),
    'ix_customer_org_supplier_name': ('organization_id, sort_name, id', 'is_supplier AND deleted_at IS NULL', ''),
}


def _keyset_indexes(upgrading: bool) -> None:
    for name, (columns, where, extra) in _KEYSET.items():
        include = _COVER + (f', {extra}, search_facets' if extra else ', search_facets') if upgrading else _COVER
        op.execute(f'DROP INDEX IF EXISTS {name}')
        op.execute(f'CREATE INDEX {name} ON customer ({columns}) INCLUDE ({include}) WHERE {where}')


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE customer ADD COLUMN search_rest text NOT NULL DEFAULT ''")
    op.execute(
        'CREATE TABLE customer_first_word ('
        'organization_id integer NOT NULL REFERENCES organization (id) ON DELETE CASCADE, '
        'word varchar(200) COLLATE "C" NOT NULL, '
        'PRIMARY KEY (organization_id, word))'
    )
    op.execute(_FIRST_WORD_OF)
    op.execute(_REST_OF)
    op.execute(_TRIGGER_FUNCTION)
    op.execute(
        'CREATE TRIGGER customer_search_rest BEFORE INSERT OR UPDATE OF search_text, sort_name, '
        'organization_id ON customer FOR EACH ROW EXECUTE FUNCTION customer_search_rest()'
    )
    # The indexes rebuilt below go first: the backfill then does not update them row by row.
    for name in ('ix_customer_search_trgm', *_KEYSET):
        op.execute(f'DROP INDEX IF EXISTS {name}')
    op.execute('UPDATE customer SET search_rest = customer_search_rest_of(search_text, sort_name)')
    op.execute(_FIRST_WORDS)
    op.execute(
        'CREATE INDEX ix_customer_search_trgm ON customer USING gin (search_rest gin_trgm_ops, search_facets)'
    )
    _keyset_indexes(upgrading=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    _keyset_indexes(upgrading=False)
    op.execute('DROP INDEX IF EXISTS ix_customer_search_trgm')
    op.execute('DROP TRIGGER IF EXISTS customer_search_rest ON customer')
    op.execute('DROP FUNCTION IF EXISTS customer_search_rest()')
    op.execute('DROP FUNCTION IF EXISTS customer_search_rest_of(text, text)')
    op.execute('DROP FUNCTION IF EXISTS customer_first_word_of(text)')
    op.execute('DROP TABLE IF EXISTS customer_first_word')
    op.execute('ALTER TABLE customer DROP COLUMN search_rest')
    op.execute(
        'CREATE INDEX ix_customer_search_trgm ON customer USING gin (search_text gin_trgm_ops, search_facets)'
    )
