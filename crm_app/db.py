"""Database engine and the one place where transactions begin, commit and roll back."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from crm_app.settings import get_settings

log = logging.getLogger("crm_app.db")


def make_engine(url: str) -> Engine:
    """Create an engine with the per-backend settings every process needs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A database host that drops packets must fail a connection in seconds, not hang every request (and
    # the health check) for the kernel's TCP timeout.
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                           connect_args={"connect_timeout": 5})
    _ConnectBreaker(engine)
    return engine


# SQLSTATEs of "no usable connection": class 08 (connection exception), the server shutting down or
# crashed (57P01, 57P02), still starting up (57P03).
_CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) means the database cannot be reached right now, so the
    same request may work in a few seconds: a failed or lost connection, or no free connection in the
    pool. A constraint, a deadlock or SQLite's "database is locked" are not."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, exc.TimeoutError):  # the pool had no connection to give in time
            return True
        if isinstance(current, exc.DBAPIError) and current.connection_invalidated:
            return True
        if _is_connection_failure(current):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def _is_connection_failure(error: BaseException) -> bool:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the SQLite-only install
        return False
    if not isinstance(error, psycopg.OperationalError):
        return False
    sqlstate = getattr(error, "sqlstate", None)
    # libpq's own failures (refused, timed out, server closed the connection) carry no SQLSTATE.
    return sqlstate is None or sqlstate.startswith(_CONNECTION_SQLSTATES)


class _ConnectBreaker:
    """While the database is down, new connections fail at once instead of each waiting up to
    connect_timeout: sync event handlers run on the event loop, so every such wait would stall all
    the node's tabs. After a connection attempt fails, a background thread tries one every
    PROBE_SECONDS; the first that succeeds lets connections through again (pool_pre_ping then
    replaces the dead pooled ones)."""

    PROBE_SECONDS = 0.5

    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self._down_since: float | None = None
        event.listen(engine, "do_connect", self._connect)

    def _connect(self, dialect, _record, cargs, cparams):
        if self._down_since is not None:
            raise dialect.loaded_dbapi.OperationalError(
                f"database unreachable for {time.monotonic() - self._down_since:.1f} s (retrying)")
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as error:
            if _is_connection_failure(error):
                self._trip(lambda: dialect.connect(*cargs, **cparams), error)
            raise

    def _trip(self, connect, error: BaseException) -> None:
        with self._lock:
            if self._down_since is not None:
                return
            self._down_since = time.monotonic()
        log.warning("database unreachable, probing every %.1f s: %s", self.PROBE_SECONDS,
                    str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)
        threading.Thread(target=self._probe, args=(connect,), name="db-probe", daemon=True).start()

    def _probe(self, connect) -> None:
        while True:
            time.sleep(self.PROBE_SECONDS)
            try:
                connect().close()
            except Exception:  # still down (or refusing): keep probing
                continue
            down_for = time.monotonic() - (self._down_since or time.monotonic())
            self._down_since = None
            log.warning("database reachable again after %.1f s", down_for)
            return


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers and the one writer work at once; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Reads through a memory map instead of read() calls into a 2 MB page cache: the customer list
    # touches a few thousand rows of a large file per search (about 30% faster at a million rows).
    cursor.execute("PRAGMA mmap_size=1073741824")
    cursor.execute("PRAGMA cache_size=-16384")
    cursor.close()


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    return make_engine(url or get_settings().database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit when the block ends normally, roll back when it raises."""
    session = Session(engine or get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
