"""Demo staff work in bulk, for the panel at scale: customers spread over the staff and the sources, then
tasks, comments and other feed events, and leads, millions in a minute or two.

Like services/seed.py and seed_sales.py it writes straight in SQL (executemany on SQLite, COPY on
PostgreSQL), one transaction per chunk, bypassing the services; the rows are the ones the services would
write (a task or a comment with its feed event pointing at it, ``ref_id``). Ids grow with time, as they do
in a running app. A big load into empty tables drops their indexes first and builds them once at the end.

What it looks like:
- customers: ``seed_spread_customers`` is ``seed.seed_customers`` with the creator drawn among the
  organization's users and the source among the sources (half through the form, a fifth imported...);
- tasks: spread over three years and the users; old ones are mostly done, a tenth of them left open
  (overdue); of the last four months' seven in ten are open, due from months ago to months ahead, so
  every user has overdue tasks, some due today and some later;
- feed events: besides the tasks' own, about 35 % comments (with their ``comment`` row) and the rest
  field changes, over the customers with a skew (some have hundreds, most a few);
- leads: over two years, old ones mostly won or lost, recent ones mostly new or contacted; a won lead
  points at a customer.

Not for concurrent use with a running app on the same organization (ids are taken up front).
"""

from __future__ import annotations

import calendar
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import Engine

from crm_app.domain.search_text import normalize
from crm_app.services import seed
from crm_app.services.seed import _Random, _timestamp
from crm_app.services.seed_chunks import CUSTOMER_COLUMNS
from crm_app.services.seed_postgresql import _in_parallel, _skip_foreign_key_checks
from crm_app.services.seed_vocabulary import FEMALE, MALE, SURNAMES

log = logging.getLogger("crm_app.seed")

CHUNK = 20_000
REBUILD_FROM = seed.REBUILD_FROM  # a load this big into empty tables builds their indexes once, after
DAY_US = 86_400_000_000
SPAN_DAYS = 3 * 365
LEAD_SPAN_DAYS = 2 * 365
COMMENT_SHARE = 0.35  # of the feed events that are not a task's
# Where customers come from (domain.customers.SOURCES), out of 100.
SOURCE_WEIGHTS = (("form", 50), ("import", 22), ("api", 10), ("invitation", 6), ("web_form", 5),
                  ("lead", 3), ("lead_ads", 2), ("order", 1), ("sale", 1))
TASK_TITLES = ("Llamar para seguimiento", "Enviar cotización", "Confirmar cita", "Cobrar saldo pendiente",
               "Enviar catálogo", "Visitar al cliente", "Revisar contrato", "Agendar demostración",
               "Confirmar entrega", "Pedir referencia")
COMMENTS = ("Llamó para preguntar por el pedido.", "Prefiere que lo contacten por WhatsApp.",
            "Interesado en la promoción de diciembre.", "Pagó en efectivo, todo en orden.",
            "Pide factura a nombre de la empresa.", "No contesta, intentar la próxima semana.",
            "Cliente muy satisfecho con la atención.", "Solicita descuento por volumen.",
            "Cambió de dirección, actualizar datos.", "Recomendó a un familiar.")
CHANGED = (("city", "Quito", "Guayaquil"), ("notes", "", "Cliente frecuente"), ("street", "Av. Amazonas 120",
           "Av. 6 de Diciembre 455"), ("display_name", "Ana Pérez", "Ana María Pérez"))
LOST_REASONS = ("Precio", "Eligió a la competencia", "Sin presupuesto", "No responde")

TASK = ("task", ("id", "organization_id", "customer_id", "title", "due_at", "assignee_id", "created_by",
                 "created_at", "done_at", "done_by"))
COMMENT = ("comment", ("id", "organization_id", "customer_id", "author_id", "body", "created_at"))
EVENT = ("feed_event", ("id", "organization_id", "customer_id", "kind", "actor_id", "created_at", "data",
                        "ref_id"))
LEAD = ("lead", ("id", "organization_id", "name", "phone_raw", "phone_e164", "email", "channel_id",
                 "owner_id", "status", "lost_reason", "notes", "search_text", "customer_id", "converted_at",
                 "created_at", "created_by", "updated_at", "updated_by", "version"))
ACTIVITY_TABLES = (TASK, COMMENT, EVENT, LEAD)


@dataclass(frozen=True)
class Activity:
    tasks: int
    comments: int
    events: int
    leads: int
    seconds: float


# ----------------------------------------------------------------------------------------- customers


def _spread_generator(users: list[int]) -> type:
    """seed's generator, with each customer's creator drawn among ``users``, his source weighted and his
    birthday on any day of its month (seed draws days 1-28: no one would celebrate on the 29th to 31st,
    and the panel's birthdays would meet empty days a real base does not have)."""
    source_at, creator_at, updater_at, birthday_at = (
        CUSTOMER_COLUMNS.index(c) for c in ("source", "created_by", "updated_by", "birthday"))
    sources = [name for name, weight in SOURCE_WEIGHTS for _ in range(weight)]

    class Spread(seed._Generator):
        def chunk(self, count: int, first_index: int, total: int):
            chunk = super().chunk(count, first_index, total)
            rnd, rows = self.rng.random, []
            for row in chunk.customers:
                row = list(row)
                row[creator_at] = row[updater_at] = users[int(rnd() * len(users))]
                row[source_at] = sources[int(rnd() * len(sources))]
                if row[birthday_at]:
                    year, month = int(row[birthday_at][:4]), int(row[birthday_at][5:7])
                    day = 1 + int(rnd() * calendar.monthrange(year, month)[1])
                    row[birthday_at] = f"{row[birthday_at][:8]}{day:02d}"
                rows.append(tuple(row))
            chunk.customers[:] = rows
            return chunk

    return Spread


def seed_spread_customers(engine: Engine, organization_id: int, n: int, *, users: list[int], country: str,
                          seed_value: int = 0, progress: Callable[[int, float], None] | None = None) -> int:
    """``seed.seed_customers`` with the creators spread over ``users`` and the sources weighted."""
    plain = seed._Generator
    seed._Generator = _spread_generator(users)  # the forked generator process inherits it
    try:
        return seed.seed_customers(engine, organization_id, n, country=country, seed=seed_value,
                                   created_by=users[0], progress=progress)
    finally:
        seed._Generator = plain


# ------------------------------------------------------------------------------------------ activity


@dataclass
class _Context:
    org: int
    sqlite: bool
    users: list[int]
    channels: list[int]
    customers: list[int]  # shuffled: the first ones get the most events
    now_us: int
    next_ids: dict[str, int]


class _Draw:
    def __init__(self, c: _Context, rng: _Random) -> None:
        self.c, self.rng = c, rng
        self.zone = "" if c.sqlite else "+00"

    def ts(self, epoch_us: int) -> str:
        return _timestamp(min(epoch_us, self.c.now_us), self.zone)

    def user(self) -> int:
        return self.c.users[int(self.rng.random() * len(self.c.users))]

    def customer(self) -> int:
        customers = self.c.customers
        return customers[int(len(customers) * self.rng.random() ** 2)]  # squared: a few very busy ones

    def take(self, table: str) -> int:
        value = self.c.next_ids[table]
        self.c.next_ids[table] += 1
        return value


def _task(d: _Draw, when: int, tasks: list, events: list) -> None:
    rng, c = d.rng, d.c
    rnd = rng.random
    age_days = (c.now_us - when) / DAY_US
    creator = d.user()
    assignee = creator if rnd() < 0.7 else d.user() if rnd() < 0.97 else None
    if rnd() < (0.7 if age_days < 120 else 0.1):  # open: due up to 5 months after (recent) or a month
        due = when + int(rnd() * (150 if age_days < 120 else 30) * DAY_US)
        done_at = done_by = None
    else:
        due = when + int(rnd() * 14 * DAY_US)
        done_at, done_by = d.ts(when + int(rnd() * 20 * DAY_US)), assignee or creator
    task_id, customer = d.take("task"), d.customer()
    due_at = None if rnd() < 0.05 else _timestamp(due, d.zone)  # a due date may be in the future
    tasks.append((task_id, c.org, customer, TASK_TITLES[int(rnd() * len(TASK_TITLES))], due_at, assignee,
                   creator, d.ts(when), done_at, done_by))
    events.append((d.take("feed_event"), c.org, customer, "task", creator, d.ts(when), "{}", task_id))


def _activity_chunk(d: _Draw, count: int, first: int, total: int, task_share: float) -> dict[str, list]:
    """Feed events ``first`` .. ``first + count`` of ``total``, in time order: the tasks' (an exact share),
    comments and field changes."""
    rng, c = d.rng, d.c
    rnd = rng.random
    start = c.now_us - SPAN_DAYS * DAY_US
    rows: dict[str, list] = {"task": [], "comment": [], "feed_event": []}
    for i in range(first, first + count):
        when = start + int((c.now_us - start) * (i + rnd()) / total)
        if int((i + 1) * task_share) > int(i * task_share):
            _task(d, when, rows["task"], rows["feed_event"])
            continue
        customer, actor, created = d.customer(), d.user(), d.ts(when)
        if rnd() < COMMENT_SHARE:
            comment_id = d.take("comment")
            rows["comment"].append((comment_id, c.org, customer, actor, COMMENTS[int(rnd() * len(COMMENTS))],
                                    created))
            rows["feed_event"].append((d.take("feed_event"), c.org, customer, "comment", actor, created, "{}",
                                       comment_id))
        else:
            field, before, after = CHANGED[int(rnd() * len(CHANGED))]
            data = json.dumps({"changes": [{"field": field, "before": before, "after": after}]},
                              ensure_ascii=False, separators=(",", ":"))
            rows["feed_event"].append((d.take("feed_event"), c.org, customer, "customer_updated", actor,
                                       created, data, None))
    return rows


def _lead_chunk(d: _Draw, count: int, first: int, total: int) -> dict[str, list]:
    rng, c = d.rng, d.c
    rnd = rng.random
    start = c.now_us - LEAD_SPAN_DAYS * DAY_US
    old = (("new", 0.15), ("contacted", 0.15), ("qualified", 0.10), ("won", 0.22), ("lost", 0.38))
    recent = (("new", 0.40), ("contacted", 0.25), ("qualified", 0.15), ("won", 0.10), ("lost", 0.10))
    rows = []
    for i in range(first, first + count):
        when = start + int((c.now_us - start) * (i + rnd()) / total)
        statuses = recent if c.now_us - when < 60 * DAY_US else old
        status = rng.choices(*zip(*statuses, strict=True))[0]
        given, surname = rng.choice(FEMALE + MALE), rng.choice(SURNAMES)
        name = f"{given} {surname}"
        email = f"{normalize(given).split()[0]}.{normalize(surname)}{int(rnd() * 1000)}@correo.ec"
        owner = d.user() if rnd() < 0.9 else None
        channel = c.channels[int(rnd() * len(c.channels))] if c.channels and rnd() < 0.8 else None
        won = status == "won"
        customer = d.customer() if won else None
        converted = d.ts(when + int(rnd() * 30 * DAY_US)) if won else None
        created = d.ts(when)
        rows.append((d.take("lead"), c.org, name, "", "", email, channel, owner, status,
                     LOST_REASONS[int(rnd() * len(LOST_REASONS))] if status == "lost" else "", "",
                     f"{normalize(name)} {email}", customer, converted, created, owner, created, owner, 1))
    return {"lead": rows}


def _chunks(make: Callable[[int, int], dict[str, list]], total: int) -> Iterator[dict[str, list]]:
    done = 0
    while done < total:
        count = min(CHUNK, total - done)
        yield make(done, count)
        done += count


# ------------------------------------------------------------------------------------------- writing


def _write(engine: Engine, chunks: Iterator[dict[str, list]], tables: tuple, rebuild: bool,
           progress: Callable[[str, int, float], None] | None) -> None:
    """Write the chunks, each in one transaction; ``rebuild`` drops the tables' indexes before and builds
    them after (sorting once beats millions of random inserts)."""
    sqlite = engine.dialect.name == "sqlite"
    columns = dict(tables)
    raw = engine.raw_connection()
    started, done = time.perf_counter(), 0
    try:
        db = raw.driver_connection
        db.commit()
        indexes = _drop_indexes(db, [name for name, _ in tables], sqlite) if rebuild else []
        if sqlite:
            db.execute("PRAGMA foreign_keys=OFF")  # the references hold by construction
            db.execute("PRAGMA synchronous=OFF")
        skip_checks = not sqlite and _skip_foreign_key_checks(db)
        try:
            for chunk in chunks:
                if sqlite:
                    db.execute("BEGIN")
                    for table, rows in chunk.items():
                        names = columns[table]
                        db.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                                       f"({', '.join('?' * len(names))})", rows)
                else:
                    with db.cursor() as cursor:
                        if skip_checks:
                            cursor.execute("SET LOCAL session_replication_role = replica")
                        for table, rows in chunk.items():
                            copy_sql = f"COPY {table} ({', '.join(columns[table])}) FROM STDIN"
                            with cursor.copy(copy_sql) as copy:
                                for row in rows:
                                    copy.write_row(row)
                db.commit()
                done += sum(len(rows) for rows in chunk.values())
                if progress:
                    progress(tables[0][0], done, time.perf_counter() - started)
        finally:
            db.rollback()
            if sqlite:
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("PRAGMA foreign_keys=ON")
        _finish(engine, db, indexes, [name for name, _ in tables], sqlite)
    finally:
        raw.close()
    log.info("seed: %d rows of %s in %.1f s", done, "/".join(n for n, _ in tables),
             time.perf_counter() - started)


def _drop_indexes(db, tables: list[str], sqlite: bool) -> list[str]:
    """Drop the tables' indexes (not the primary keys'); return the statements that build them again."""
    if sqlite:
        found = db.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' * len(tables))})", tables).fetchall()
    else:
        with db.cursor() as cursor:
            found = cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                (tables,)).fetchall()
    for name, _ in found:
        db.execute(f'DROP INDEX "{name}"')
    db.commit()
    return [sql for _, sql in found]


def _finish(engine: Engine, db, indexes: list[str], tables: list[str], sqlite: bool) -> None:
    """The dropped indexes built again, PostgreSQL's sequences past the ids, the planner's statistics."""
    if sqlite:
        db.execute("PRAGMA threads=2")
        for sql in indexes:
            db.execute(sql)
        for table in tables:
            db.execute(f"ANALYZE {table}")
        db.commit()
        return
    with db.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT coalesce(max(id), 1) FROM {table}))")
    db.commit()
    _in_parallel(engine, indexes, "SET maintenance_work_mem = '256MB'")
    _in_parallel(engine, [f"VACUUM (ANALYZE) {table}" for table in tables])


def _context(engine: Engine, organization_id: int, rng: _Random) -> _Context:
    with engine.connect() as connection:
        def ids(sql: str) -> list[int]:
            return list(connection.execute(text(sql), {"org": organization_id, "yes": True}).scalars())

        users = ids("SELECT id FROM app_user WHERE organization_id = :org AND is_active = :yes ORDER BY id")
        customers = ids("SELECT id FROM customer WHERE organization_id = :org AND deleted_at IS NULL")
        channels = ids("SELECT id FROM acquisition_channel WHERE organization_id = :org AND is_active = :yes")
        next_ids = {table: (connection.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0) + 1
                    for table, _ in ACTIVITY_TABLES}
    if not users or not customers:
        raise ValueError("the organization needs users and customers before their activity")
    rng.shuffle(customers)
    now_us = int(datetime.now(UTC).timestamp() * 1_000_000)
    return _Context(organization_id, engine.dialect.name == "sqlite", users, channels, customers, now_us,
                    next_ids)


def _rebuild(engine: Engine, tables: tuple, rows: int) -> bool:
    """Whether to drop the tables' indexes for the load: a big one, into empty tables."""
    if rows < REBUILD_FROM:
        return False
    with engine.connect() as connection:
        return all(connection.execute(text(f"SELECT NOT EXISTS (SELECT 1 FROM {name})")).scalar()
                   for name, _ in tables)


def seed_activity(engine: Engine, organization_id: int, *, tasks: int, events: int, leads: int,
                  seed_value: int = 0, progress: Callable[[str, int, float], None] | None = None) -> Activity:
    """Add ``tasks`` tasks, feed events up to ``events`` in all (the tasks' included; about a third of the
    others comments) and ``leads`` leads to the organization's customers and users."""
    started = time.perf_counter()
    rng = _Random(seed_value)
    draw = _Draw(_context(engine, organization_id, rng), rng)
    first_comment = draw.c.next_ids["comment"]
    events = max(events, tasks)
    if events:
        feed_tables = (TASK, COMMENT, EVENT)
        share = tasks / events
        def make(first: int, count: int) -> dict[str, list]:
            return _activity_chunk(draw, count, first, events, share)

        _write(engine, _chunks(make, events), feed_tables, _rebuild(engine, feed_tables, events), progress)
    if leads:
        _write(engine, _chunks(lambda first, count: _lead_chunk(draw, count, first, leads), leads), (LEAD,),
               _rebuild(engine, (LEAD,), leads), progress)
    return Activity(tasks, draw.c.next_ids["comment"] - first_comment, events, leads,
                    time.perf_counter() - started)

