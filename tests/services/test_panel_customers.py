"""The panel's customers and contactability tiles on both databases, against hand-counted customers:
the organization's local days (a customer created at 23:30 in Guayaquil is of that day, not of the next
UTC day; Santiago's daylight-saving changes), the previous period, the splits and their links, the
summary refreshed by the job plus today's live count, and another organization's customers never
counting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from crm_app.domain.panel import PanelRange
from crm_app.models import AcquisitionChannel, Customer, CustomerDayStat, PanelSummary
from crm_app.models.types import utcnow
from crm_app.services import panel
from tests.factories import make_org
from tests.services.test_panel_factories import customer, email, phone, refresh, tag, utc

WEEK = PanelRange(date(2026, 11, 9), date(2026, 11, 15), "day")  # Monday to Sunday


@pytest.fixture
def guayaquil(session):
    """An Ecuadorian organization (UTC-5) with customers around its local midnights, and another one."""
    _, admin = make_org(session, country="EC")
    _, other = make_org(session, name="Other", country="EC")
    ch1, ch2 = session.execute(select(AcquisitionChannel.id).where(
        AcquisitionChannel.organization_id == admin.organization_id).order_by(AcquisitionChannel.id)
        .limit(2)).scalars().all()
    vip, wholesale = tag(session, admin, "VIP"), tag(session, admin, "Mayorista")
    customer(session, admin, utc(2026, 11, 11, 4, 30), channel_id=ch1, tags=[vip])  # Nov 10, 23:30 local
    customer(session, admin, utc(2026, 11, 11, 5, 30), client_type="company", source="import",
             tags=[vip, wholesale])  # Nov 11, 00:30
    customer(session, admin, utc(2026, 11, 15, 17, 0), source="api", channel_id=ch2)  # Nov 15
    customer(session, admin, utc(2026, 11, 16, 5, 10))  # Nov 16, 00:10: after the week
    customer(session, admin, utc(2026, 11, 5, 15, 0))  # the previous week's Thursday
    customer(session, admin, utc(2026, 11, 12, 15, 0), trashed=True)
    customer(session, other, utc(2026, 11, 12, 15, 0))
    return admin, other, (ch1, ch2), (vip, wholesale)


@pytest.mark.parametrize("summarized", [False, True], ids=["live", "summary"])
def test_new_customers_by_local_day_with_the_previous_week_and_the_splits(session, engine, guayaquil,
                                                                          summarized):
    admin, other, (ch1, ch2), _tags = guayaquil
    if summarized:
        refresh(engine, admin)
        refresh(engine, other)
    tile = panel.customers(session=session, actor=admin, rng=WEEK)
    assert (tile.as_of is not None) is summarized
    assert [(p.bucket.day, p.count) for p in tile.series] == [(9, 0), (10, 1), (11, 1), (12, 0), (13, 0),
                                                             (14, 0), (15, 1)]
    assert (tile.total, tile.previous_total) == (3, 1)
    assert [p.previous for p in tile.series] == [0, 0, 0, 1, 0, 0, 0]  # Thursday Nov 5 under Thursday
    assert tile.series[1].label == "10 nov"
    listed = "/customers?created_from=2026-11-09&created_to=2026-11-15&sort=-created"
    assert tile.href == listed
    assert [(c.key, c.label, c.count, c.href) for c in tile.by_type] == [
        ("person", "Persona natural", 2, listed + "&type=person"),
        ("company", "Empresa (jurídico)", 1, listed + "&type=company"),
        ("government", "Entidad de gobierno", 0, listed + "&type=government")]
    assert {(c.key, c.count, c.href) for c in tile.by_source} == {
        ("form", 1, listed + "&source=form"), ("import", 1, listed + "&source=import"),
        ("api", 1, listed + "&source=api")}
    assert {(c.key, c.count, c.href) for c in tile.by_channel} == {
        (str(ch1), 1, f"{listed}&channel={ch1}"), (str(ch2), 1, f"{listed}&channel={ch2}"), ("", 1, "")}
    assert [(c.label, c.count, c.href) for c in tile.by_tag] == [
        ("VIP", 2, listed + "&tags=VIP"), ("Mayorista", 1, listed + "&tags=Mayorista")]


def test_weeks_and_months_add_up_the_local_days(session, engine, guayaquil):
    admin = guayaquil[0]
    refresh(engine, admin)
    weeks = panel.customers(session=session, actor=admin, rng=PanelRange(date(2026, 11, 1),
                                                                          date(2026, 11, 30), "week"))
    assert [(p.bucket, p.count) for p in weeks.series] == [
        (date(2026, 10, 26), 0), (date(2026, 11, 2), 1), (date(2026, 11, 9), 3), (date(2026, 11, 16), 1),
        (date(2026, 11, 23), 0), (date(2026, 11, 30), 0)]
    months = panel.customers(session=session, actor=admin, rng=PanelRange(date(2026, 10, 1),
                                                                           date(2026, 11, 30), "month"))
    assert [(p.label, p.count) for p in months.series] == [("oct 2026", 0), ("nov 2026", 5)]


@pytest.mark.parametrize("summarized", [False, True], ids=["live", "summary"])
def test_santiago_days_follow_its_daylight_saving_changes(session, engine, summarized):
    _, admin = make_org(session, country="CL")  # -3 in summer, -4 in winter (April 5 / September 6)
    for moment in (utc(2026, 4, 5, 2, 30), utc(2026, 4, 5, 3, 30),  # both April 4, 23:30 local
                   utc(2026, 4, 5, 4, 30),  # April 5, 00:30 (-4)
                   utc(2026, 9, 6, 3, 30),  # September 5, 23:30 (-4)
                   utc(2026, 9, 6, 4, 30)):  # September 6, 01:30 (-3: midnight never happened)
        customer(session, admin, moment)
    if summarized:
        refresh(engine, admin)
    april = panel.customers(session=session, actor=admin, rng=PanelRange(date(2026, 4, 4), date(2026, 4, 5)))
    september = panel.customers(session=session, actor=admin,
                                rng=PanelRange(date(2026, 9, 5), date(2026, 9, 6)))
    assert [p.count for p in april.series] == [2, 1]
    assert [p.count for p in september.series] == [1, 1]


def test_today_is_counted_live_on_top_of_the_summary_and_the_trash_after_a_refresh(session, engine):
    _, admin = make_org(session, country="EC")
    now = utcnow()
    earlier = [customer(session, admin, now - timedelta(days=3)) for _ in range(2)]
    refresh(engine, admin)
    today = panel.org_today(session=session, actor=admin)
    summary = session.get(PanelSummary, admin.organization_id)
    assert summary.through_day == today
    week = PanelRange(today - timedelta(days=6), today)
    customer(session, admin, utcnow())  # after the refresh: counted at once
    assert panel.customers(session=session, actor=admin, rng=week).total == 3
    session.execute(update(Customer).where(Customer.id == earlier[0]).values(deleted_at=utcnow()))
    session.commit()
    assert panel.customers(session=session, actor=admin, rng=week).total == 3  # until the next refresh
    refresh(engine, admin)
    session.expire_all()
    tile = panel.customers(session=session, actor=admin, rng=week)
    assert tile.total == 2 and tile.series[-1].count == 1


def test_a_refresh_replaces_only_its_organizations_rows(session, engine, guayaquil):
    admin, other = guayaquil[:2]
    refresh(engine, other)
    refresh(engine, admin)
    refresh(engine, admin)  # again: replaced, not added

    def total(org_id: int) -> int:
        return sum(session.execute(select(CustomerDayStat.count).where(
            CustomerDayStat.organization_id == org_id, CustomerDayStat.dimension == "all")).scalars())

    assert (total(admin.organization_id), total(other.organization_id)) == (5, 1)
    creators = session.execute(select(CustomerDayStat.key, CustomerDayStat.count).where(
        CustomerDayStat.organization_id == admin.organization_id, CustomerDayStat.dimension == "creator",
        CustomerDayStat.day == date(2026, 11, 10))).all()
    assert creators == [(str(admin.user_id), 1)]


@pytest.mark.parametrize("summarized", [False, True], ids=["live", "summary"])
def test_contactability(session, engine, summarized):
    _, admin = make_org(session, country="EC")
    _, other = make_org(session, name="Other", country="EC")
    moment = utc(2026, 11, 2, 15)
    c1, c2, c3, c4, _c5, c6, c7 = (customer(session, admin, moment) for _ in range(7))
    phone(session, admin, c1, whatsapp=True)
    phone(session, admin, c2, kind="work", sms=True)
    email(session, admin, c3, consent=True)
    email(session, admin, c4, consent=False)
    phone(session, admin, c6)
    session.execute(update(Customer).where(Customer.id == c6).values(deleted_at=moment))
    phone(session, admin, c7)
    phone(session, admin, c7, kind="home")
    email(session, admin, c7, consent=True)
    email(session, admin, c7, consent=True)
    phone(session, other, customer(session, other, moment), whatsapp=True)
    if summarized:
        refresh(engine, admin)
    tile = panel.contact(session=session, actor=admin)
    assert (tile.as_of is not None) is summarized
    figures = (tile.total, tile.mobile, tile.whatsapp, tile.email_consent, tile.any_consent, tile.unreachable)
    assert figures == (6, 2, 1, 2, 4, 2)
    assert tile.unreachable_href == "/customers?reach=none"
