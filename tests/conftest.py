"""Shared fixtures: test settings, databases (SQLite and PostgreSQL), sessions, Redis.

Fixtures
--------
db_url        session-scoped, parametrized ``sqlite`` / ``postgresql``: URL of a migrated database
              (a temp SQLite file; a fresh uniquely named PostgreSQL database, dropped at the end).
engine        session-scoped SQLAlchemy engine on ``db_url`` (crm_app.db.make_engine).
session       a sqlmodel Session (expire_on_commit=False, like session_scope); every app table is
              emptied after the test, so tests start clean and leave the database clean.
empty_db_url  function-scoped, parametrized: URL of a brand-new *unmigrated* database (migration tests).
redis_url     session-scoped Redis URL (CRM_TEST_REDIS_URL, default redis://127.0.0.1:6379/15).
redis_prefix  a unique key prefix for one test; its keys are deleted afterwards.
env           set CRM_* variables for one test and get fresh settings: ``env(CRM_LOGIN_WINDOW_MINUTES="5")``.

PostgreSQL/Redis missing: the tests are skipped with the reason, or fail when CI=true.
Run only SQLite with ``-m "not postgres"``.

Factories live in tests/factories.py (make_org, make_user), the tenant-isolation check in
tests/isolation.py.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

# --- test settings, before anything imports crm_app (get_settings() is cached) ----------------------------
# A developer's own CRM_* variables (a real database URL, a production mode...) never reach the tests.
for _name in [n for n in os.environ if n.startswith("CRM_") and not n.startswith("CRM_TEST_")]:
    del os.environ[_name]
_SCRATCH = Path(tempfile.mkdtemp(prefix="clientela-tests-"))
TEST_ENV = {
    "CRM_ENV": "test",
    "CRM_SECRET_KEY": "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    # Anything that forgets to pass its own URL lands here, never in data/clientela.db.
    "CRM_DATABASE_URL": f"sqlite:///{_SCRATCH / 'default.db'}",
    "CRM_STATE_MANAGER": "memory",
    "CRM_IMPORTS_DIR": str(_SCRATCH / "imports"),
}
os.environ.update(TEST_ENV)

import pytest  # noqa: E402 after the test environment is set
from sqlalchemy.engine import Engine  # noqa: E402 after the test environment is set
from sqlmodel import Session  # noqa: E402 after the test environment is set

from crm_app.db import make_engine  # noqa: E402 after the test environment is set
from crm_app.settings import Settings, get_settings  # noqa: E402 after the test environment is set
from tests.db import (  # noqa: E402 after the test environment is set
    create_postgres_database,
    delete_redis_keys,
    drop_postgres_database,
    migrate,
    postgres_base_url,
    postgres_unavailable,
    redis_base_url,
    redis_unavailable,
    sqlite_url,
    unavailable,
    wipe,
)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(_SCRATCH, ignore_errors=True)


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if "redis_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.redis)


# --- settings ------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Every test starts with the test settings (a test may have changed the environment)."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Settings]:
    """Set CRM_* variables for this test only and return the settings they give."""

    def apply(**variables: str) -> Settings:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return get_settings()

    return apply


# --- databases -----------------------------------------------------------------------------------------


def _postgres_database() -> str:
    base = postgres_base_url()
    reason = postgres_unavailable(base)
    if reason:
        unavailable(reason)
    return create_postgres_database(base)


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a migrated test database, once per backend and test session."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("sqlite") / "clientela.db")
        migrate(url)
        yield url
        return
    url = _postgres_database()
    try:
        migrate(url)
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session like crm_app.db.session_scope's; all app rows are deleted after the test."""
    db = Session(engine, expire_on_commit=False)
    try:
        yield db
    finally:
        db.rollback()
        db.close()
        wipe(engine)


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a brand-new database with no tables at all (not migrated), dropped afterwards."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "empty.db")
        return
    url = _postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


# --- Redis ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = redis_base_url()
    reason = redis_unavailable(url)
    if reason:
        unavailable(reason)
    return url


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix no other test (or test run on this machine) uses; its keys are deleted after."""
    prefix = f"clientela-test:{os.getpid()}:{secrets.token_hex(4)}:"
    yield prefix
    delete_redis_keys(redis_url, prefix)
