"""Which failures mean "the database cannot be reached, try again" and what the user is told then."""

from __future__ import annotations

import logging
import sqlite3
from types import SimpleNamespace

import psycopg
import pytest
from psycopg import errors as pg_errors
from reflex_base.event.context import EventContext
from sqlalchemy import exc

from crm_app.db import database_unavailable
from crm_app.i18n import t
from crm_app.states import payloads

REFUSED = psycopg.OperationalError('connection to server at "127.0.0.1" failed: Connection refused')


def _wrapped(orig: Exception, cls: type[exc.DBAPIError] = exc.OperationalError, **kwargs) -> exc.DBAPIError:
    return cls("SELECT 1", {}, orig, **kwargs)


@pytest.mark.parametrize("error", [
    REFUSED,
    _wrapped(REFUSED),
    _wrapped(pg_errors.AdminShutdown("terminating connection due to administrator command")),
    _wrapped(pg_errors.CannotConnectNow("the database system is starting up")),
    _wrapped(psycopg.DatabaseError("server closed the connection"), exc.DBAPIError,
             connection_invalidated=True),
    exc.TimeoutError("QueuePool limit of size 10 overflow 20 reached, connection timed out"),
], ids=["refused", "wrapped", "shutdown", "starting-up", "invalidated", "pool-timeout"])
def test_connection_failures_are_database_unavailable(error: Exception) -> None:
    assert database_unavailable(error)


@pytest.mark.parametrize("error", [
    _wrapped(pg_errors.DeadlockDetected("deadlock detected")),
    _wrapped(pg_errors.UniqueViolation("duplicate key"), exc.IntegrityError),
    _wrapped(sqlite3.OperationalError("database is locked")),
    ValueError("x"),
], ids=["deadlock", "unique", "sqlite-locked", "plain"])
def test_other_errors_are_not(error: Exception) -> None:
    assert not database_unavailable(error)


def test_a_handler_failing_on_a_lost_connection_tells_the_user_to_try_again(caplog) -> None:
    context = SimpleNamespace(router_data={"headers": {"cookie": "crm_lang=en"}})
    token = EventContext._context_var.set(context)
    try:
        with caplog.at_level(logging.WARNING, logger="crm_app.states.payloads"):
            answer = payloads.backend_exception(_wrapped(REFUSED))
    finally:
        EventContext._context_var.reset(token)
    assert t("database_unavailable", "en") in str(answer)
    assert t("server_error", "en") not in str(answer)
    assert "database unavailable" in caplog.text and "Traceback" not in caplog.text


def test_in_spanish_by_default() -> None:
    answer = payloads.backend_exception(_wrapped(REFUSED))
    assert "No se pudo conectar con la base de datos. Inténtalo de nuevo en unos segundos." in str(answer)


def test_a_lost_state_store_is_a_try_again_too() -> None:
    import redis.exceptions

    answer = payloads.backend_exception(redis.exceptions.ConnectionError("Error 111 connecting to redis."))
    assert t("state_store_unavailable", "es") in str(answer)
    assert t("server_error", "es") not in str(answer)
