"""Demo sales and work orders in bulk: two million sales in a few minutes.

``seed_sales(engine, organization_id, sales, orders=...)`` writes documents and their lines straight in
SQL (executemany on SQLite, COPY on PostgreSQL), one transaction per chunk, bypassing the services, as
services/seed.py does for customers. The rows are the ones the services would write: totals computed
from the lines the way domain.documents does (in the currency's minor units, half up), numbers
sequential per organization with the counter row set, ids and numbers growing with time, and at the end
each customer's purchase figures (customer_totals: sales_count, amount_spent, last_purchase_at) set from
his completed sales by one UPDATE.

Who buys: about a fifth of the sales are counter sales without a client; the rest go to under half of
the customers, a few of them very often (a squared uniform draw over a shuffled list of buyers), so most
customers have no sale and some have hundreds. Dates spread over the last two years, whatever the
customer's own creation date (demo data). No feed events, as for seeded customers.

Not for concurrent use with a running app on the same organization (ids and numbers are taken up front).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

from crm_app.domain.customer_numbers import money_places
from crm_app.services.seed import _Random, _timestamp
from crm_app.services.seed_chunks import chunks
from crm_app.services.seed_postgresql import _in_parallel, _skip_foreign_key_checks

log = logging.getLogger("crm_app.seed")

CHUNK = 10_000  # documents per transaction
COUNTER_SHARE = 0.2  # sales at the counter, without a client
WALK_IN_SHARE = 0.05  # orders still waiting for their client (open ones only)
BUYER_SHARE = 0.45  # customers who ever buy something
SPAN = timedelta(days=730)
_DAY_US = 86_400_000_000
# The demo order types (name, colour, walk-in allowed), for an organization without any.
ORDER_TYPES = (("Reparación", "#e5484d", False), ("Servicio", "#3e63dd", True),
               ("Suscripción", "#30a46c", False))
METHODS = (("cash", 0.45), ("card", 0.30), ("transfer", 0.15), ("credit", 0.10))
# fmt: off
PRODUCTS = (  # what a line sells and its unit price range, in the currency's major units
    ("Corte de cabello", 5, 15), ("Tinte y peinado", 20, 60), ("Repuesto de pantalla", 40, 180),
    ("Cambio de batería", 15, 45), ("Mantenimiento preventivo", 25, 80), ("Instalación", 30, 120),
    ("Camisa de algodón", 12, 35), ("Zapatos deportivos", 35, 110), ("Café molido 500 g", 4, 9),
    ("Pan artesanal", 1, 4), ("Consulta", 20, 50), ("Hora de soporte técnico", 15, 40),
    ("Cartucho de tinta", 10, 30), ("Juego de llantas", 120, 480), ("Mensualidad gimnasio", 25, 45),
    ("Flete local", 5, 25),
)
# fmt: on
TOTALS_COLUMNS = ("subtotal", "discount_percent", "discount_amount", "total", "currency")
AUDIT_COLUMNS = ("created_at", "created_by", "updated_at", "updated_by", "version")
LINE_COLUMNS = ("id", "organization_id", "position", "description", "quantity", "unit_price",
                "discount_percent", "line_total")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]


SALE = Table("sale", ("id", "organization_id", "number", "customer_id", "payment_method", "status", "paid_at",
                      "notes", *TOTALS_COLUMNS, *AUDIT_COLUMNS))
SALE_LINE = Table("sale_line", (*LINE_COLUMNS, "sale_id"))
ORDER = Table("sales_order", ("id", "organization_id", "number", "order_type_id", "customer_id", "status",
                              "due_date", "assignee_id", "notes", "status_changed_at", *TOTALS_COLUMNS,
                              *AUDIT_COLUMNS))
ORDER_LINE = Table("sales_order_line", (*LINE_COLUMNS, "order_id"))


@dataclass(frozen=True)
class Seeded:
    sales: int
    orders: int
    seconds: float


@dataclass(frozen=True)
class _Context:
    """What every document of the load shares."""

    organization_id: int
    currency: str
    places: int
    sqlite: bool
    buyers: list[int]
    sellers: list[int]
    order_types: list[int]
    start_us: int
    now_us: int


def _money_text(places: int, sqlite: bool) -> Callable[[int], object]:
    """An amount in minor units as the column takes it: a float for SQLite (DecimalNumeric's storage),
    exact text for PostgreSQL's COPY."""
    scale = 10**places
    if sqlite:
        return lambda minor: minor / scale
    if not places:
        return str
    return lambda minor: f"{minor // scale}.{minor % scale:0{places}d}"


class _Documents:
    """One kind of document's rows, chunk by chunk (seed_chunks.chunks): (documents, lines)."""

    table: Table
    line_table: Table

    def __init__(self, context: _Context, rng: _Random, first_id: int, first_line_id: int, first_number: int):
        self.c, self.rng = context, rng
        self.next_id, self.next_line, self.next_number = first_id, first_line_id, first_number
        self.money = _money_text(context.places, context.sqlite)
        self.zone = "" if context.sqlite else "+00"  # SQLite keeps naive UTC text; COPY reads timestamptz

    def _client(self, share_without: float) -> int | None:
        rng, buyers = self.rng, self.c.buyers
        if not buyers or rng.random() < share_without:
            return None
        return buyers[int(len(buyers) * rng.random() ** 2)]  # squared: the first buyers buy most

    def _lines(self, document_id: int, lines: list[tuple]) -> int:
        """Add one to three lines to ``lines``; their subtotal in minor units."""
        rng, c, money = self.rng, self.c, self.money
        scale, subtotal = 10**c.places, 0
        for position in range(1 + (rng.random() < 0.45) + (rng.random() < 0.2)):
            description, low, high = rng.choice(PRODUCTS)
            price = rng.randint(low * scale, high * scale)
            price -= price % 5 if c.places else 0  # prices end in 0 or 5 cents
            quantity = 1 if rng.random() < 0.7 else rng.randint(2, 5)
            discount = 10 if rng.random() < 0.05 else 0
            total = (quantity * price * (100 - discount) + 50) // 100  # domain.documents.line_total
            subtotal += total
            lines.append((self.next_line, c.organization_id, position, description, quantity, money(price),
                          discount, money(total), document_id))
            self.next_line += 1
        return subtotal

    def chunk(self, count: int, first_index: int, total: int) -> tuple[list[tuple], list[tuple]]:
        rng, c, money = self.rng, self.c, self.money
        documents: list[tuple] = []
        lines: list[tuple] = []
        span = c.now_us - c.start_us
        for k in range(count):
            when = c.start_us + int(span * (first_index + k + rng.random()) / total)
            created = _timestamp(when, self.zone)
            subtotal = self._lines(self.next_id, lines)
            percent = rng.choice((5, 10)) if rng.random() < 0.1 else 0  # the client's discount
            discount = (subtotal * percent + 50) // 100  # domain.documents.totals, half up
            seller = rng.choice(c.sellers)
            documents.append((self.next_id, c.organization_id, self.next_number, *self._head(when, created),
                              money(subtotal), percent, money(discount), money(subtotal - discount),
                              c.currency, created, seller, created, seller, 1))
            self.next_id += 1
            self.next_number += 1
        return documents, lines

    def _head(self, when: int, created: str) -> tuple:
        raise NotImplementedError

    def _later(self, when: int, days: int) -> str:
        """A time up to ``days`` after ``when``, never past now."""
        return _timestamp(min(when + int(self.rng.random() * days * _DAY_US), self.c.now_us), self.zone)


class _Sales(_Documents):
    table, line_table = SALE, SALE_LINE
    methods = tuple(m for m, _ in METHODS)
    weights = tuple(w for _, w in METHODS)

    def _head(self, when: int, created: str) -> tuple:
        rng = self.rng
        customer = self._client(COUNTER_SHARE)
        method = rng.choices(self.methods, self.weights)[0]
        if method == "credit" and customer is None:  # credit needs a client
            method = "cash"
        paid_at = None
        if method == "credit":
            settled = 0.85 if self.c.now_us - when > 30 * _DAY_US else 0.4
            paid_at = self._later(when, 30) if rng.random() < settled else None
        status = "cancelled" if rng.random() < 0.03 else "completed"
        return customer, method, status, paid_at, ""


class _Orders(_Documents):
    table, line_table = ORDER, ORDER_LINE
    old = (("delivered", 0.88), ("cancelled", 0.08), ("done", 0.04))
    recent = (("open", 0.35), ("in_progress", 0.3), ("done", 0.2), ("delivered", 0.1), ("cancelled", 0.05))

    def _head(self, when: int, created: str) -> tuple:
        rng, c = self.rng, self.c
        customer = self._client(WALK_IN_SHARE)
        statuses = self.old if c.now_us - when > 30 * _DAY_US else self.recent
        status = "open" if customer is None else rng.choices(*zip(*statuses, strict=True))[0]
        changed = None if status == "open" else self._later(when, 10)
        due = _timestamp(when + rng.randint(3, 14) * _DAY_US, "")[:10]
        assignee = rng.choice(c.sellers) if rng.random() < 0.8 else None
        return rng.choice(c.order_types), customer, status, due, assignee, "", changed


def _ids(connection, organization_id: int, table: Table, line_table: Table) -> tuple[int, int, int]:
    """The next document id, line id and number."""
    def following(sql: str, **params) -> int:
        return (connection.execute(text(sql), params).scalar() or 0) + 1

    return (
        following(f"SELECT max(id) FROM {table.name}"),
        following(f"SELECT max(id) FROM {line_table.name}"),
        following(f"SELECT max(number) FROM {table.name} WHERE organization_id = :org", org=organization_id),
    )


def _order_types(connection, organization_id: int) -> list[int]:
    """The organization's active order types; the demo ones created if it has none."""
    query = text(
        "SELECT id FROM order_type WHERE organization_id = :org AND is_active = :yes ORDER BY position"
    )
    found = list(connection.execute(query, {"org": organization_id, "yes": True}).scalars())
    if found:
        return found
    for position, (name, color, walk_in) in enumerate(ORDER_TYPES):
        connection.execute(
            text("INSERT INTO order_type (organization_id, name, color, position, is_active, "
                 "walk_in_allowed) VALUES (:org, :name, :color, :position, :yes, :walk_in)"),
            {"org": organization_id, "name": name, "color": color, "position": position, "yes": True,
             "walk_in": walk_in},
        )
    return list(connection.execute(query, {"org": organization_id, "yes": True}).scalars())


def _context(engine: Engine, organization_id: int, rng: _Random) -> _Context:
    with engine.begin() as connection:
        currency = connection.execute(
            text("SELECT currency FROM organization WHERE id = :id"), {"id": organization_id}
        ).scalar()
        if currency is None:
            raise ValueError(f"organization {organization_id} does not exist")
        customers = list(connection.execute(
            text("SELECT id FROM customer WHERE organization_id = :org AND deleted_at IS NULL ORDER BY id"),
            {"org": organization_id},
        ).scalars())
        sellers = list(connection.execute(
            text("SELECT id FROM app_user WHERE organization_id = :org ORDER BY id"), {"org": organization_id}
        ).scalars())
        order_types = _order_types(connection, organization_id)
        # New documents come after the ones there (ids and numbers grow with time).
        latest = connection.execute(
            text("SELECT max(created_at) FROM sale WHERE organization_id = :org"), {"org": organization_id}
        ).scalar()
    now = datetime.now(UTC)
    start = now - SPAN
    if latest is not None:  # SQLite answers a raw query with the stored text
        latest = datetime.fromisoformat(latest) if isinstance(latest, str) else latest
        start = max(start, latest if latest.tzinfo else latest.replace(tzinfo=UTC))
    epoch, micro = datetime(1970, 1, 1, tzinfo=UTC), timedelta(microseconds=1)
    return _Context(
        organization_id=organization_id, currency=currency, places=money_places(currency),
        sqlite=engine.dialect.name == "sqlite",
        buyers=rng.sample(customers, int(len(customers) * BUYER_SHARE)),
        sellers=sellers or [None], order_types=order_types,
        start_us=(start - epoch) // micro, now_us=(now - epoch) // micro,
    )


def _sqlite_writer(db) -> Callable[[list[tuple[Table, list[tuple]]]], None]:
    cursor = db.cursor()

    def write(tables: list[tuple[Table, list[tuple]]]) -> None:
        cursor.execute("BEGIN")
        for table, rows in tables:
            columns, marks = ", ".join(table.columns), ", ".join("?" * len(table.columns))
            cursor.executemany(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", rows)
        db.commit()

    return write


def _postgresql_writer(db) -> Callable[[list[tuple[Table, list[tuple]]]], None]:
    # Foreign keys hold by construction: COPY without their per-row checks (superuser only).
    skip_checks = _skip_foreign_key_checks(db)

    def write(tables: list[tuple[Table, list[tuple]]]) -> None:
        with db.cursor() as cursor:
            if skip_checks:
                cursor.execute("SET LOCAL session_replication_role = replica")
            for table, rows in tables:
                with cursor.copy(f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        db.commit()

    return write


def _write(engine: Engine, documents: _Documents, n: int, chunk_size: int,
           progress: Callable[[int, float], None] | None) -> None:
    raw = engine.raw_connection()
    try:
        db = raw.driver_connection
        db.commit()
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # outside a transaction; the connection's own settings are put back below
            db.execute("PRAGMA foreign_keys=OFF")
            db.execute("PRAGMA synchronous=OFF")
        write = _sqlite_writer(db) if sqlite else _postgresql_writer(db)
        started, done = time.perf_counter(), 0
        try:
            for rows, lines in chunks(documents, n, chunk_size):  # type: ignore[arg-type] # same protocol
                write([(documents.table, rows), (documents.line_table, lines)])
                done += len(rows)
                if progress:
                    progress(done, time.perf_counter() - started)
        finally:
            db.rollback()  # a chunk cut short; nothing otherwise
            if sqlite:
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("PRAGMA foreign_keys=ON")
        log.info("seed: %d %s written in %.1f s", done, documents.table.name, time.perf_counter() - started)
    finally:
        raw.close()


# Each buyer's figures from his completed sales, as customer_totals.recompute sets them.
_CUSTOMER_TOTALS = (
    "UPDATE customer SET sales_count = a.n, amount_spent = a.spent, last_purchase_at = a.latest "
    "FROM (SELECT customer_id, count(*) AS n, round(sum(total), 2) AS spent, max(created_at) AS latest "
    "FROM sale WHERE organization_id = :org AND customer_id IS NOT NULL AND status = 'completed' "
    "AND deleted_at IS NULL GROUP BY customer_id) AS a WHERE customer.id = a.customer_id"
)
_COUNTER = (
    "INSERT INTO document_counter (organization_id, kind, last_number) "
    "SELECT :org, :kind, coalesce(max(number), 0) FROM {table} WHERE organization_id = :org "
    "ON CONFLICT (organization_id, kind) DO UPDATE SET last_number = excluded.last_number"
)


def _finish(engine: Engine, organization_id: int, kinds: list[tuple[str, Table, Table]]) -> None:
    """The customers' figures, the counters, PostgreSQL's sequences and the planner's statistics."""
    mark = time.perf_counter()
    postgresql = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        connection.execute(text(_CUSTOMER_TOTALS), {"org": organization_id})
        log.info("seed: customers' purchase figures set in %.1f s", time.perf_counter() - mark)
        for kind, table, line_table in kinds:
            counter = text(_COUNTER.format(table=table.name))
            connection.execute(counter, {"org": organization_id, "kind": kind})
            for name in (table.name, line_table.name) if postgresql else ():
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                        f"(SELECT coalesce(max(id), 1) FROM {name}))"))
    tables = ["customer", *(t.name for _, table, lines in kinds for t in (table, lines))]
    if postgresql:  # statistics, and the visibility map the customer search's index-only walks need
        _in_parallel(engine, [f"VACUUM (ANALYZE) {name}" for name in tables])
    else:
        with engine.begin() as connection:
            for _, table, lines in kinds:
                connection.execute(text(f"ANALYZE {table.name}"))
                connection.execute(text(f"ANALYZE {lines.name}"))


def seed_sales(
    engine: Engine,
    organization_id: int,
    sales: int,
    *,
    orders: int = 0,
    seed: int = 0,
    chunk_size: int = CHUNK,
    progress: Callable[[str, int, float], None] | None = None,
) -> Seeded:
    """Add ``sales`` demo sales and ``orders`` work orders (with their lines) to the organization's
    customers; ``progress(table, done, seconds)`` is called after each chunk."""
    started = time.perf_counter()
    rng = _Random(seed)
    context = _context(engine, organization_id, rng)
    kinds = []
    for kind, count, documents_of in (("sale", sales, _Sales), ("order", orders, _Orders)):
        if count <= 0:
            continue
        with engine.connect() as connection:
            ids = _ids(connection, organization_id, documents_of.table, documents_of.line_table)
        documents = documents_of(context, rng, *ids)
        name = documents.table.name
        _write(engine, documents, count, chunk_size,
               (lambda done, seconds, name=name: progress(name, done, seconds)) if progress else None)
        kinds.append((kind, documents.table, documents.line_table))
    if kinds:
        _finish(engine, organization_id, kinds)
    return Seeded(max(sales, 0), max(orders, 0), time.perf_counter() - started)
