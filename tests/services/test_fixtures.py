"""The test infrastructure itself: private databases, clean sessions, Redis key prefixes."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from crm_app.settings import get_settings
from tests.db import TEST_DATABASE_PREFIX, row_counts
from tests.factories import make_org


def test_each_backend_gets_a_private_migrated_database(db_url, engine):
    parsed = make_url(db_url)
    if parsed.get_backend_name() == "postgresql":
        assert parsed.database.startswith(TEST_DATABASE_PREFIX)
    assert db_url != get_settings().database_url
    assert "data/clientela.db" not in db_url


def test_rows_from_one_test_are_gone_in_the_next_1(session):
    assert sum(row_counts(session).values()) == 0
    make_org(session, "Leftover")
    assert sum(row_counts(session).values()) > 0


def test_rows_from_one_test_are_gone_in_the_next_2(session):
    assert sum(row_counts(session).values()) == 0


def test_redis_prefix_is_private_and_cleaned(redis_url, redis_prefix):
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.set(f"{redis_prefix}key", "value", ex=60)
        assert client.get(f"{redis_prefix}key") == b"value"
    finally:
        client.close()
