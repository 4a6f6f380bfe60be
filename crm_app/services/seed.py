"""Fast demo data: realistic Latin-American customers, hundreds of thousands per minute.

``seed_customers(engine, organization_id, n, country=..., created_by=...)`` writes customers with
their phones, e-mails and tags straight in SQL (executemany on SQLite, COPY on PostgreSQL) in big
chunks, one transaction per chunk, bypassing the services. The rows are the ones the services would
write (same columns as customer_rows, display/sort names, search text, E.164 phones, valid tax IDs),
so the app cannot tell them apart. The search index is brought up to date at the end in one pass
rather than row by row.

Here: the entry point and the rows' generator. Beside it: seed_vocabulary (names), seed_phones,
seed_chunks (the chunks and their columns), seed_sqlite and seed_postgresql (the writers).

Not for concurrent use with a running app on the same organization (ids are assigned up front).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.engine import Engine

from crm_app.domain.search_text import (
    CONSENT_FACET,
    NAME_KEY_ID_BITS,
    NAME_KEY_ID_MASK,
    name_code,
    normalize,
    search_rest,
)
from crm_app.domain.tax_ids import sample_tax_id, tax_id_types
from crm_app.services.seed_chunks import Chunk, Load, chunks, chunks_in_child
from crm_app.services.seed_phones import DemoPhones
from crm_app.services.seed_postgresql import write_postgresql
from crm_app.services.seed_sqlite import write_sqlite
from crm_app.services.seed_vocabulary import DOMAINS, STREETS, TAG_WEIGHTS, TAGS, NameDraw

log = logging.getLogger("crm_app.seed")

CHUNK = 10_000  # small enough for the writer to start early, big enough per transaction
# Loads of at least this many rows (and at least the table's size) drop the indexes and build them once.
REBUILD_FROM = 50_000


@lru_cache(maxsize=8192)
def _day(day_number: int) -> str:
    return date.fromordinal(_EPOCH_ORDINAL + day_number).isoformat()


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_US = 86_400_000_000


def _timestamp(epoch_us: int, zone: str) -> str:
    """UTC time as the database's text ("2025-03-01 14:05:09.123456"), without datetime objects."""
    day, rest = divmod(epoch_us, _DAY_US)
    hours, rest = divmod(rest, 3_600_000_000)
    minutes, rest = divmod(rest, 60_000_000)
    seconds, micros = divmod(rest, 1_000_000)
    return f"{_day(day)} {hours:02d}:{minutes:02d}:{seconds:02d}.{micros:06d}{zone}"


@lru_cache(maxsize=131072)
def _name_code(sort_name: str) -> int:
    return name_code(sort_name)


class _Random(random.Random):
    """random.Random with cheaper choice/randint/randrange (float based; fine for demo data)."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))




class _Generator:
    """The rows of demo customers, chunk by chunk, in seed_chunks' column orders."""

    def __init__(
        self,
        *,
        organization_id: int,
        country: str,
        seed: int,
        created_by: int | None,
        channel_ids: list[int],
        tag_ids: list[int],
        ids: dict[str, int],
        sqlite: bool,
        taken_tax_ids: set[str],
        pool_size: int,
    ) -> None:
        self.rng = _Random(seed)
        self.org = organization_id
        self.country = country
        self.created_by = created_by
        self.channel_ids = channel_ids
        self.next = dict(ids)
        self.sqlite = sqlite
        self.phones = DemoPhones(country, self.rng)
        self.names = NameDraw(country, self.rng, pool_size)
        self.cities = self.names.cities
        self.person_tax_type = tax_id_types(country, "person")[0]
        self.org_tax_type = tax_id_types(country, "company")[0]
        self.tax_ids = taken_tax_ids
        self.emails_seen: set[str] = set()
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.start = self.now - timedelta(days=3 * 365)
        # Tag sets drawn for tagged customers: one or two tags, weighted.
        self.tag_sets: list[tuple[int, ...]] = []
        for _ in range(512):
            chosen = set(
                self.rng.choices(
                    range(len(tag_ids)),
                    weights=TAG_WEIGHTS[: len(tag_ids)],
                    k=1 if self.rng.random() < 0.7 else 2,
                )
            )
            self.tag_sets.append(tuple(tag_ids[i] for i in sorted(chosen)))

    def _tax_id(self, client_type: str) -> str:
        while True:
            value = sample_tax_id(self.country, client_type, self.rng)
            if value not in self.tax_ids:
                self.tax_ids.add(value)
                return value

    def _email(self, local: str) -> str:
        rng = self.rng
        address = f"{local}{rng.randrange(1000) if rng.random() < 0.6 else ''}@{rng.choice(DOMAINS)}"
        while address in self.emails_seen:
            address = f"{local}{rng.randrange(100_000)}@{rng.choice(DOMAINS)}"
        self.emails_seen.add(address)
        return address

    def _contacts(
        self, chunk: Chunk, customer_id: int, local: str, created: str, search_parts: list[str]
    ) -> tuple[str, bool, str]:
        """Add the customer's e-mail (70 %) and phones (none to two) to the chunk and their search parts
        to ``search_parts``; return (e-mail address, its consent, primary phone)."""
        rng, rnd = self.rng, self.rng.random
        yes, no = (1, 0) if self.sqlite else (True, False)
        address = self._email(local) if rnd() < 0.7 else ""
        accepts = False
        if address:
            search_parts.append(address)
            accepts = rnd() < 0.5
            consent = (yes, created, "import") if accepts else (no, None, "")
            chunk.emails.append((self.next["email"], self.org, customer_id, address, *consent, yes, 0))
            self.next["email"] += 1
        primary_phone = ""
        count_phones = 1 if rnd() < 0.8 else 2 if rnd() < 0.9 else 0
        for position in range(count_phones):
            e164, digits = self.phones.draw(rng)
            if not position:
                primary_phone = e164
            search_parts.append(digits)
            whatsapp, sms = yes if rnd() < 0.7 else no, yes if rnd() < 0.3 else no
            chunk.phones.append(
                (
                    self.next["phone"],
                    self.org,
                    customer_id,
                    e164,
                    e164,
                    "mobile",
                    "",
                    whatsapp,
                    no,
                    sms,
                    yes if position == 0 else no,
                    position,
                )
            )
            self.next["phone"] += 1
        return address, accepts, primary_phone

    def chunk(self, count: int, first_index: int, total: int) -> Chunk:
        rng, org, sqlite = self.rng, self.org, self.sqlite
        rnd = rng.random
        yes, no = (1, 0) if sqlite else (True, False)
        span_us = int((self.now - self.start).total_seconds() * 1_000_000)
        start_us = int(self.start.timestamp()) * 1_000_000
        zone = "" if sqlite else "+00"  # SQLite keeps naive UTC text; COPY parses it as timestamptz
        chunk, draw_names = Chunk([], [], [], []), self.names.draw
        for k in range(count):
            customer_id = self.next["customer"]
            self.next["customer"] += 1
            client_type, first, last, legal, trade, contact, display, sort_name, parts, local = draw_names()
            search_parts = list(parts)
            person = client_type == "person"
            birthday = None
            if person and rnd() < 0.4:
                birthday = f"{1945 + int(rnd() * 60)}-{1 + int(rnd() * 12):02d}-{1 + int(rnd() * 28):02d}"
            if not person or rnd() < 0.55:
                tax_type = self.person_tax_type if person else self.org_tax_type
                tax_id = self._tax_id(client_type)
                search_parts.append(tax_id.lower())
            else:
                tax_type, tax_id = "", None
            loyalty = None
            if rnd() < 0.15:
                loyalty = f"L{customer_id:08d}"
                search_parts.append(loyalty.lower())
            created = _timestamp(start_us + int(span_us * (first_index + k + rnd()) / total), zone)
            address, accepts, primary_phone = self._contacts(chunk, customer_id, local, created, search_parts)
            tag_set = self.tag_sets[int(rnd() * 512)] if rnd() < 0.35 else ()
            chunk.tags.extend((customer_id, tag_id, org) for tag_id in tag_set)
            city = rng.choice(self.cities) if rnd() < 0.8 else ""
            credit = rng.randrange(5, 500) * 100 if rnd() < 0.1 else None
            discount = rng.choice((5, 10, 15)) if rnd() < 0.1 else 0
            search = " ".join(dict.fromkeys(search_parts))
            chunk.customers.append(
                (
                    customer_id,
                    org,
                    client_type,
                    first,
                    last,
                    legal,
                    trade,
                    contact,
                    display,
                    sort_name[:200],
                    tax_type,
                    tax_id,
                    loyalty,
                    birthday,
                    f"{rng.choice(STREETS)} {rng.randint(1, 2000)}" if city else "",
                    city,
                    "",
                    "",
                    self.country if city else "",
                    None,
                    None,
                    credit,
                    discount,
                    rng.choice(self.channel_ids) if self.channel_ids and rnd() < 0.7 else None,
                    "",
                    yes if rnd() < 0.03 else no,
                    yes if rnd() < 0.01 else no,
                    "import",
                    search,
                    primary_phone,
                    address,
                    created,
                    self.created_by,
                    created,
                    self.created_by,
                    1,
                    (_name_code(sort_name) << NAME_KEY_ID_BITS) | customer_id,
                )
                # PostgreSQL's columns that its triggers would compute (migrations 0008, 0009).
                + (
                    ()
                    if sqlite
                    else (
                        [CONSENT_FACET, *tag_set] if accepts else list(tag_set),
                        search_rest(search, sort_name[:200]),
                    )
                )
            )
        return chunk


def _setup(engine: Engine, organization_id: int, language: str) -> tuple[list[int], list[int]]:
    """The organization's channel ids (defaults created if none) and the demo tags' ids."""
    from sqlmodel import Session

    from crm_app.models import Tag
    from crm_app.services.customer_choices import ensure_default_channels

    with Session(engine) as session:
        ensure_default_channels(session, organization_id, language)
        tag_ids = []
        for name in TAGS:
            key = normalize(name)
            found = session.execute(
                text("SELECT id FROM tag WHERE organization_id = :org AND normalized = :key"),
                {"org": organization_id, "key": key},
            ).scalar()
            if found is None:
                tag = Tag(organization_id=organization_id, name=name, normalized=key)
                session.add(tag)
                session.flush()
                found = tag.id
            tag_ids.append(found)
        session.commit()
        channel_ids = list(
            session.execute(
                text(
                    "SELECT id FROM acquisition_channel WHERE organization_id = :org AND is_active = :yes "
                    "ORDER BY position"
                ),
                {"org": organization_id, "yes": True},
            ).scalars()
        )
    return channel_ids, tag_ids


def seed_customers(
    engine: Engine,
    organization_id: int,
    n: int,
    *,
    country: str,
    seed: int = 0,
    created_by: int | None = None,
    chunk_size: int = CHUNK,
    progress: Callable[[int, float], None] | None = None,
    parallel: bool | None = None,
) -> int:
    """Add ``n`` demo customers to the organization; return how many were written.

    ``country`` decides names' style, phone numbers and tax ID schemes (pass the organization's);
    ``created_by`` is the user shown as their creator; ``progress(done, seconds)`` is called per chunk.
    """
    if n <= 0:
        return 0
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT language FROM organization WHERE id = :id"), {"id": organization_id}
        ).first()
        if row is None:
            raise ValueError(f"organization {organization_id} does not exist")
        ids = {
            name: (connection.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0) + 1
            for name, table in (
                ("customer", "customer"),
                ("phone", "customer_phone"),
                ("email", "customer_email"),
            )
        }
        taken = set(
            connection.execute(
                text("SELECT tax_id FROM customer WHERE organization_id = :org AND tax_id IS NOT NULL"),
                {"org": organization_id},
            ).scalars()
        )
        existing = connection.execute(text("SELECT count(*) FROM customer")).scalar()
    if ids["customer"] + n > NAME_KEY_ID_MASK:
        raise ValueError("customer ids would not fit the search index's name keys")
    channel_ids, tag_ids = _setup(engine, organization_id, row[0])
    mark = time.perf_counter()
    generator = _Generator(
        organization_id=organization_id,
        country=country.upper(),
        seed=seed,
        created_by=created_by,
        channel_ids=channel_ids,
        tag_ids=tag_ids,
        ids=ids,
        sqlite=engine.dialect.name == "sqlite",
        taken_tax_ids=taken,
        pool_size=n,
    )
    log.info("seed: generator ready in %.1f s", time.perf_counter() - mark)
    if parallel is None:  # generating in a second process pays off from the second core on
        parallel = (
            n >= 4 * chunk_size
            and (os.cpu_count() or 1) >= 2
            and "fork" in multiprocessing.get_all_start_methods()
        )
    stream = chunks_in_child(generator, n, chunk_size) if parallel else chunks(generator, n, chunk_size)
    write = write_sqlite if engine.dialect.name == "sqlite" else write_postgresql
    # A load at least as big as what is there: sorting once (CREATE INDEX) beats n random inserts.
    rebuild = n >= max(existing, REBUILD_FROM)
    write(engine, Load(stream, ids["customer"], rebuild, progress))
    return n
