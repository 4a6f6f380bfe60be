"""The start-up schema check agrees with alembic: silent on a migrated database, clear when it is behind."""

from __future__ import annotations

from reflex.utils import prerequisites

from crm_app.schema_check import schema_problems, warn_if_schema_differs
from tests.db import migrate


def test_a_migrated_database_has_no_schema_problem(db_url):
    # Reflex's own check reports the search index (FTS5 tables, tsvector columns) as "schema changes".
    assert schema_problems(db_url) == []


def test_a_database_behind_the_migrations_is_reported(empty_db_url):
    migrate(empty_db_url, "0008")
    [problem] = schema_problems(empty_db_url)
    assert "0008" in problem and "make migrate" in problem


def test_rxconfig_puts_the_check_in_reflex_place():
    import rxconfig  # noqa: F401 importing it installs the check

    assert prerequisites.check_schema_up_to_date is warn_if_schema_differs
