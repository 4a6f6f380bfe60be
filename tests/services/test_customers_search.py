"""The customer list: search, filters, keyset pages (both search plans) and the demo seed."""

from __future__ import annotations

import random
import time

import phonenumbers
import pytest
from sqlalchemy import select, text

from crm_app.domain.customers import CustomerInput, CustomerQuery, EmailInput, PhoneInput
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.search_text import customer_search_text, first_word, normalize, search_rest
from crm_app.domain.tax_ids import validate_tax_id
from crm_app.models import Customer, CustomerEmail, CustomerPhone
from crm_app.services import customer_search, customers, seed, tag_admin
from tests.db import run_like_app
from tests.factories import make_org

FIRST = (
    "José",
    "María",
    "Ana",
    "Luis",
    "Sofía",
    "Andrés",
    "Lucía",
    "Martín",
    "Camila",
    "Jorge",
    "Inés",
    "Raúl",
)
LAST = ("Pérez", "González", "Álvarez", "Muñoz", "Ramírez", "Núñez", "Jofre", "Castro", "Vega", "Ortiz")
TAGS = ("VIP", "Mayorista", "Crédito")


def force_plan(monkeypatch, plan: str) -> None:
    """Make every list query use ``plan`` when it can ("" = choose as usual)."""
    if not plan:
        return
    original = customer_search.backend.find

    def find(session, p, after, n, force):
        usable = {
            "walk": True,
            "candidates": bool(p.drivers),
            "scan": bool(p.fts_match) and p.sort_field == "name",
        }[plan]
        return original(session, p, after, n, plan if usable else "")

    monkeypatch.setattr(customer_search.backend, "find", find)


def create(session, actor, data):
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def listing(session, actor, **query):
    return customers.list_customers(session=session, actor=actor, query=CustomerQuery(**query))


def names(session, actor, **query) -> list[str]:
    return [row.display_name for row in listing(session, actor, **query).rows]


@pytest.fixture
def shop(session):
    """An Ecuadorian organization with a few well-known customers."""
    _org, admin = make_org(session, country="EC")
    channels = customers.list_channels(session=session, actor=admin)
    known = {
        "jose": create(
            session,
            admin,
            CustomerInput(
                first_name="José",
                last_name="Pérez Gómez",
                tax_id="1710034065",
                loyalty_id="FID-2040",
                phones=(PhoneInput("099 123 4567"),),
                emails=(EmailInput("mperez@gmail.com", accepts_email=True),),
                tags=("VIP", "Crédito"),
                channel_id=channels[0][0],
            ),
        ),
        "ana": create(
            session,
            admin,
            CustomerInput(
                first_name="Ana",
                last_name="Jofre",
                phones=(PhoneInput("0987654321"),),
                tags=("VIP",),
                emails=(EmailInput("ana.jofre@hotmail.com"),),
                is_conflictive=True,
            ),
        ),
        "andina": create(
            session,
            admin,
            CustomerInput(
                client_type="company",
                legal_name="Ferretería Andina Cía. Ltda.",
                trade_name="Ferretería Andina",
                is_supplier=True,
                channel_id=channels[1][0],
            ),
        ),
        "quito": create(
            session, admin, CustomerInput(client_type="government", legal_name="Municipio de Quito")
        ),
    }
    return admin, known


@pytest.mark.parametrize("plan", ["", "walk", "candidates", "scan"])
def test_search_finds_names_phones_ids_and_emails(session, shop, monkeypatch, plan):
    admin, _ = shop
    if plan:
        force_plan(monkeypatch, plan)
    jose = ["José Pérez Gómez"]
    for term in (
        "perez",
        "PÉREZ",
        "rez",
        "jose perez",
        "perez jose",
        "gomez  perez",
        "0991",
        "9912",
        "+593 99 123 4567",
        "099-123-4567",
        "593991234567",
        "mperez@gmail.com",
        "@gmail",
        "1710034065",
        "17100",
        "171003406-5",
        "fid-2040",
        "2040",
        "jo",
        "jose p",
        "j",
    ):
        assert names(session, admin, search=term) == jose, term
    assert names(session, admin, search="ferret") == ["Ferretería Andina"]
    assert names(session, admin, search="cia. ltda") == [
        "Ferretería Andina"
    ]  # the legal name is searched too
    assert names(session, admin, search="an") == ["Ana Jofre"]  # 2 letters: start of the name
    assert names(session, admin, search="17") == jose  # 1-2 digits: start of the tax ID
    assert names(session, admin, search="ana jofre") == ["Ana Jofre"]
    assert names(session, admin, search="zzz") == []
    assert names(session, admin, search="jose ana") == []  # all terms must match
    assert names(session, admin, search="%") == [] and names(session, admin, search="_a") == []
    assert sorted(names(session, admin, search="a")) == ["Ana Jofre"]


@pytest.mark.parametrize("plan", ["", "walk", "candidates", "scan"])
def test_filters(session, shop, monkeypatch, plan):
    admin, _ = shop
    if plan:
        force_plan(monkeypatch, plan)
    channels = customers.list_channels(session=session, actor=admin)
    assert names(session, admin, client_type="company") == ["Ferretería Andina"]
    assert names(session, admin, client_type="government") == ["Municipio de Quito"]
    assert names(session, admin, tags=("vip",)) == ["Ana Jofre", "José Pérez Gómez"]
    assert names(session, admin, tags=("VIP", "credito")) == ["José Pérez Gómez"]
    assert names(session, admin, tags=("VIP", "no existe")) == []
    assert names(session, admin, supplier=True) == ["Ferretería Andina"]
    assert names(session, admin, supplier=False, conflictive=False) == [
        "José Pérez Gómez",
        "Municipio de Quito",
    ]
    assert names(session, admin, conflictive=True) == ["Ana Jofre"]
    assert names(session, admin, channel_id=channels[0][0]) == ["José Pérez Gómez"]
    assert names(session, admin, channel_id=channels[1][0], supplier=True) == ["Ferretería Andina"]
    assert names(session, admin, accepts_email=True) == ["José Pérez Gómez"]
    assert names(session, admin, accepts_email=False) == [
        "Ana Jofre",
        "Ferretería Andina",
        "Municipio de Quito",
    ]
    assert names(session, admin, search="jofre", tags=("VIP",), conflictive=True) == ["Ana Jofre"]
    assert names(session, admin, search="jofre", conflictive=False) == []


def test_rows_carry_the_list_columns(session, shop):
    admin, known = shop
    (row,) = listing(session, admin, search="jose").rows
    assert row.id == known["jose"].id and row.client_type == "person"
    assert row.primary_phone == "099 123 4567" and row.primary_email == "mperez@gmail.com"
    assert row.tax_id_formatted == "1710034065" and row.tags == ("Crédito", "VIP")
    assert not row.is_supplier and not row.is_conflictive and row.created_at == known["jose"].created_at


def test_bad_queries_are_refused(session, shop):
    admin, _ = shop
    for query in (
        CustomerQuery(after="not a cursor"),
        CustomerQuery(sort="price"),
        CustomerQuery(client_type="x"),
    ):
        with pytest.raises(ValidationFailed):
            customers.list_customers(session=session, actor=admin, query=query)
    page = listing(session, admin, limit=1)
    with pytest.raises(ValidationFailed) as refused:  # a name cursor is no good for the creation order
        listing(session, admin, limit=1, sort="created", after=page.next_cursor)
    assert set(refused.value.errors) == {"after"}
    assert len(listing(session, admin, limit=0).rows) == 1  # limits are clamped to 1..100
    assert len(listing(session, admin, limit=10_000).rows) == 4


@pytest.fixture
def hundred_twenty(session):
    _org, admin = make_org(session, country="EC")
    rng = random.Random(3)
    channels = [c for c, _ in customers.list_channels(session=session, actor=admin)]
    created = []
    for i in range(120):
        first, last = (
            FIRST[i % len(FIRST)],
            f"{LAST[(i // len(FIRST)) % len(LAST)]} {LAST[rng.randrange(len(LAST))]}",
        )
        created.append(
            create(
                session,
                admin,
                CustomerInput(
                    first_name=first,
                    last_name=last,
                    phones=(PhoneInput(f"099{1000000 + i * 7919:07d}"),),
                    emails=(EmailInput(f"c{i}@example.com", accepts_email=i % 3 == 0),),
                    tags=tuple(t for j, t in enumerate(TAGS) if (i >> j) & 1),
                    is_supplier=i % 10 == 0,
                    channel_id=channels[i % len(channels)],
                ),
            )
        )
    return admin, {c.id: c for c in created}


def _collect(session, actor, page_size: int, **query) -> list[int]:
    ids, cursor, pages = [], "", 0
    while True:
        page = listing(session, actor, limit=page_size, after=cursor, **query)
        ids.extend(row.id for row in page.rows)
        pages += 1
        assert pages < 200
        if not page.next_cursor:
            return ids
        assert len(page.rows) == page_size
        cursor = page.next_cursor


@pytest.mark.parametrize("plan", ["", "walk", "candidates", "scan"])
def test_keyset_paging_gives_each_customer_once_in_order(session, hundred_twenty, monkeypatch, plan):
    admin, created = hundred_twenty
    if plan:  # force one plan when the query has a driver for the candidates plan
        force_plan(monkeypatch, plan)
    rows = session.execute(select(Customer.id, Customer.sort_name, Customer.created_at)).all()
    for sort in ("name", "-name", "created", "-created"):
        key = (lambda r: (r.sort_name, r.id)) if sort.endswith("name") else (lambda r: (r.created_at, r.id))
        expected = [r.id for r in sorted(rows, key=key, reverse=sort.startswith("-"))]
        assert _collect(session, admin, 50, sort=sort) == expected, sort
        assert _collect(session, admin, 7, sort=sort, search="example.com") == expected, sort

        # A search matching part of them, with filters, pages through exactly its matches.
        wanted = [i for i in expected if "Pérez" in created[i].last_name and "VIP" in created[i].tags]
        assert wanted and _collect(session, admin, 3, sort=sort, search="perez", tags=("VIP",)) == wanted, (
            sort
        )
        wanted = [
            i
            for i in expected
            if normalize(created[i].display_name).startswith("ma") and not created[i].is_supplier
        ]
        assert wanted and _collect(session, admin, 4, sort=sort, search="ma", supplier=False) == wanted, sort
        channel = customers.list_channels(session=session, actor=admin)[0][0]
        wanted = [
            i for i in expected if created[i].emails[0].accepts_email and created[i].channel_id == channel
        ]
        assert (
            wanted
            and _collect(session, admin, 5, sort=sort, accepts_email=True, channel_id=channel) == wanted
        )


@pytest.mark.parametrize("group_read", [1, 400])  # the last group finished by a name walk / from the index
def test_ordered_scan_in_small_batches_and_over_budget(session, hundred_twenty, monkeypatch, group_read):
    admin, created = hundred_twenty
    reference = {sort: _collect(session, admin, 6, sort=sort, search="example") for sort in ("name", "-name")}
    force_plan(monkeypatch, "scan")
    monkeypatch.setattr(customer_search.limits, "GROUP_READ", group_read)
    monkeypatch.setattr(customer_search.limits, "SCAN_BATCH", 1)  # many batches: groups split across them
    for sort, expected in reference.items():
        assert _collect(session, admin, 6, sort=sort, search="example") == expected
        assert _collect(session, admin, 1, sort=sort, search="perez") == [
            i for i in expected if "Pérez" in created[i].last_name
        ]
    monkeypatch.undo()
    monkeypatch.setattr(customer_search.limits, "SCAN_BUDGET", 3)  # gives up: candidates or the walk answer
    for sort, expected in reference.items():
        assert _collect(session, admin, 6, sort=sort, search="example") == expected


@pytest.mark.parametrize(
    "limits",
    [
        {"WALK_WINDOW": 3, "PG_WALK_WINDOW": 3},  # the bounded walk runs out: drivers answer
        {"WALK_WINDOW": 3, "PROBE_LIMIT": 2, "PG_WALK_WINDOW": 3, "PG_WALK_ON": 0},
        {
            "WALK_WINDOW": 3,
            "PG_WALK_WINDOW": 3,
            "PG_WALK_ON": 0,
            "GIN_CAP": 2,
        },  # no candidates: unbounded walk
        # The trigram index lists more than its cap, yet a page's worth pass: that page is not the first.
        {"PG_WALK_WINDOW": 3, "PG_WALK_ON": 0, "GIN_CAP": 30},
        {"WALK_WINDOW": 3, "PROBE_LIMIT": 2, "SCAN_BUDGET": 1},
        {
            "WALK_WINDOW": 3,
            "PROBE_LIMIT": 2,
            "SCAN_BUDGET": 1,  # then the unbounded plans
            "CANDIDATE_CAP": 2,
            "CANDIDATE_SEARCH_CAP": 2,
        },
        {"WALK_WINDOW": 3, "PROBE_LIMIT": 2, "SCAN_BUDGET": 1, "INTERSECT_CAP": 1},  # no narrowing
        {"WALK_WINDOW": 10_000},
    ],
)
def test_every_fallback_gives_the_same_pages(session, hundred_twenty, monkeypatch, limits):
    admin, _created = hundred_twenty
    channel = customers.list_channels(session=session, actor=admin)[1][0]
    queries = [
        dict(search=s, sort=o, **f)
        for s in ("", "perez", "ma", "example", "ra gon", "0991")
        for o in ("name", "-created")
        for f in ({}, {"tags": ("VIP",)}, {"supplier": True}, {"channel_id": channel, "accepts_email": True})
    ]
    force_plan(monkeypatch, "walk")
    expected = [_collect(session, admin, 4, **q) for q in queries]
    monkeypatch.undo()
    for name, value in limits.items():
        monkeypatch.setattr(customer_search.limits, name, value)
    assert [_collect(session, admin, 4, **q) for q in queries] == expected
    assert any(expected)


def test_a_driver_over_the_probe_limit_hands_over_to_the_walk(session, hundred_twenty, monkeypatch):
    admin, created = hundred_twenty
    reference = _collect(session, admin, 9, search="example", tags=("VIP",))
    monkeypatch.setattr(customer_search.limits, "PROBE_LIMIT", 5)  # every driver now looks unselective
    assert _collect(session, admin, 9, search="example", tags=("VIP",)) == reference
    assert len(reference) == sum("VIP" in c.tags for c in created.values())


@pytest.mark.parametrize("trigram_first", [False, True])
def test_tag_and_consent_filters_follow_every_change(session, hundred_twenty, monkeypatch, trigram_first):
    """Tags added, removed, merged and deleted, and consent given or withdrawn, show in the filtered
    searches at once, whichever plan runs (on PostgreSQL the trigram index answers the filters from a
    copy kept by triggers: ``trigram_first`` makes every search go through it)."""
    admin, created = hundred_twenty
    if trigram_first:  # the walk gives up at once and hands over to the trigram index
        monkeypatch.setattr(customer_search.limits, "PG_WALK_WINDOW", 1)
        monkeypatch.setattr(customer_search.limits, "PG_WALK_ON", 0)

    def found(**query) -> set[int]:
        return {r.id for r in _pages(session, admin, search="example", **query)}

    def holders(tag: str) -> set[int]:
        return {i for i, c in created.items() if tag in c.tags}

    assert found(tags=("VIP",)) == holders("VIP") and holders("VIP")
    assert found(tags=("VIP", "Crédito")) == holders("VIP") & holders("Crédito")
    consenting = {i for i, c in created.items() if c.emails[0].accepts_email}
    assert found(accepts_email=True) == consenting and found(accepts_email=False) == set(created) - consenting

    # One customer loses VIP and his consent; another one gains both.
    loser = next(i for i in sorted(holders("VIP") & consenting))
    gainer = next(i for i in sorted(set(created) - holders("VIP") - consenting))
    for customer_id, tags, accepts in ((loser, ("Mayorista",), False), (gainer, ("VIP",), True)):
        current = customers.get_customer(session=session, actor=admin, customer_id=customer_id)
        data = CustomerInput(
            first_name=current.first_name,
            last_name=current.last_name,
            emails=(EmailInput(current.emails[0].address, accepts_email=accepts),),
            tags=tags,
        )
        run_like_app(
            session, customers.update_customer, actor=admin, customer_id=customer_id,
            version=current.version, data=data,
        )
    vip = holders("VIP") - {loser} | {gainer}
    assert found(tags=("VIP",)) == vip
    assert found(accepts_email=True) == consenting - {loser} | {gainer}

    # Merged into "Clave", then deleted: the filter follows the tag's customers.
    tags, _ = tag_admin.list_tag_page(session=session, actor=admin)
    ids = [t.id for t in tags if t.name in ("VIP", "Crédito")]
    run_like_app(session, tag_admin.merge_tags, actor=admin, tag_ids=ids, name="Clave")
    credit = holders("Crédito") - {loser, gainer}
    assert found(tags=("Clave",)) == vip | credit
    tags, _ = tag_admin.list_tag_page(session=session, actor=admin)
    clave = next(t.id for t in tags if t.name == "Clave")
    run_like_app(session, tag_admin.delete_tag, actor=admin, tag_id=clave)
    assert found(tags=("Mayorista",)) == holders("Mayorista") - {gainer} | {loser}
    assert found(tags=("Clave",)) == set()


# --------------------------------------------------------------------------- first words (PostgreSQL)


@pytest.fixture
def namesakes(session):
    """Customers sharing first names, which also turn up inside e-mails, second names and contacts:
    the cases where PostgreSQL's split page (first-word ranges + the rest's trigram index) must find
    exactly what a plain walk finds."""
    _org, admin = make_org(session, country="EC")
    firsts = ("Ana", "Mariana", "Ana Lucía", "Lucía", "Luis", "Luis Fernando", "Fernanda", "Ana.María")
    lasts = ("Pérez", "Anaya", "Santana", "Lucio", "Fernández", "Luis", "Ana")
    created = []
    for i in range(70):
        first, last = firsts[i % len(firsts)], lasts[(i * 3) % len(lasts)]
        local = f"{normalize(first).replace(' ', '.')}.{normalize(last)}{i}"
        if i % 7 == 0:
            data = CustomerInput(
                client_type="company",
                legal_name=f"{last} {first} Comercial {i}",
                contact_name=f"{first} {last}",
                emails=(EmailInput(f"{local}@example.com", accepts_email=i % 2 == 0),),
            )
        else:
            data = CustomerInput(
                first_name=first,
                last_name=last,
                emails=(EmailInput(f"{local}@example.com", accepts_email=i % 2 == 0),),
                tags=("VIP",) if i % 3 == 0 else (),
                is_supplier=i % 5 == 0,
            )
        created.append(create(session, admin, data))
    return admin, created


def test_first_word_split_gives_the_walks_pages(session, namesakes, monkeypatch):
    admin, _ = namesakes
    queries = [
        dict(search=s, sort=o, **f)
        for s in ("ana", "ana.", "a.lu", "lucia", "luis fernando", "fern", "anaya", "na.ma", "ana.maria")
        for o in ("name", "-name", "-created")
        for f in (
            {},
            {"tags": ("VIP",)},
            {"supplier": True},
            {"accepts_email": True},
            {"client_type": "company"},
        )
    ]
    force_plan(monkeypatch, "walk")
    expected = [_collect(session, admin, 4, **q) for q in queries]
    monkeypatch.undo()
    # The walk gives up at once: every search goes through the split page (on SQLite: its own plans).
    monkeypatch.setattr(customer_search.limits, "PG_WALK_WINDOW", 1)
    monkeypatch.setattr(customer_search.limits, "PG_WALK_ON", 0)
    assert [_collect(session, admin, 4, **q) for q in queries] == expected
    assert sum(map(bool, expected)) > len(queries) // 2


@pytest.mark.postgres
def test_the_rest_is_defined_alike_in_python_and_in_the_database(session, namesakes, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    admin, _created = namesakes
    samples = [
        ("ana perez ana.perez1@x.com anaya santana ana", "ana perez"),
        ("lucia ana lucia.ana@x.com", "lucia ana"),
        ("s.a. textiles s.a.", "s.a. textiles"),
        ("3m ecuador 3m@x.com 3mx", "3m ecuador"),
        ("", ""),
        ("ana", "ana"),
        ("a ana a.a a", "a x"),
        ("ana.ana anaana ana", "ana"),
        ("jose  jose-jose_jose é jose", "jose y"),
        ("éjose øjose josé jose", "jose x"),
    ]
    for text_, sort_name in samples:
        rest_in_sql, word_in_sql = session.execute(
            text("SELECT customer_search_rest_of(:t, :s), coalesce(customer_first_word_of(:s), '')"),
            {"t": text_, "s": sort_name},
        ).one()
        assert (rest_in_sql, word_in_sql) == (search_rest(text_, sort_name), first_word(sort_name))
    # The trigger keeps the column and the organization's first words as customers are written.
    rows = session.execute(
        text("SELECT search_text, sort_name, search_rest FROM customer WHERE organization_id = :org"),
        {"org": admin.organization_id},
    ).all()
    assert rows and all(rest == search_rest(st, sn) for st, sn, rest in rows)
    words = set(
        session.execute(
            text("SELECT word FROM customer_first_word WHERE organization_id = :org"),
            {"org": admin.organization_id},
        ).scalars()
    )
    assert words == {first_word(sn) for _, sn, _ in rows} - {""}


# --------------------------------------------------------------------------- seed


def test_seed_writes_valid_searchable_customers_fast(session, engine, monkeypatch):
    org, admin = make_org(session, country="EC")
    session.commit()
    monkeypatch.setattr(seed, "REBUILD_FROM", 1_000)  # exercise the drop-and-rebuild path too
    n = 6_000
    started = time.perf_counter()
    written = seed.seed_customers(
        engine, org.id, n, country="EC", seed=1, created_by=admin.user_id, chunk_size=1_500, parallel=True
    )
    elapsed = time.perf_counter() - started
    print(
        f"\nseed_customers on {engine.dialect.name}: {n} customers in {elapsed:.2f} s = {n / elapsed:,.0f}/s"
    )
    assert written == n
    session.expire_all()
    assert session.execute(select(text("count(*)")).select_from(Customer)).scalar() == n

    rows = session.execute(select(Customer).order_by(Customer.id).limit(300)).scalars().all()
    phones, emails = {}, {}
    for p in session.execute(select(CustomerPhone).where(CustomerPhone.customer_id <= rows[-1].id)).scalars():
        phones.setdefault(p.customer_id, []).append(p)
    for e in session.execute(select(CustomerEmail).where(CustomerEmail.customer_id <= rows[-1].id)).scalars():
        emails.setdefault(e.customer_id, []).append(e)
    for row in rows:
        numbers = [p.e164 for p in sorted(phones.get(row.id, []), key=lambda p: p.position)]
        addresses = [e.address for e in emails.get(row.id, [])]
        assert row.search_text == customer_search_text(
            names=(row.first_name, row.last_name, row.legal_name, row.trade_name, row.contact_name),
            tax_id=row.tax_id or "",
            loyalty_id=row.loyalty_id or "",
            emails=addresses,
            phones_e164=numbers,
            region="EC",
        )
        for number in numbers:
            assert phonenumbers.is_valid_number(phonenumbers.parse(number))
        if row.tax_id:
            assert validate_tax_id("EC", row.client_type, row.tax_id_type, row.tax_id).compact == row.tax_id
        assert row.primary_phone_e164 == (numbers[0] if numbers else "")

    # Every seeded customer is found by the search index, and the index keeps up with later writes.
    target = rows[123]
    surname = (
        target.search_text.split()[1] if target.client_type == "person" else target.search_text.split()[0]
    )
    found = {r.id for r in _pages(session, admin, search=f"{surname} {target.tax_id or ''}".strip())}
    assert target.id in found
    added = create(session, admin, CustomerInput(first_name="Zacarías", last_name="Xyzzy"))
    assert [r.id for r in listing(session, admin, search="xyzz").rows] == [added.id]
    if engine.dialect.name == "sqlite":
        fts = session.execute(
            text("SELECT count(*) FROM customer_fts WHERE customer_fts MATCH '\"xyzz\"'")
        ).scalar()
        assert fts == 1
        triggers = session.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")).scalar()
        assert triggers == 3


def _pages(session, actor, **query):
    cursor = ""
    while True:
        page = listing(session, actor, after=cursor, **query)
        yield from page.rows
        if not page.next_cursor:
            return
        cursor = page.next_cursor
