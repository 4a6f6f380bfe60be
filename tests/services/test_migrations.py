"""Migrations: they build the schema the models describe, and go down and up again cleanly."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel

from crm_app.domain.customers import CustomerInput, CustomerQuery
from crm_app.domain.search_text import search_rest
from crm_app.models.customer import include_name
from crm_app.models.integrations import WebhookEndpoint
from crm_app.services import customer_search, customers, messaging
from tests.db import alembic_config, downgrade, migrate, run_like_app
from tests.factories import make_org

APP_TABLES = {table.name for table in SQLModel.metadata.sorted_tables}


def _diffs(url: str) -> list:
    """What `alembic check` would report: differences between the models and the database."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            # include_name as in alembic/env.py: the search index lives outside the models.
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                   "render_as_batch": True,
                                                                   "include_name": include_name})
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


def _state(url: str) -> tuple[set[str], str | None]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            return tables, MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_db_url):
    head = ScriptDirectory.from_config(alembic_config(empty_db_url)).get_current_head()

    migrate(empty_db_url)
    tables, revision = _state(empty_db_url)
    assert tables >= APP_TABLES and revision == head

    downgrade(empty_db_url, "base")
    tables, revision = _state(empty_db_url)
    assert tables - {"alembic_version"} == set() and revision is None

    migrate(empty_db_url)
    tables, revision = _state(empty_db_url)
    assert tables >= APP_TABLES and revision == head
    assert _diffs(empty_db_url) == []


def test_models_match_the_migrations(empty_db_url):
    migrate(empty_db_url)
    assert _diffs(empty_db_url) == []


def test_one_head_and_every_step_goes_down_and_up(empty_db_url):
    script = ScriptDirectory.from_config(alembic_config(empty_db_url))
    assert len(script.get_heads()) == 1, "several heads: merge the migration branches"
    revisions = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    for revision in revisions:  # one step at a time: each downgrade undoes exactly its upgrade
        migrate(empty_db_url, revision)
        before = _state(empty_db_url)
        downgrade(empty_db_url, "-1")
        migrate(empty_db_url, revision)
        assert _state(empty_db_url) == before


# Columns later migrations add to tables the ORM writes in these tests: an older schema gets them for the
# test's writes (the models list them), and loses them again before the later migrations run.
_LATER_COLUMNS = (
    ("organization", "sales_import_export", "BOOLEAN NOT NULL DEFAULT FALSE"),  # 0011
    ("feed_event", "lead_id", "INTEGER"),  # 0012
    ("customer", "sales_count", "INTEGER NOT NULL DEFAULT 0"),
    ("customer", "amount_spent", "NUMERIC(16, 2) NOT NULL DEFAULT 0"),
    ("customer", "last_purchase_at", "TIMESTAMP"),
    ("organization", "campaign_per_minute", "INTEGER NOT NULL DEFAULT 60"),  # 0014
    ("outbox_message", "campaign_id", "INTEGER"),
    ("outbox_message", "unsubscribe_url", "VARCHAR(500) NOT NULL DEFAULT ''"),
    ("customer", "merged_into_id", "INTEGER"),  # 0015
    ("outbox_message", "lease_until", "TIMESTAMP"),  # 0016
    ("form_field_setting", "label_pt", "VARCHAR(80) NOT NULL DEFAULT ''"),  # 0017
    ("custom_field", "label_pt", "VARCHAR(80) NOT NULL DEFAULT ''"),
    ("custom_field", "help_pt", "VARCHAR(200) NOT NULL DEFAULT ''"),
    ("custom_field_option", "label_pt", "VARCHAR(80) NOT NULL DEFAULT ''"),
)
# Tables of later migrations that the services read on every customer write (0013: the webhooks' hook).
_LATER_TABLES = (WebhookEndpoint.__table__,)


@contextmanager
def _models_fit(engine):
    """The ORM's inserts work on an older schema: the later columns exist while the block runs."""
    with engine.begin() as connection:
        for table, column, declaration in _LATER_COLUMNS:
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}"))
        for later in _LATER_TABLES:
            later.create(connection)
    yield
    with engine.begin() as connection:
        for table, column, _ in _LATER_COLUMNS:
            connection.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        for later in _LATER_TABLES:
            later.drop(connection)


def test_0009_fills_the_rest_and_the_first_words_of_existing_customers(empty_db_url, monkeypatch):
    """PostgreSQL: customers saved before 0009 get their search rest and first words from its
    backfill, and a first-name search then finds them through the split page."""
    if not empty_db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (0009 does nothing on SQLite)")
    migrate(empty_db_url, "0008")
    engine = create_engine(empty_db_url, poolclass=NullPool)
    try:
        with _models_fit(engine), Session(engine) as session:
            _org, admin = make_org(session)
            for first, last in (("Lorena", "Ortiz"), ("Ana Lorena", "Vega"), ("Raúl", "Lorenzo")):
                run_like_app(
                    session, customers.create_customer, actor=admin,
                    data=CustomerInput(first_name=first, last_name=last),
                )
        migrate(empty_db_url)
        with Session(engine) as session:
            rows = session.execute(text("SELECT search_text, sort_name, search_rest FROM customer")).all()
            assert len(rows) == 3 and all(rest == search_rest(st, sn) for st, sn, rest in rows)
            words = set(session.execute(text("SELECT word FROM customer_first_word")).scalars())
            assert words == {"lorena", "ana", "raul"}
            monkeypatch.setattr(customer_search.limits, "PG_WALK_WINDOW", 1)  # the split page answers
            monkeypatch.setattr(customer_search.limits, "PG_WALK_ON", 0)
            query = CustomerQuery(search="lorena")
            found = customers.list_customers(session=session, actor=admin, query=query)
            assert [r.display_name for r in found.rows] == ["Ana Lorena Vega", "Lorena Ortiz"]
    finally:
        engine.dispose()


def test_0010_marks_messages_the_log_only_adapters_kept_as_logged_only(empty_db_url):
    """Messages written to the server log before 0010 were recorded "sent"; their provider id tells them
    apart, and they become "logged_only". A message really sent stays "sent"; going down undoes it."""
    migrate(empty_db_url, "0009")
    engine = create_engine(empty_db_url, poolclass=NullPool)
    try:
        with _models_fit(engine), Session(engine) as session:
            _, admin = make_org(session)
            for provider_id in ("log-only:email:1", "<abc@mail.example.com>", "log-only:sms:2"):
                messaging.enqueue(session, organization_id=admin.organization_id, channel="email",
                                  recipient="ana@example.com", body="x")
                session.execute(text("UPDATE outbox_message SET status = 'sent', provider_id = :p "
                                     "WHERE id = (SELECT max(id) FROM outbox_message)"), {"p": provider_id})
            session.commit()

        def statuses() -> list[str]:
            with engine.connect() as connection:
                rows = connection.execute(text("SELECT status FROM outbox_message ORDER BY id"))
                return list(rows.scalars())

        migrate(empty_db_url)
        assert statuses() == ["logged_only", "sent", "logged_only"]
        downgrade(empty_db_url, "0009")
        assert statuses() == ["sent", "sent", "sent"]
    finally:
        engine.dispose()
