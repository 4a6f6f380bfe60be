"""The customer list by what customers bought, on SQLite and PostgreSQL: sorted by last purchase (those
who never bought last) and by amount spent, with ties and missing purchases across pages, whatever
plan answers; filtered by bought since / not since a day (in the organization's time zone) and by an
amount spent; cursors of another sort or tampered with refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from crm_app.domain.customers import CustomerInput, EmailInput
from crm_app.domain.errors import ValidationFailed
from crm_app.models import Customer
from crm_app.services import customer_search, customers
from crm_app.services.customer_search.cursor import decode_cursor, encode_cursor
from tests.factories import make_org
from tests.services.test_customers_search import _collect, create, force_plan, listing

# Guayaquil is UTC-5: 2026-03-01 03:00 UTC is still February 28 there.
MARCH_1_LOCAL = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
FIRST = ("José", "María", "Ana", "Luis", "Sofía", "Andrés", "Lucía")


def _purchase(i: int) -> tuple[int, Decimal, datetime | None]:
    """Customer i's (sales, spent, last purchase): a third never bought; ties on both sort keys."""
    if i % 3 == 0:
        return 0, Decimal("0.00"), None
    moment = MARCH_1_LOCAL + timedelta(days=(i % 7) - 3, hours=-2 if i % 5 == 0 else 0)
    return i % 4 + 1, Decimal(f"{(i % 6) * 25}.50"), moment


@pytest.fixture
def buyers(session):
    _org, admin = make_org(session, country="EC")  # America/Guayaquil
    made = {}
    for i in range(40):
        found = create(session, admin, CustomerInput(
            first_name=FIRST[i % len(FIRST)], last_name=f"Vera {i:02d}",
            emails=(EmailInput(f"b{i}@example.com"),), is_supplier=i % 4 == 0))
        sales, spent, last = _purchase(i)
        session.execute(update(Customer).where(Customer.id == found.id)
                        .values(sales_count=sales, amount_spent=spent, last_purchase_at=last))
        made[found.id] = (found, spent, last)
    session.commit()
    return admin, made


def _by_purchase(made, ids=None) -> list[int]:
    ids = made if ids is None else ids
    bought = sorted((i for i in ids if made[i][2] is not None), key=lambda i: (made[i][2], i), reverse=True)
    return bought + sorted((i for i in ids if made[i][2] is None), reverse=True)


def _by_spent(made, ids=None) -> list[int]:
    ids = made if ids is None else ids
    return sorted(ids, key=lambda i: (made[i][1], i), reverse=True)


@pytest.mark.parametrize("plan", ["", "walk", "candidates"])
def test_sorted_by_last_purchase_and_amount_spent_across_pages(session, buyers, monkeypatch, plan):
    admin, made = buyers
    force_plan(monkeypatch, plan)
    for size in (1, 4, 13, 100):
        assert _collect(session, admin, size, sort="-purchase") == _by_purchase(made), size
        assert _collect(session, admin, size, sort="-spent") == _by_spent(made), size
    # With a search and a filter (each plan has drivers then).
    suppliers = [i for i in made if made[i][0].is_supplier]
    assert _collect(session, admin, 3, sort="-purchase", search="example", supplier=True) == _by_purchase(
        made, suppliers)
    assert _collect(session, admin, 3, sort="-spent", search="vera", supplier=True) == _by_spent(
        made, suppliers)
    marias = [i for i in made if made[i][0].first_name == "María"]
    assert _collect(session, admin, 2, sort="-purchase", search="maria") == _by_purchase(made, marias)


def test_rows_carry_the_purchase_figures(session, buyers):
    admin, made = buyers
    rows = listing(session, admin, sort="-spent", limit=100).rows
    assert [(r.amount_spent, r.last_purchase_at) for r in rows] == [made[r.id][1:] for r in rows]


@pytest.mark.parametrize(("filters", "wanted"), [
    ({"bought_since": date(2026, 3, 1)}, lambda spent, last: last is not None and last >= MARCH_1_LOCAL),
    ({"lapsed_since": date(2026, 3, 1)}, lambda spent, last: last is not None and last < MARCH_1_LOCAL),
    ({"min_spent": Decimal("75.50")}, lambda spent, last: spent >= Decimal("75.50")),
    ({"min_spent": Decimal("0")}, lambda spent, last: True),
    ({"bought_since": date(2026, 2, 27), "lapsed_since": date(2026, 3, 2), "min_spent": Decimal("50")},
     lambda spent, last: last is not None and MARCH_1_LOCAL - timedelta(days=2) <= last
     < MARCH_1_LOCAL + timedelta(days=1) and spent >= 50),
])
@pytest.mark.parametrize("plan", ["", "walk", "candidates"])
def test_purchase_filters_in_every_sort(session, buyers, monkeypatch, filters, wanted, plan):
    admin, made = buyers
    force_plan(monkeypatch, plan)
    ids = [i for i, (_, spent, last) in made.items() if wanted(spent, last)]
    assert ids and (len(ids) < len(made) or "min_spent" in filters)
    assert _collect(session, admin, 4, sort="-purchase", **filters) == _by_purchase(made, ids)
    assert _collect(session, admin, 4, sort="-spent", **filters) == _by_spent(made, ids)
    by_name = sorted(ids, key=lambda i: (made[i][0].display_name.lower(), i))
    assert [made[i][0].display_name for i in _collect(session, admin, 5, sort="name", **filters)] == [
        made[i][0].display_name for i in by_name]
    assert _collect(session, admin, 5, sort="-created", search="example", **filters) == sorted(
        ids, key=lambda i: (made[i][0].created_at, i), reverse=True)


def test_a_day_starts_in_the_organizations_time_zone(session, buyers):
    admin, made = buyers
    late_evening = [i for i, (_, _, last) in made.items() if last == MARCH_1_LOCAL - timedelta(hours=2)]
    assert late_evening  # 2026-03-01 03:00 UTC: February 28 in Guayaquil
    since = {r.id for r in listing(session, admin, bought_since=date(2026, 3, 1), limit=100).rows}
    lapsed = {r.id for r in listing(session, admin, lapsed_since=date(2026, 3, 1), limit=100).rows}
    assert not since & set(late_evening) and set(late_evening) <= lapsed


@pytest.mark.parametrize("limits", [
    {"WALK_WINDOW": 3, "PG_WALK_WINDOW": 3},  # the bounded walk runs out: drivers answer
    {"WALK_WINDOW": 3, "PG_WALK_WINDOW": 3, "PROBE_LIMIT": 2, "CANDIDATE_CAP": 2, "PG_WALK_ON": 0},
])
def test_every_fallback_gives_the_same_pages(session, buyers, monkeypatch, limits):
    admin, _made = buyers
    queries = [
        dict(sort=sort, **f)
        for sort in ("-purchase", "-spent")
        for f in ({}, {"supplier": True}, {"search": "ana"}, {"min_spent": Decimal("100")},
                  {"bought_since": date(2026, 3, 1), "supplier": False})
    ]
    force_plan(monkeypatch, "walk")
    expected = [_collect(session, admin, 3, **q) for q in queries]
    monkeypatch.undo()
    for name, value in limits.items():
        monkeypatch.setattr(customer_search.limits, name, value)
    assert [_collect(session, admin, 3, **q) for q in queries] == expected


def test_the_trash_sorts_by_purchase_too(session, buyers):
    admin, made = buyers
    trashed = list(made)[:9]
    for customer_id in trashed:
        customers.delete_customer(session=session, actor=admin, customer_id=customer_id)
    session.commit()
    assert _collect(session, admin, 2, sort="-purchase", trash=True) == _by_purchase(made, trashed)
    assert _collect(session, admin, 2, sort="-spent", trash=True, min_spent=Decimal("1")) == _by_spent(
        made, [i for i in trashed if made[i][1] >= 1])
    assert _collect(session, admin, 50, sort="-purchase") == _by_purchase(made, list(made)[9:])


def _cursor(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_cursors_round_trip_and_tampered_ones_are_refused(session, buyers):
    admin, _made = buyers
    moment = datetime(2026, 3, 1, 5, tzinfo=UTC)
    assert decode_cursor(encode_cursor("purchase", moment, 7), "purchase") == (moment, 7)
    assert decode_cursor(encode_cursor("purchase", None, 7), "purchase") == (None, 7)
    assert decode_cursor(encode_cursor("spent", Decimal("12.50"), 7), "spent") == (Decimal("12.50"), 7)
    bad = [
        encode_cursor("purchase", moment, 7),  # another sort's
        encode_cursor("spent", None, 7),  # only a purchase may be missing
        _cursor({"s": "spent", "k": "NaN", "i": 7}),
        _cursor({"s": "spent", "k": "1e20", "i": 7}),
        _cursor({"s": "spent", "k": "doce", "i": 7}),
        _cursor({"s": "spent", "k": 12, "i": 7}),
        _cursor({"s": "spent", "k": "12", "i": "7"}),
        "%%%",
    ]
    for cursor in bad:
        with pytest.raises(ValidationFailed) as refused:
            listing(session, admin, sort="-spent", after=cursor)
        assert set(refused.value.errors) == {"after"}
    with pytest.raises(ValidationFailed):
        listing(session, admin, sort="-purchase", after=_cursor({"s": "purchase", "k": "2026-03-01", "i": 1}))


@pytest.mark.parametrize("spent", [Decimal("-1"), Decimal("NaN"), Decimal("1e14"), 5])
def test_a_bad_amount_is_refused(session, buyers, spent):
    admin, _ = buyers
    with pytest.raises(ValidationFailed) as refused:
        listing(session, admin, min_spent=spent)
    assert set(refused.value.errors) == {"min_spent"}
