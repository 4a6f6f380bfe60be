"""The seed's writer for SQLite: executemany per chunk, the search index (FTS5) filled in one pass at the
end, and for a big load the indexes dropped and built once."""

from __future__ import annotations

import logging
import time

from sqlalchemy.engine import Engine

from crm_app.services.seed_chunks import SEED_TABLES, Chunk, Load

log = logging.getLogger("crm_app.seed")

SORT_THREADS = 2
FTS_LOAD_HASHSIZE = 64 * 1024 * 1024  # bytes of tokens FTS5 buffers before writing a segment...
FTS_DEFAULT_HASHSIZE = 1024 * 1024  # ...during the seed, and otherwise (FTS5's default)


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def write_sqlite(engine: Engine, load: Load) -> None:
    """Write the load; a rebuild drops the tables' indexes before and builds them after (sorting once beats
    n random inserts)."""
    raw = engine.raw_connection()
    try:
        db = raw.driver_connection
        db.commit()
        cursor = db.cursor()
        # Outside a transaction: foreign keys hold by construction; a big cache for the index builds.
        cache_size = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-262144")
        cursor.execute("PRAGMA temp_store=MEMORY")  # the index builds' and the FTS load's sorts
        cursor.execute(f"PRAGMA threads={SORT_THREADS}")  # CREATE INDEX sorts with helper threads
        tables = ", ".join(f"'{t}'" for t in SEED_TABLES)
        # The FTS triggers would tokenize row by row: the new rows are indexed in one pass at the end.
        triggers = cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customer' "
            "AND name LIKE 'customer_fts_%'"
        ).fetchall()
        indexes = (
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({tables})"
            ).fetchall()
            if load.rebuild_indexes
            else []
        )
        for name, _ in triggers:
            cursor.execute(f"DROP TRIGGER {name}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        db.commit()

        def write(chunk: Chunk) -> None:
            cursor.execute("BEGIN")
            for table, columns, rows in chunk.tables(postgresql=False):
                cursor.executemany(_insert(table, columns), rows)
            db.commit()

        try:
            load.write_all(write)
        finally:
            if db.in_transaction:
                db.rollback()
            _restore(db, cursor, load.first_id, indexes, triggers)
            cursor.execute("PRAGMA optimize")
            cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
            cursor.execute("PRAGMA temp_store=DEFAULT")
            cursor.execute("PRAGMA threads=0")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
    finally:
        raw.close()


def _restore(db, cursor, first_id: int, indexes: list, triggers: list) -> None:
    """Build the dropped indexes, index the new rows for search in one pass, put the triggers back."""
    mark = time.perf_counter()
    cursor.execute("BEGIN")
    for _, sql in indexes:
        cursor.execute(sql)
    log.info("seed: %d indexes rebuilt in %.1f s", len(indexes), time.perf_counter() - mark)
    mark = time.perf_counter()
    if triggers:
        # A big in-memory buffer: fewer, larger segments to write and merge. In rowid (name key)
        # order: FTS5 flushes that buffer whenever a rowid goes down.
        _fts_hashsize(cursor, FTS_LOAD_HASHSIZE)
        cursor.execute(
            "INSERT INTO customer_fts(rowid, search_text) "
            "SELECT name_key, search_text FROM customer WHERE id >= ? ORDER BY name_key",
            (first_id,),
        )
        # Back to FTS5's default through its own command, so that open connections reload it.
        _fts_hashsize(cursor, FTS_DEFAULT_HASHSIZE)
    for _, sql in triggers:
        cursor.execute(sql)
    db.commit()
    log.info("seed: search index updated in %.1f s", time.perf_counter() - mark)


def _fts_hashsize(cursor, size: int) -> None:
    cursor.execute("INSERT INTO customer_fts(customer_fts, rank) VALUES ('hashsize', ?)", (size,))
