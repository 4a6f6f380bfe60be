"""The customer list's filters behind the panel's figures, on SQLite and PostgreSQL: created on some local
days of the organization (23:30 in Guayaquil counts on that day), created by a user, from a source,
and those who cannot be reached (no phone, no e-mail that accepts mail); combined with a search and a
tag, whatever plan answers, and never another organization's customers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import ValidationFailed
from crm_app.models import Customer
from tests.factories import make_org, make_user
from tests.services.test_customers_search import _collect, create, force_plan, listing

SOURCES = ("form", "import", "api")
# Guayaquil is UTC-5. Customer i is created at NOV_1_LOCAL + i * 7 hours, the 23:30 ones on purpose.
NOV_1_LOCAL = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 2026-11-01 00:00 in Guayaquil
LATE_NOV_1 = datetime(2026, 11, 2, 4, 30, tzinfo=UTC)  # 2026-11-01 23:30 in Guayaquil
EARLY_NOV_1 = datetime(2026, 11, 1, 4, 59, tzinfo=UTC)  # 2026-10-31 23:59 in Guayaquil


def _created(i: int) -> datetime:
    if i == 0:
        return LATE_NOV_1
    if i == 1:
        return EARLY_NOV_1
    return NOV_1_LOCAL + timedelta(hours=7 * i)


def _input(i: int) -> CustomerInput:
    """Customer i: a phone for one in three, an e-mail for one in two (with consent for one in four)."""
    phones = (PhoneInput(f"09912{i:05d}"),) if i % 3 == 0 else ()
    emails = (EmailInput(f"c{i}@example.com", accepts_email=i % 4 == 0),) if i % 2 == 0 else ()
    return CustomerInput(first_name=("Ana", "Luis", "Marta")[i % 3], last_name=f"Vera {i:02d}", phones=phones,
                         emails=emails, tags=("VIP",) if i % 5 == 0 else (), source=SOURCES[i % 3])


@pytest.fixture
def arrivals(session):
    """30 customers of an Ecuadorian shop, made by its admin and (one in four) a sales user; and another
    organization's customers, all matching every filter."""
    _org, admin = make_org(session, country="EC")
    _user, sales, _ = make_user(session, admin)
    made = {}
    for i in range(30):
        data = _input(i)
        creator = sales if i % 4 == 1 else admin
        found = create(session, creator, data)
        made[found.id] = {"i": i, "created": _created(i), "by": creator.user_id,
                          "source": data.source, "reachable": bool(data.phones) or any(
                              e.accepts_email for e in data.emails), "vip": i % 5 == 0,
                          "name": f"{data.first_name} {data.last_name}"}
        session.execute(update(Customer).where(Customer.id == found.id).values(created_at=_created(i)))
    _other, stranger = make_org(session, name="Other", country="EC")
    for i in range(4):
        found = create(session, stranger, CustomerInput(first_name="Ana", last_name=f"Vera {i}",
                                                        source="import", tags=("VIP",)))
        session.execute(update(Customer).where(Customer.id == found.id).values(created_at=LATE_NOV_1))
    session.commit()
    return admin, sales, made, stranger


def _local_day(moment: datetime) -> date:
    return (moment - timedelta(hours=5)).date()


def _expected(made, sort: str, keep) -> list[int]:
    ids = [i for i, c in made.items() if keep(c)]
    if sort.lstrip("-") == "created":
        return sorted(ids, key=lambda i: (made[i]["created"], i), reverse=sort.startswith("-"))
    return sorted(ids, key=lambda i: (made[i]["name"].lower(), i))


@pytest.mark.parametrize("plan", ["", "walk", "candidates"])
@pytest.mark.parametrize("sort", ["name", "-created", "created"])
def test_created_range_counts_the_organizations_local_days(session, arrivals, monkeypatch, plan, sort):
    admin, _, made, _ = arrivals
    force_plan(monkeypatch, plan)
    nov_1, nov_3 = date(2026, 11, 1), date(2026, 11, 3)

    def within(first, last):
        return lambda c: first <= _local_day(c["created"]) <= last

    got = _collect(session, admin, 4, sort=sort, created_from=nov_1, created_to=nov_1)
    assert got == _expected(made, sort, within(nov_1, nov_1))
    ids = {made[i]["i"]: i for i in made}
    assert ids[0] in got and ids[1] not in got  # 23:30 counts on Nov 1; 23:59 of Oct 31 does not
    assert _collect(session, admin, 3, sort=sort, created_from=nov_1, created_to=nov_3) == _expected(
        made, sort, within(nov_1, nov_3))
    assert _collect(session, admin, 5, sort=sort, created_to=date(2026, 10, 31)) == [ids[1]]
    assert _collect(session, admin, 5, sort=sort, created_from=date(2026, 11, 7)) == _expected(
        made, sort, within(date(2026, 11, 7), date(2099, 1, 1)))


@pytest.mark.parametrize("plan", ["", "walk", "candidates"])
def test_creator_source_and_unreachable(session, arrivals, monkeypatch, plan):
    admin, sales, made, _ = arrivals
    force_plan(monkeypatch, plan)
    assert _collect(session, admin, 4, created_by=sales.user_id) == _expected(
        made, "name", lambda c: c["by"] == sales.user_id)
    assert _collect(session, admin, 4, source="import", sort="-created") == _expected(
        made, "-created", lambda c: c["source"] == "import")
    unreachable = _expected(made, "name", lambda c: not c["reachable"])
    assert unreachable and _collect(session, admin, 4, unreachable=True) == unreachable
    # An e-mail without consent does not reach him; with consent it does (customer 4: no phone).
    names = [row.display_name for row in listing(session, admin, unreachable=True, limit=100).rows]
    assert "Marta Vera 02" in names and "Luis Vera 04" not in names and "Ana Vera 03" not in names


@pytest.mark.parametrize("plan", ["", "walk", "candidates"])
def test_the_new_filters_combine_with_a_search_a_tag_and_each_other(session, arrivals, monkeypatch, plan):
    admin, _, made, _ = arrivals
    force_plan(monkeypatch, plan)
    nov_1, nov_5 = date(2026, 11, 1), date(2026, 11, 5)

    def in_range(c):
        return nov_1 <= _local_day(c["created"]) <= nov_5

    assert _collect(session, admin, 2, search="ana", tags=("VIP",), created_from=nov_1, created_to=nov_5,
                    sort="-created") == _expected(
        made, "-created", lambda c: in_range(c) and c["vip"] and c["name"].startswith("Ana"))
    assert _collect(session, admin, 2, created_from=nov_1, created_to=nov_5, created_by=admin.user_id,
                    source="form", unreachable=True) == _expected(
        made, "name", lambda c: in_range(c) and c["by"] == admin.user_id and c["source"] == "form"
        and not c["reachable"])
    assert _collect(session, admin, 3, search="vera", unreachable=True, accepts_email=False) == _expected(
        made, "name", lambda c: not c["reachable"])


def test_another_organization_is_never_listed(session, arrivals):
    admin, _, made, stranger = arrivals
    for query in ({"source": "import"}, {"created_from": date(2026, 11, 1), "created_to": date(2026, 11, 1)},
                  {"unreachable": True}, {"tags": ("VIP",), "search": "ana"}):
        assert set(_collect(session, admin, 50, **query)) <= set(made), query
    # The other organization's creator made none of this one's customers.
    assert _collect(session, admin, 50, created_by=stranger.user_id) == []


def test_a_wrong_value_is_refused(session, arrivals):
    admin, _, _, _ = arrivals
    for query, field in (({"source": "fax"}, "source"), ({"created_by": "7"}, "created_by"),
                         ({"created_from": "2026-11-01"}, "created_from")):
        with pytest.raises(ValidationFailed) as failed:
            listing(session, admin, **query)
        assert field in failed.value.errors
