"""Fast demo data: realistic Latin-American customers, hundreds of thousands per minute.

``seed_customers(engine, organization_id, n, country=..., created_by=...)`` writes customers with
their phones, e-mails and tags straight in SQL (executemany on SQLite, COPY on PostgreSQL) in big
chunks, one transaction per chunk, bypassing the services. The rows are the ones the services would
write (same display/sort names, search text, E.164 phones, valid tax IDs), so the app cannot tell them
apart. The search index is brought up to date at the end in one pass rather than row by row.

Not for concurrent use with a running app on the same organization (ids are assigned up front).
"""

from __future__ import annotations

import logging
import marshal
import multiprocessing
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

import phonenumbers
from sqlalchemy import text
from sqlalchemy.engine import Engine

from crm_app.domain.phones import phone_digits
from crm_app.domain.search_text import (
    CONSENT_FACET,
    NAME_KEY_ID_BITS,
    NAME_KEY_ID_MASK,
    name_code,
    normalize,
    search_rest,
)
from crm_app.domain.tax_ids import sample_tax_id, tax_id_types

log = logging.getLogger("crm_app.seed")

CHUNK = 10_000  # small enough for the writer to start early, big enough per transaction
# Loads of at least this many rows (and at least the table's size) drop the indexes and build them once.
REBUILD_FROM = 50_000
PEOPLE_POOL = 40_000
SORT_THREADS = 2
PARALLEL_MAINTENANCE = 2  # PostgreSQL connections building indexes / vacuuming at once after a load
FTS_LOAD_HASHSIZE = 64 * 1024 * 1024  # bytes of tokens FTS5 buffers before writing a segment...
FTS_DEFAULT_HASHSIZE = 1024 * 1024  # ...during the seed, and otherwise (FTS5's default)

# fmt: off
FEMALE = (
    "María", "Ana", "Lucía", "Sofía", "Valentina", "Camila", "Isabella", "Daniela", "Gabriela", "Fernanda",
    "Ximena", "Renata", "Mariana", "Paula", "Andrea", "Carolina", "Verónica", "Mónica", "Patricia", "Rocío",
    "Inés", "Belén", "Marisol", "Gloria", "Rosa", "Carmen", "Teresa", "Elena", "Natalia", "Adriana",
    "Lorena", "Diana", "Jimena", "Florencia", "Agustina", "Martina", "Antonella", "Catalina", "Josefina",
    "Guadalupe", "Leticia", "Beatriz", "Alejandra", "Claudia", "Sandra", "Liliana", "Esperanza", "Pilar",
    "Ángela", "Noemí", "Raquel", "Silvia", "Yolanda", "Zoila", "Margarita", "Maribel", "Dolores", "Soledad",
    "María José", "Ana María", "María Fernanda", "Luz María",
)
MALE = (
    "José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Pedro", "Andrés", "Martín", "Mateo", "Sebastián",
    "Nicolás", "Diego", "Alejandro", "Santiago", "Daniel", "David", "Gabriel", "Samuel", "Tomás", "Joaquín",
    "Julián", "Emilio", "Rubén", "Héctor", "Víctor", "Ramón", "Raúl", "Óscar", "Iván", "Ángel", "Jesús",
    "Fernando", "Francisco", "Manuel", "Ricardo", "Eduardo", "Roberto", "Sergio", "Pablo", "Marco",
    "Esteban", "Felipe", "Gustavo", "Hugo", "Ignacio", "Javier", "Lorenzo", "Mauricio", "Rodrigo", "Wilson",
    "Xavier", "Álvaro", "Agustín", "Benjamín", "Cristóbal", "Efraín", "Germán", "Simón", "Leonardo",
    "Juan Pablo", "José Luis", "Juan Carlos", "Luis Fernando",
)
SURNAMES = (
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
    "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso",
    "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano",
    "Blanco", "Suárez", "Molina", "Morales", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín",
    "Núñez", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano",
    "Prieto", "Méndez", "Cruz", "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores",
    "Cabrera", "Campos", "Vega", "Fuentes", "Carrasco", "Caballero", "Reyes", "Nieto", "Aguilar", "Pascual",
    "Santana", "Montero", "Hidalgo", "Ibáñez", "Ferrer", "Durán", "Benítez", "Mora", "Vargas", "Arias",
    "Carmona", "Crespo", "Román", "Soto", "Velasco", "Parra", "Bravo", "Rojas", "Quispe", "Mamani",
    "Chávez", "Salazar", "Paredes", "Zambrano", "Villacís", "Andrade", "Mejía", "Cárdenas", "Ríos",
    "Espinoza", "Guzmán", "Valencia", "Córdova", "Bustamante", "Sarmiento", "Cevallos", "Jaramillo",
    "Arévalo", "Benavides", "Cisneros", "Escobar", "Figueroa", "Montalvo", "Ocampo", "Palacios", "Quintero",
    "Rivadeneira", "Toapanta", "Yépez", "Zúñiga", "Acosta", "Bermúdez", "Calderón", "Carvajal",
    "Echeverría", "Maldonado", "Ordóñez",
)
COMPANY_FIRST = (
    "Ferretería", "Distribuidora", "Comercial", "Importadora", "Panadería", "Farmacia", "Inversiones",
    "Constructora", "Servicios", "Tecnología", "Agrícola", "Textiles", "Transportes", "Consultores",
    "Grupo", "Librería", "Papelería", "Mueblería", "Lavandería", "Clínica", "Laboratorio", "Hotel",
    "Restaurante", "Cafetería", "Florería", "Óptica", "Talleres", "Exportadora", "Industrias", "Pinturas",
)
COMPANY_SECOND = (
    "Andina", "del Pacífico", "El Sol", "La Esperanza", "San José", "Los Andes", "Santa María", "Amazonas",
    "Central", "Express", "Global", "del Norte", "del Sur", "Continental", "Nacional", "La Económica",
    "El Progreso", "Miraflores", "La Favorita", "Dos Hermanos", "San Martín", "El Roble", "Primavera",
    "Cóndor", "Galápagos", "Chimborazo", "Volcán", "Horizonte", "Santa Lucía", "El Dorado",
)
LEGAL_SUFFIXES = {
    "EC": ("S.A.", "Cía. Ltda.", "S.A.S."),
    "CO": ("S.A.S.", "S.A.", "Ltda."),
    "MX": ("S.A. de C.V.", "S. de R.L."),
    "PE": ("S.A.C.", "S.A.", "E.I.R.L."),
    "CL": ("SpA", "Ltda.", "S.A."),
    "AR": ("S.A.", "S.R.L."),
}
GOVERNMENT = (
    "Municipio de", "Gobierno Provincial de", "Hospital General de", "Universidad Estatal de",
    "Empresa Pública de Agua de", "Unidad Educativa Fiscal de",
)
CITIES = {
    "EC": ("Quito", "Guayaquil", "Cuenca", "Ambato", "Manta", "Loja", "Riobamba", "Ibarra", "Machala"),
    "CO": ("Bogotá", "Medellín", "Cali", "Barranquilla", "Cartagena", "Bucaramanga", "Pereira"),
    "MX": ("Ciudad de México", "Guadalajara", "Monterrey", "Puebla", "Querétaro", "Mérida", "León"),
    "PE": ("Lima", "Arequipa", "Trujillo", "Cusco", "Piura", "Chiclayo"),
    "CL": ("Santiago", "Valparaíso", "Concepción", "Antofagasta", "Temuco"),
    "AR": ("Buenos Aires", "Córdoba", "Rosario", "Mendoza", "La Plata", "Salta"),
}
STREETS = (
    "Av. Amazonas", "Calle Bolívar", "Av. 10 de Agosto", "Calle Sucre", "Av. Libertador",
    "Calle Rocafuerte", "Av. de los Shyris", "Calle García Moreno", "Av. Colón", "Calle Olmedo",
)
DOMAINS = (
    "gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "icloud.com", "live.com",
)
TAGS = (
    "VIP", "Mayorista", "Frecuente", "Nuevo", "Corporativo", "Referido", "Crédito", "Moroso",
)
TAG_WEIGHTS = (
    5, 8, 20, 15, 6, 10, 6, 2,
)
# fmt: on


@dataclass(frozen=True)
class _Name:
    text: str
    key: str  # normalized (search text, sort name)
    ascii: str  # for e-mail local parts: "maria jose" -> "mariajose"


def _names(values: tuple[str, ...]) -> list[_Name]:
    return [_Name(v, normalize(v), normalize(v).replace(" ", "")) for v in values]


class _Phones:
    """Valid, unique mobile numbers of a country, made by string operations (phonenumbers is slow).

    A few valid numbers found at start give prefixes; each number is a prefix + random digits. The
    national digit string indexed for search is derived the way phone_digits computes it, checked on
    samples; countries where it is not a plain "trunk prefix + national number" use phone_digits.
    """

    def __init__(self, country: str, rng: random.Random) -> None:
        self.region = country
        example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
        if example is None:  # an unknown region: Ecuadorian numbers, still valid
            self.region, example = (
                "EC",
                phonenumbers.example_number_for_type("EC", phonenumbers.PhoneNumberType.MOBILE),
            )
        self.code = str(example.country_code)
        nsn = str(example.national_number)
        self.tail = min(6, len(nsn) - 2)
        head_len = len(nsn) - self.tail
        prefixes: set[str] = {nsn[:head_len]}
        for head in range(100):  # vary the head's last two digits, keep those giving valid mobiles
            candidate = nsn[: head_len - 2] + f"{head:02d}"
            if all(
                self._mobile(candidate + f"{rng.randrange(10**self.tail):0{self.tail}d}") for _ in range(30)
            ):
                prefixes.add(candidate)
        self.prefixes = sorted(p for p in prefixes if self._mobile(p + "0" * self.tail))
        self.trunk = self._trunk(rng)
        self.seen: set[str] = set()

    def _mobile(self, nsn: str) -> bool:
        number = phonenumbers.parse("+" + self.code + nsn)
        return phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )

    def _trunk(self, rng: random.Random) -> str | None:
        trunks = set()
        for prefix in self.prefixes[:10]:
            nsn = prefix + f"{rng.randint(0, 10**self.tail - 1):0{self.tail}d}"
            tokens = phone_digits("+" + self.code + nsn, self.region).split()
            if len(tokens) != 2 or tokens[0] != self.code + nsn or not tokens[1].endswith(nsn):
                return None
            trunks.add(tokens[1][: -len(nsn)])
        return trunks.pop() if len(trunks) == 1 else None

    def draw(self, rng: random.Random) -> tuple[str, str]:
        """(E.164, search digits) of a number not drawn before."""
        while True:
            nsn = rng.choice(self.prefixes) + f"{rng.randrange(10**self.tail):0{self.tail}d}"
            if nsn not in self.seen:
                self.seen.add(nsn)
                break
        e164 = "+" + self.code + nsn
        digits = (
            f"{self.code}{nsn} {self.trunk}{nsn}"
            if self.trunk is not None
            else phone_digits(e164, self.region)
        )
        return e164, digits


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


@lru_cache(maxsize=65536)
def _normalized(value: str) -> str:
    return normalize(value)


@lru_cache(maxsize=131072)
def _name_code(sort_name: str) -> int:
    return name_code(sort_name)


_CUSTOMER_COLUMNS = (
    "id",
    "organization_id",
    "client_type",
    "first_name",
    "last_name",
    "legal_name",
    "trade_name",
    "contact_name",
    "display_name",
    "sort_name",
    "tax_id_type",
    "tax_id",
    "loyalty_id",
    "birthday",
    "street",
    "city",
    "region",
    "postal_code",
    "address_country",
    "latitude",
    "longitude",
    "credit_limit",
    "discount_percent",
    "channel_id",
    "notes",
    "is_supplier",
    "is_conflictive",
    "source",
    "search_text",
    "primary_phone_e164",
    "primary_email",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "version",
    "name_key",
)
# PostgreSQL only, set by triggers the seed skips: the customer's tag ids and e-mail consent
# (migration 0008), his search text without his first word (0009).
_PG_COLUMNS = ("search_facets", "search_rest")
_PHONE_COLUMNS = (
    "id",
    "organization_id",
    "customer_id",
    "raw",
    "e164",
    "kind",
    "label",
    "whatsapp",
    "viber",
    "sms",
    "is_primary",
    "position",
)
_EMAIL_COLUMNS = (
    "id",
    "organization_id",
    "customer_id",
    "address",
    "accepts_email",
    "consent_at",
    "consent_source",
    "is_primary",
    "position",
)
_TAG_COLUMNS = ("customer_id", "tag_id", "organization_id")


@dataclass
class _Chunk:
    customers: list[tuple]
    phones: list[tuple]
    emails: list[tuple]
    tags: list[tuple]


class _Random(random.Random):
    """random.Random with cheaper choice/randint/randrange (float based; fine for demo data)."""

    def choice(self, seq):  # noqa: D102
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:  # noqa: D102
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # noqa: D102
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))


class _Generator:
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
        pool_size: int = PEOPLE_POOL,
    ) -> None:
        self.rng = _Random(seed)
        self.org = organization_id
        self.country = country
        self.created_by = created_by
        self.channel_ids = channel_ids
        self.tag_ids = tag_ids
        self.next = dict(ids)
        self.sqlite = sqlite
        self.given = _names(FEMALE) + _names(MALE)
        self.surnames = _names(SURNAMES)
        self.phones = _Phones(country, self.rng)
        self.suffixes = LEGAL_SUFFIXES.get(country, ("S.A.",))
        self.cities = CITIES.get(country, CITIES["EC"])
        self.person_tax_type = tax_id_types(country, "person")[0]
        self.org_tax_type = tax_id_types(country, "company")[0]
        self.tax_ids = taken_tax_ids
        self.emails_seen: set[str] = set()
        # People are drawn from a pool of name combinations (a real base has many "María García" too).
        self.pool = min(PEOPLE_POOL, max(pool_size, 100))
        self.people = [self._person() for _ in range(self.pool)]
        self.now = datetime.now(timezone.utc).replace(microsecond=0)
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

    def _person(self) -> tuple[str, str, str, str, str, str]:
        """(first name, last name, display name, sort name, search names, e-mail local part)."""
        rng = self.rng
        given, s1 = rng.choice(self.given), rng.choice(self.surnames)
        if rng.random() < 0.85:
            s2 = rng.choice(self.surnames)
            last, last_key = f"{s1.text} {s2.text}", f"{s1.key} {s2.key}"
        else:
            last, last_key = s1.text, s1.key
        local = f"{given.ascii}.{s1.ascii}" if rng.random() < 0.7 else f"{given.ascii[0]}{s1.ascii}"
        sort_name = f"{given.key} {last_key}"
        # As customer_search_text: first and last name are separate parts, and equal parts count once.
        search = given.key if given.key == last_key else sort_name
        return given.text, last, f"{given.text} {last}", sort_name, search, local

    def chunk(self, count: int, first_index: int, total: int) -> _Chunk:
        rng, org, sqlite = self.rng, self.org, self.sqlite
        rnd = rng.random
        yes, no = (1, 0) if sqlite else (True, False)
        span_us = int((self.now - self.start).total_seconds() * 1_000_000)
        start_us = int(self.start.timestamp()) * 1_000_000
        zone = "" if sqlite else "+00"  # SQLite keeps naive UTC text; COPY parses it as timestamptz
        customers, phones, emails, tags = [], [], [], []
        add_customer, add_phone, add_email, add_tags = (
            customers.append,
            phones.append,
            emails.append,
            tags.extend,
        )
        for k in range(count):
            customer_id = self.next["customer"]
            self.next["customer"] += 1
            roll = rnd()
            first = last = legal = trade = contact = ""
            birthday = None
            if roll < 0.86:
                client_type = "person"
                first, last, display, sort_name, search, local = self.people[int(rnd() * self.pool)]
                name_keys = [search]
                if rnd() < 0.4:
                    birthday = f"{1945 + int(rnd() * 60)}-{1 + int(rnd() * 12):02d}-{1 + int(rnd() * 28):02d}"
            elif roll < 0.97:
                client_type = "company"
                trade = f"{rng.choice(COMPANY_FIRST)} {rng.choice(COMPANY_SECOND)}"
                legal = f"{trade} {rng.choice(self.suffixes)}"
                if rnd() < 0.7:
                    given, s1 = rng.choice(self.given), rng.choice(self.surnames)
                    contact, contact_key = f"{given.text} {s1.text}", f"{given.key} {s1.key}"
                display, sort_name = trade, _normalized(trade)
                name_keys = [_normalized(legal), sort_name] + ([contact_key] if contact else [])
                local = rng.choice(("ventas", "info", "contabilidad", "compras", "gerencia"))
            else:
                client_type = "government"
                legal = f"{rng.choice(GOVERNMENT)} {rng.choice(self.cities)}"
                display, sort_name = legal, _normalized(legal)
                name_keys = [sort_name]
                local = rng.choice(("compras", "tesoreria", "info", "adquisiciones"))
            if client_type != "person" or rnd() < 0.55:
                tax_type = self.person_tax_type if client_type == "person" else self.org_tax_type
                tax_id = self._tax_id(client_type)
                name_keys.append(tax_id.lower())
            else:
                tax_type, tax_id = "", None
            loyalty = None
            if rnd() < 0.15:
                loyalty = f"L{customer_id:08d}"
                name_keys.append(loyalty.lower())
            created_value = _timestamp(start_us + int(span_us * (first_index + k + rnd()) / total), zone)
            address = self._email(local) if rnd() < 0.7 else ""
            accepts = False
            if address:
                name_keys.append(address)
                accepts = rnd() < 0.5
                add_email(
                    (
                        self.next["email"],
                        org,
                        customer_id,
                        address,
                        yes if accepts else no,
                        created_value if accepts else None,
                        "import" if accepts else "",
                        yes,
                        0,
                    )
                )
                self.next["email"] += 1
            primary_phone = ""
            count_phones = 1 if rnd() < 0.8 else 2 if rnd() < 0.9 else 0
            for position in range(count_phones):
                e164, digits = self.phones.draw(rng)
                if not position:
                    primary_phone = e164
                name_keys.append(digits)
                add_phone(
                    (
                        self.next["phone"],
                        org,
                        customer_id,
                        e164,
                        e164,
                        "mobile",
                        "",
                        yes if rnd() < 0.7 else no,
                        no,
                        yes if rnd() < 0.3 else no,
                        yes if position == 0 else no,
                        position,
                    )
                )
                self.next["phone"] += 1
            tag_set = self.tag_sets[int(rnd() * 512)] if rnd() < 0.35 else ()
            add_tags((customer_id, tag_id, org) for tag_id in tag_set)
            city = rng.choice(self.cities) if rnd() < 0.8 else ""
            credit = rng.randrange(5, 500) * 100 if rnd() < 0.1 else None
            discount = rng.choice((5, 10, 15)) if rnd() < 0.1 else 0
            search = " ".join(dict.fromkeys(name_keys))
            add_customer(
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
                    created_value,
                    self.created_by,
                    created_value,
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
        return _Chunk(customers, phones, emails, tags)


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
    chunks = _chunks_in_child(generator, n, chunk_size) if parallel else _chunks(generator, n, chunk_size)
    if engine.dialect.name == "sqlite":
        _write_sqlite(engine, chunks, ids["customer"], n, progress)
    else:
        _write_postgresql(engine, chunks, ids["customer"], n, progress)
    return n


def _chunks(generator: _Generator, n: int, size: int) -> Iterator[_Chunk]:
    done = 0
    while done < n:
        count = min(size, n - done)
        yield generator.chunk(count, done, n)
        done += count


def _produce(connection, generator: _Generator, n: int, size: int) -> None:
    """Child process: generate the chunks and send them marshalled (an empty message ends the stream)."""
    try:
        for chunk in _chunks(generator, n, size):
            connection.send_bytes(marshal.dumps((chunk.customers, chunk.phones, chunk.emails, chunk.tags)))
    finally:
        connection.send_bytes(b"")
        connection.close()


def _chunks_in_child(generator: _Generator, n: int, size: int) -> Iterator[_Chunk]:
    """The same chunks as _chunks, generated by a forked process while this one writes the previous
    chunk (generation is pure Python and costs as much as the inserts). Values are plain (str, int,
    bool, None): marshal carries them."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(sender, generator, n, size), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            message = receiver.recv_bytes()
            if not message:
                break
            yield _Chunk(*marshal.loads(message))
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()
    if child.exitcode not in (0, None):
        raise RuntimeError(f"seed generator process failed (exit code {child.exitcode})")


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


_SEED_TABLES = ("customer", "customer_phone", "customer_email", "customer_tag")


def _write_sqlite(
    engine: Engine,
    chunks: Iterator[_Chunk],
    first_id: int,
    n: int,
    progress: Callable[[int, float], None] | None,
) -> None:
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
        tables = ", ".join(f"'{t}'" for t in _SEED_TABLES)
        # The FTS triggers would tokenize row by row: the new rows are indexed in one pass at the end.
        triggers = cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customer' "
            "AND name LIKE 'customer_fts_%'"
        ).fetchall()
        # A load at least as big as what is there: sorting once (CREATE INDEX) beats n random inserts.
        existing = cursor.execute("SELECT count(*) FROM customer").fetchone()[0]
        indexes = (
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({tables})"
            ).fetchall()
            if n >= max(existing, REBUILD_FROM)
            else []
        )
        for name, _ in triggers:
            cursor.execute(f"DROP TRIGGER {name}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        db.commit()
        started, done = time.perf_counter(), 0
        try:
            for chunk in chunks:
                cursor.execute("BEGIN")
                cursor.executemany(_insert("customer", _CUSTOMER_COLUMNS), chunk.customers)
                cursor.executemany(_insert("customer_phone", _PHONE_COLUMNS), chunk.phones)
                cursor.executemany(_insert("customer_email", _EMAIL_COLUMNS), chunk.emails)
                cursor.executemany(_insert("customer_tag", _TAG_COLUMNS), chunk.tags)
                db.commit()
                done += len(chunk.customers)
                if progress:
                    progress(done, time.perf_counter() - started)
        finally:
            if db.in_transaction:
                db.rollback()
            log.info("seed: %d customers written in %.1f s", done, time.perf_counter() - started)
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
            cursor.execute("PRAGMA optimize")
            cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
            cursor.execute("PRAGMA temp_store=DEFAULT")
            cursor.execute("PRAGMA threads=0")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
    finally:
        raw.close()


def _fts_hashsize(cursor, size: int) -> None:
    cursor.execute("INSERT INTO customer_fts(customer_fts, rank) VALUES ('hashsize', ?)", (size,))


def _write_postgresql(
    engine: Engine,
    chunks: Iterator[_Chunk],
    first_id: int,
    n: int,
    progress: Callable[[int, float], None] | None,
) -> None:
    raw = engine.raw_connection()
    try:
        db = raw.driver_connection
        db.commit()
        started, done = time.perf_counter(), 0
        # A load at least as big as the table: building the indexes once (the trigram one above all)
        # is much faster than updating them row by row. Constraint indexes (primary keys) stay.
        indexes: list[tuple[str, str]] = []
        with db.cursor() as cursor:
            existing = cursor.execute("SELECT count(*) FROM customer").fetchone()[0]
            if n >= max(existing, REBUILD_FROM):
                indexes = cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                    "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                    (list(_SEED_TABLES),),
                ).fetchall()
                cursor.execute("SET LOCAL lock_timeout = '10s'")  # fail, not hang, behind a transaction
                for name, _ in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
                db.commit()
        # Foreign keys hold by construction: without their per-row checks (one trigger query per
        # reference) COPY is about three times faster. Only a superuser may skip them, and the
        # "replica" role skips every trigger of these tables: like the rest of the seed, it bypasses
        # what the services would do (no feed events for demo customers).
        skip_checks = _skip_foreign_key_checks(db)
        try:
            for chunk in chunks:
                with db.cursor() as cursor:
                    if skip_checks:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                    for table, columns, rows in (
                        ("customer", _CUSTOMER_COLUMNS + _PG_COLUMNS, chunk.customers),
                        ("customer_phone", _PHONE_COLUMNS, chunk.phones),
                        ("customer_email", _EMAIL_COLUMNS, chunk.emails),
                        ("customer_tag", _TAG_COLUMNS, chunk.tags),
                    ):
                        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                            for values in rows:
                                copy.write_row(values)
                db.commit()
                done += len(chunk.customers)
                if progress:
                    progress(done, time.perf_counter() - started)
        finally:
            log.info("seed: %d customers written in %.1f s", done, time.perf_counter() - started)
            with db.cursor() as cursor:
                # The first words the search_rest trigger would list (migration 0009).
                cursor.execute(
                    "INSERT INTO customer_first_word (organization_id, word) "
                    "SELECT DISTINCT organization_id, word "
                    "FROM customer, customer_first_word_of(sort_name) AS word "
                    "WHERE id >= %s AND word IS NOT NULL ON CONFLICT DO NOTHING",
                    (first_id,),
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
            _in_parallel(engine, [f"VACUUM (ANALYZE) {table}" for table in _SEED_TABLES])
    finally:
        raw.close()


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
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
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
