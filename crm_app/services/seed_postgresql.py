"""The seed's writer for PostgreSQL: COPY per chunk without the per-row trigger work, and for a big load
the indexes dropped and built once, two at a time."""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.engine import Engine

from crm_app.services.seed_chunks import SEED_TABLES, Chunk, Load

log = logging.getLogger("crm_app.seed")

PARALLEL_MAINTENANCE = 2  # PostgreSQL connections building indexes / vacuuming at once after a load


def write_postgresql(engine: Engine, load: Load) -> None:
    """Write the load; a rebuild drops the tables' indexes before and builds them after (the trigram one
    above all is much faster built once than row by row)."""
    raw = engine.raw_connection()
    try:
        db = raw.driver_connection
        db.commit()
        indexes = _drop_indexes(db) if load.rebuild_indexes else []
        # Foreign keys hold by construction: without their per-row checks (one trigger query per
        # reference) COPY is about three times faster. Only a superuser may skip them, and the
        # "replica" role skips every trigger of these tables: like the rest of the seed, it bypasses
        # what the services would do (no feed events for demo customers).
        skip_checks = _skip_foreign_key_checks(db)

        def write(chunk: Chunk) -> None:
            with db.cursor() as cursor:
                if skip_checks:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                for table, columns, rows in chunk.tables(postgresql=True):
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for values in rows:
                            copy.write_row(values)
            db.commit()

        try:
            load.write_all(write)
        finally:
            with db.cursor() as cursor:
                # The first words the search_rest trigger would list (migration 0009).
                cursor.execute(
                    "INSERT INTO customer_first_word (organization_id, word) "
                    "SELECT DISTINCT organization_id, word "
                    "FROM customer, customer_first_word_of(sort_name) AS word "
                    "WHERE id >= %s AND word IS NOT NULL ON CONFLICT DO NOTHING",
                    (load.first_id,),
                )
                for table in ("customer", "customer_phone", "customer_email"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                db.commit()
            mark = time.perf_counter()
            _in_parallel(
                engine, [definition for _, definition in indexes], "SET maintenance_work_mem = '256MB'"
            )
            log.info("seed: %d indexes rebuilt in %.1f s", len(indexes), time.perf_counter() - mark)
            # The visibility map (index-only scans) and the planner's statistics.
            _in_parallel(engine, [f"VACUUM (ANALYZE) {table}" for table in SEED_TABLES])
    finally:
        raw.close()


def _drop_indexes(db) -> list[tuple[str, str]]:
    """Drop the seeded tables' indexes, except the constraints' (primary keys); return their definitions."""
    with db.cursor() as cursor:
        indexes = cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            (list(SEED_TABLES),),
        ).fetchall()
        cursor.execute("SET LOCAL lock_timeout = '10s'")  # fail, not hang, behind a transaction
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    db.commit()
    return indexes


def _skip_foreign_key_checks(db) -> bool:
    with db.cursor() as cursor:
        allowed = cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    return bool(allowed and allowed[0])


def _in_parallel(engine: Engine, statements: list[str], setup: str | None = None) -> None:
    """Run independent maintenance statements (index builds, VACUUM) on two connections at once:
    each is single-threaded on the server, and the machine has a second core. Longest first."""
    pending = sorted(statements, key=lambda sql: ("gin" not in sql.lower(), "VACUUM" in sql))
    errors: list[BaseException] = []

    def work() -> None:
        raw = engine.raw_connection()
        try:
            db = raw.driver_connection
            db.commit()
            db.autocommit = True
            with db.cursor() as cursor:
                if setup:
                    cursor.execute(setup)
                while pending and not errors:
                    try:
                        statement = pending.pop(0)
                    except IndexError:
                        return
                    cursor.execute(statement)
            db.autocommit = False
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)
        finally:
            raw.close()

    threads = [threading.Thread(target=work) for _ in range(min(PARALLEL_MAINTENANCE, len(pending)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
