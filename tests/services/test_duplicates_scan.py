"""The duplicate scan on both databases: planted pairs found with their reasons, reordered and
accented names, a phone typed in another format, dismissals remembered across scans, the changed-only
scan, forgetting customers, other organizations never paired or listed, sales users refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import Forbidden, NotFound
from crm_app.jobs import runner
from crm_app.models import Customer, DuplicateGroup, Job, Organization
from crm_app.models.types import utcnow
from crm_app.services import customers, duplicates
from tests.db import run_like_app
from tests.factories import make_org, make_user


def run_jobs(db_url) -> None:
    while runner.run_once(database_url=db_url):
        pass


def person(session, actor, first, last, *, phone="", email="", tax_id="", birthday=None, street="",
           city="") -> int:
    data = CustomerInput(
        client_type="person", first_name=first, last_name=last, tax_id=tax_id,
        phones=(PhoneInput(phone),) if phone else (), emails=(EmailInput(email),) if email else (),
        birthday=birthday, street=street, city=city)
    return run_like_app(session, customers.create_customer, actor=actor, data=data).id


def lenient_org(session, name="Acme"):
    """An organization whose duplicate checks are off: duplicates must be creatable to be found."""
    org, admin = make_org(session, name)
    session.execute(update(Organization).where(Organization.id == org.id).values(
        duplicate_check_phone=False, duplicate_check_email=False, duplicate_check_tax_id=False))
    session.commit()
    return admin


@pytest.fixture
def shop(session):
    return lenient_org(session)


def scan(session, db_url, actor, mode="full") -> int:
    job_id = run_like_app(session, duplicates.start_scan, actor=actor, mode=mode)
    run_jobs(db_url)
    session.expire_all()
    job = session.get(Job, job_id)
    assert job.status == "done", job.error
    return job_id


def pairs_of(session, actor, reason=""):
    page = duplicates.list_groups(session=session, actor=actor, reason=reason, limit=100)
    return {(p.customer_a_id, p.customer_b_id): p for g in page.groups for p in g.pairs}


def test_scan_finds_planted_pairs_with_their_reasons(session, db_url, shop):
    admin = shop
    a = person(session, admin, "Juan", "Pérez", phone="0991234567")
    b = person(session, admin, "Perez", "Juan", phone="+593 99 123 4567")  # reordered, another format
    c = person(session, admin, "María José", "Núñez", email="mj.nunez@example.com")
    d = person(session, admin, "Maria Jose", "Nunez", email="MJ.Nunez@example.com")  # accents, case
    e = person(session, admin, "Ana", "Torres", phone="0987654321")
    f = person(session, admin, "Pedro", "Torres", phone="0987654321")  # the family's phone
    g = person(session, admin, "Carlos", "Mendoza", birthday=date(1980, 5, 3))
    h = person(session, admin, "Carlos", "Mendosa", birthday=date(1980, 5, 3))  # typo + birthday
    i = person(session, admin, "Carlos", "Mendoza")  # a namesake, nothing else: no candidate
    person(session, admin, "Lucía", "Vega", phone="0991112222")
    scan(session, db_url, admin)
    found = pairs_of(session, admin)
    assert set(found[(a, b)].reasons) == {"phone", "name"}
    assert set(found[(c, d)].reasons) == {"email", "name"}
    assert found[(g, h)].reasons == ("name",)
    assert found[(e, f)].reasons == ("phone",)
    assert found[(e, f)].score < found[(a, b)].score  # a shared phone, another name: lower
    assert (g, i) not in found and (h, i) not in found
    page = duplicates.list_groups(session=session, actor=admin)
    assert [grp.score for grp in page.groups] == sorted((grp.score for grp in page.groups), reverse=True)
    emails = duplicates.list_groups(session=session, actor=admin, reason="email")
    assert [[m.customer_id for m in grp.members] for grp in emails.groups] == [[c, d]]
    assert emails.total == 1
    status = duplicates.scan_status(session=session, actor=admin)
    assert status.last_mode == "full" and status.groups == 4 and status.last_scan_at is not None


def test_keyset_pages_cover_every_group_once(session, db_url, shop):
    admin = shop
    for n in range(5):
        person(session, admin, f"Cliente{n}", "Prueba", phone=f"099000000{n}")
        person(session, admin, f"Cliente{n}", "Prueba", phone=f"+59399000000{n}")
    scan(session, db_url, admin)
    seen, after = [], ""
    while True:
        page = duplicates.list_groups(session=session, actor=admin, after=after, limit=2)
        seen += [g.id for g in page.groups]
        assert page.total == 5
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert len(seen) == len(set(seen)) == 5


def test_dismissal_is_remembered_across_scans(session, db_url, shop):
    admin = shop
    a = person(session, admin, "Rosa", "Mora", phone="0991230000")
    b = person(session, admin, "Rosa", "Mora", phone="0991230000")
    scan(session, db_url, admin)
    group = duplicates.list_groups(session=session, actor=admin).groups[0]
    assert duplicates.get_group(session=session, actor=admin, group_id=group.id).members[1].customer_id == b
    run_like_app(session, duplicates.dismiss_pair, actor=admin, customer_a_id=b, customer_b_id=a)
    assert duplicates.list_groups(session=session, actor=admin).groups == ()
    scan(session, db_url, admin)
    assert pairs_of(session, admin) == {}
    assert duplicates.candidates_for(session=session, actor=admin, customer_id=a) == []


def test_changed_scan_merges_new_pairs_into_the_groups(session, db_url, shop):
    admin = shop
    a = person(session, admin, "Diego", "Salas", phone="0991000001")
    b = person(session, admin, "Diego", "Salas", phone="0991000001")
    old = person(session, admin, "Elena", "Ríos", tax_id="")
    first = scan(session, db_url, admin)
    started = session.get(Job, first).started_at
    # Changed before the scan started: not read again by the changed scan.
    before = started - timedelta(hours=1)
    session.execute(update(Customer).where(Customer.id == old).values(updated_at=before))
    session.commit()
    c = person(session, admin, "Diego", "Salas", phone="099 100 0001")  # joins a and b's group
    d = person(session, admin, "Elena", "Rios", phone="0992000002")
    e = person(session, admin, "Elena", "Ríos", phone="0992000002")
    scan(session, db_url, admin, mode="changed")
    job = session.execute(select(Job).order_by(Job.id.desc())).scalars().first()
    assert job.done == 3
    groups = duplicates.list_groups(session=session, actor=admin).groups
    assert sorted(tuple(m.customer_id for m in g.members) for g in groups) == [(a, b, c), (d, e)]
    assert duplicates.scan_status(session=session, actor=admin).last_mode == "changed"


def test_forget_customers_regroups(session, db_url, shop):
    admin = shop
    a = person(session, admin, "Hugo", "Paz", phone="0993000003")
    b = person(session, admin, "Hugo", "Paz", phone="0993000003")
    c = person(session, admin, "Hugo", "Paz", phone="0993000003")
    scan(session, db_url, admin)
    [group] = duplicates.list_groups(session=session, actor=admin).groups
    assert len(group.members) == 3
    duplicates.forget_customers(session, admin.organization_id, [a])
    session.commit()
    [group] = duplicates.list_groups(session=session, actor=admin).groups
    assert [m.customer_id for m in group.members] == [b, c]
    duplicates.forget_customers(session, admin.organization_id, [b])
    session.commit()
    assert duplicates.list_groups(session=session, actor=admin).groups == ()


def test_trashed_members_are_hidden(session, db_url, shop):
    admin = shop
    a = person(session, admin, "Inés", "Luna", phone="0994000004")
    b = person(session, admin, "Ines", "Luna", phone="0994000004")
    c = person(session, admin, "Inés", "Luna", phone="0994000004")
    scan(session, db_url, admin)
    session.execute(update(Customer).where(Customer.id == c).values(deleted_at=utcnow()))
    session.commit()
    [group] = duplicates.list_groups(session=session, actor=admin).groups
    assert [m.customer_id for m in group.members] == [a, b]
    assert all(c not in (p.customer_a_id, p.customer_b_id) for p in group.pairs)
    scan(session, db_url, admin, mode="changed")  # he leaves the group's row too
    mine = DuplicateGroup.organization_id == admin.organization_id
    [row] = session.execute(select(DuplicateGroup).where(mine)).scalars().all()
    assert row.customer_ids == f"[{a}, {b}]"


def test_a_customer_moved_to_the_trash_leaves_his_groups_at_once(session, db_url, shop):
    admin = shop
    person(session, admin, "Olga", "Rey", phone="0995000005")
    b = person(session, admin, "Olga", "Rey", phone="0995000005")
    scan(session, db_url, admin)
    assert duplicates.scan_status(session=session, actor=admin).groups == 1
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=b)
    session.expire_all()
    assert duplicates.scan_status(session=session, actor=admin).groups == 0
    assert duplicates.list_groups(session=session, actor=admin).groups == ()


def test_other_organizations_are_never_paired_nor_listed(session, db_url, shop):
    admin = shop
    mine = person(session, admin, "Jorge", "Cano", phone="0995000005")
    other = lenient_org(session, "Otra")
    theirs = person(session, other, "Jorge", "Cano", phone="0995000005")
    person(session, other, "Jorge", "Cano", phone="0995000005")
    scan(session, db_url, admin)
    assert duplicates.list_groups(session=session, actor=admin).groups == ()
    assert duplicates.candidates_for(session=session, actor=admin, customer_id=mine) == []
    scan(session, db_url, other)
    [group] = duplicates.list_groups(session=session, actor=other).groups
    with pytest.raises(NotFound):
        duplicates.get_group(session=session, actor=admin, group_id=group.id)
    with pytest.raises(NotFound):
        duplicates.candidates_for(session=session, actor=admin, customer_id=theirs)
    with pytest.raises(NotFound):
        duplicates.dismiss_pair(session=session, actor=admin, customer_a_id=mine, customer_b_id=theirs)


def test_sales_users_are_refused_but_may_ask_about_one_customer(session, db_url, shop):
    admin = shop
    a = person(session, admin, "Luis", "Vera", phone="0996000006")
    b = person(session, admin, "Luis", "Vera", phone="0996000006")
    _, sales, _ = make_user(session, admin)
    for call, kw in ((duplicates.start_scan, {"mode": "full"}), (duplicates.cancel_scan, {}),
                     (duplicates.scan_status, {}),
                     (duplicates.list_groups, {}), (duplicates.get_group, {"group_id": 1}),
                     (duplicates.dismiss_pair, {"customer_a_id": a, "customer_b_id": b})):
        with pytest.raises(Forbidden):
            call(session=session, actor=sales, **kw)
    [pair] = duplicates.candidates_for(session=session, actor=sales, customer_id=b)
    assert (pair.customer_a_id, pair.customer_b_id) == (a, b)


def test_one_scan_at_a_time(session, db_url, shop):
    admin = shop
    first = run_like_app(session, duplicates.start_scan, actor=admin, mode="full")
    assert run_like_app(session, duplicates.start_scan, actor=admin, mode="changed") == first
    run_jobs(db_url)
    assert run_like_app(session, duplicates.start_scan, actor=admin, mode="changed") != first


def test_changed_scan_finds_reordered_names_at_one_address_and_keeps_typo_pairs(session, db_url, shop):
    admin = shop
    born = date(1984, 2, 9)
    a = person(session, admin, "Marta", "Quiroga", birthday=born)
    b = person(session, admin, "Marta", "Quirgoa", birthday=born)  # a typo: only a full scan finds it
    scan(session, db_url, admin)
    assert (a, b) in pairs_of(session, admin)
    session.execute(update(Customer).where(Customer.id == b).values(notes="llamó", updated_at=utcnow()))
    session.commit()
    c = person(session, admin, "Ochoa", "Raúl", street="Calle Olmedo 45", city="Loja")
    d = person(session, admin, "Raul", "Ochoa", street="Calle Olmedo 45", city="Loja")
    e = person(session, admin, "Marta", "Qiuroga", birthday=born)  # new, a typo: the birthday index
    scan(session, db_url, admin, mode="changed")
    found = pairs_of(session, admin)
    assert (a, b) in found  # b changed, his pair with a stands
    assert found[(a, e)].reasons == ("name",)
    assert found[(c, d)].reasons == ("name",)
    [pair] = duplicates.candidates_for(session=session, actor=admin, customer_id=c)
    assert (pair.customer_a_id, pair.customer_b_id) == (c, d)


def test_a_cancelled_scan_writes_nothing(session, db_url, shop):
    admin = shop
    person(session, admin, "Nora", "Lima", phone="0997000007")
    person(session, admin, "Nora", "Lima", phone="0997000007")
    job_id = run_like_app(session, duplicates.start_scan, actor=admin, mode="full")
    run_like_app(session, duplicates.cancel_scan, actor=admin)
    run_jobs(db_url)
    session.expire_all()
    assert session.get(Job, job_id).status == "cancelled"
    assert duplicates.list_groups(session=session, actor=admin).groups == ()
