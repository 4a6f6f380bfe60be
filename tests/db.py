"""Test databases: create, migrate, wipe and drop them (SQLite files and PostgreSQL databases).

Plain functions, used by the fixtures in tests/conftest.py and by tests that need a database of
their own (tests/services/test_migrations.py).
"""

from __future__ import annotations

import os
import secrets
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel

import crm_app.models  # noqa: F401  (registers every table on SQLModel.metadata)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
TEST_DATABASE_PREFIX = "clientela_test"

T = TypeVar("T")


def postgres_base_url() -> str:
    return os.environ.get("CRM_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def redis_base_url() -> str:
    return os.environ.get("CRM_TEST_REDIS_URL") or DEFAULT_REDIS_URL


def unavailable(reason: str) -> None:
    """A service the tests need is down: fail in CI (it must be there), skip on a laptop."""
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI=true: the service is required)", pytrace=False)
    pytest.skip(reason)


# --- migrations --------------------------------------------------------------------------------------


def alembic_config(url: str) -> Config:
    """alembic.ini with ``-x url=...``, as on the command line (alembic/env.py reads the x-argument)."""
    cfg = Config(str(ROOT / "alembic.ini"), cmd_opts=Namespace(x=[f"url={url}"]))
    cfg.attributes["configure_logger"] = False  # keep pytest's logging setup
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


# --- SQLite --------------------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# --- PostgreSQL ----------------------------------------------------------------------------------------


def postgres_unavailable(url: str) -> str | None:
    """None when ``url`` accepts connections, else the reason (for skip/fail messages)."""
    engine = create_engine(url, connect_args={"connect_timeout": 3}, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # any failure means "not usable"
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL unavailable at {make_url(url).render_as_string(hide_password=True)}: {first_line}"
    finally:
        engine.dispose()
    return None


def _admin_engine(base_url: str) -> Engine:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    return create_engine(base_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def create_postgres_database(base_url: str, prefix: str = TEST_DATABASE_PREFIX) -> str:
    """Create an empty, uniquely named database on the server of ``base_url``; return its URL."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    engine = _admin_engine(base_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    """Drop the database of ``url`` (connected through the server's ``postgres`` database)."""
    parsed = make_url(url)
    name = parsed.database
    assert name and name.startswith(TEST_DATABASE_PREFIX), f"refusing to drop {name!r}"
    engine = _admin_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


# --- rows ----------------------------------------------------------------------------------------------


def wipe(engine: Engine) -> None:
    """Delete every row of every app table, children first (alembic_version is not an app table)."""
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(delete(table))


def row_counts(session: Session) -> dict[str, int]:
    """Rows per app table, read through ``session``: a cheap 'was anything written?' snapshot."""
    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }


def run_like_app(session: Session, call: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a service as the app does (crm_app.db.session_scope): commit if it returns, roll back if it
    raises. Use it when what matters is what survives the transaction, e.g. failed sign-in attempts."""
    try:
        result = call(session=session, **kwargs)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return result


# --- Redis ---------------------------------------------------------------------------------------------


def redis_unavailable(url: str) -> str | None:
    """None when Redis at ``url`` answers PING, else the reason."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except Exception as exc:  # any failure means "not usable"
        return f"Redis unavailable at {url}: {exc}"
    finally:
        client.close()
    return None


def delete_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
