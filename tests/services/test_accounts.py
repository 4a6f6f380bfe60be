"""Accounts: validation, stale saves, list paging/search, members and roles, summary, feeds, isolation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm_app.domain.accounts import AccountInput, AccountQuery
from crm_app.domain.customers import CustomerInput, CustomerQuery
from crm_app.domain.errors import Conflict, NotFound, ValidationFailed
from crm_app.models import Account, AccountMember, Customer
from crm_app.services import account_list, account_members, accounts, customers, feed
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot

# Valid Ecuadorian company RUC (the organizations are Ecuadorian by default).
RUC = "1790011674001"


def create_account(session, actor, **fields):
    data = AccountInput(**{"name": "Ferretería Andina", **fields})
    return run_like_app(session, accounts.create_account, actor=actor, data=data)


def person(session, actor, first="Ana", last="Vera", **extra):
    data = CustomerInput(client_type="person", first_name=first, last_name=last, **extra)
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def add(session, actor, account, customer, role="member"):
    run_like_app(
        session,
        account_members.add_member,
        actor=actor,
        account_id=account.id,
        customer_id=customer.id,
        role=role,
    )


def members(session, actor, account):
    page = account_members.list_members(session=session, actor=actor, account_id=account.id)
    return [(m.name, m.role) for m in page.members]


def test_create_validates_every_field_at_once(session):
    _, admin = make_org(session)
    with pytest.raises(ValidationFailed) as failed:
        create_account(
            session,
            admin,
            name="  ",
            tax_id="1790011674000",
            phone="12",
            email="no-at-sign",
            owner_id=999_999,
        )
    assert {k: e.code for k, e in failed.value.errors.items()} == {
        "name": "required",
        "tax_id": "tax_id_invalid",
        "phone": "phone_invalid",
        "email": "email_invalid",
        "owner_id": "account_owner_unknown",
    }
    assert session.execute(select(func.count()).select_from(Account)).scalar_one() == 0


def test_create_normalizes_and_reads_back(session):
    _, admin = make_org(session)
    created = create_account(
        session,
        admin,
        name="  Ferretería   Andina ",
        tax_id="1790011674001",
        phone="099 123 4567",
        email="Compras@Andina.EC",
        industry="Retail",
        owner_id=admin.user_id,
        tags=("VIP", "vip", "Mayorista"),
        address="Av. Amazonas 1",
    )
    got = accounts.get_account(session=session, actor=admin, account_id=created.id)
    assert (got.name, got.tax_id, got.phone_e164, got.email, got.owner_name) == (
        "Ferretería Andina",
        RUC,
        "+593991234567",
        "compras@andina.ec",
        admin.name,
    )
    assert got.tags == ("Mayorista", "VIP") and got.version == 1


def test_duplicate_tax_id_is_refused_with_the_other_account_named(session):
    _, admin = make_org(session)
    create_account(session, admin, tax_id=RUC)
    with pytest.raises(ValidationFailed) as failed:
        create_account(session, admin, name="Otra", tax_id=RUC)
    error = failed.value.errors["tax_id"]
    assert error.code == "duplicate_account_tax_id" and error.params["name"] == "Ferretería Andina"


def test_stale_save_is_refused_and_nothing_is_overwritten(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, name="Sara")
    created = create_account(session, admin)
    run_like_app(
        session,
        accounts.update_account,
        actor=sales,
        account_id=created.id,
        version=1,
        data=AccountInput(name="Andina S.A."),
    )
    with pytest.raises(Conflict) as stale:
        run_like_app(
            session,
            accounts.update_account,
            actor=admin,
            account_id=created.id,
            version=1,
            data=AccountInput(name="Mine"),
        )
    assert stale.value.code == "account_stale_version" and stale.value.params["by"] == "Sara"
    assert accounts.get_account(session=session, actor=admin, account_id=created.id).name == "Andina S.A."


def test_edit_records_the_changed_fields_in_the_account_feed(session):
    _, admin = make_org(session)
    created = create_account(session, admin, city="Quito", tags=("VIP",))
    run_like_app(
        session,
        accounts.update_account,
        actor=admin,
        account_id=created.id,
        version=1,
        data=AccountInput(name="Ferretería Andina", city="Guayaquil", tags=("Mayorista",)),
    )
    entries = feed.list_account_feed(session=session, actor=admin, account_id=created.id).entries
    assert [e.kind for e in entries] == ["account_updated", "account_created"]
    assert entries[0].data["changes"] == [
        {"field": "city", "before": "Quito", "after": "Guayaquil"},
        {"field": "tags", "op": "added", "value": "Mayorista"},
        {"field": "tags", "op": "removed", "value": "VIP"},
    ]


def test_list_searches_sorts_and_pages_with_member_counts(session):
    _, admin = make_org(session)
    made = [
        create_account(session, admin, name=f"Empresa {i:02d}", city="Quito" if i % 2 else "Cuenca")
        for i in range(7)
    ]
    ana = person(session, admin)
    add(session, admin, made[3], ana)
    first = account_list.list_accounts(session=session, actor=admin, query=AccountQuery(limit=3))
    second = account_list.list_accounts(
        session=session, actor=admin, query=AccountQuery(limit=3, after=first.next_cursor)
    )
    third = account_list.list_accounts(
        session=session, actor=admin, query=AccountQuery(limit=3, after=second.next_cursor)
    )
    names = [r.name for page in (first, second, third) for r in page.rows]
    assert names == [f"Empresa {i:02d}" for i in range(7)] and third.next_cursor == ""
    assert {r.name: r.member_count for r in second.rows}["Empresa 03"] == 1
    found = account_list.list_accounts(session=session, actor=admin, query=AccountQuery(search="cuenca emp"))
    assert [r.name for r in found.rows] == ["Empresa 00", "Empresa 02", "Empresa 04", "Empresa 06"]
    newest = account_list.list_accounts(
        session=session, actor=admin, query=AccountQuery(sort="-created", limit=2)
    )
    assert [r.name for r in newest.rows] == ["Empresa 06", "Empresa 05"]
    with pytest.raises(ValidationFailed):
        account_list.list_accounts(session=session, actor=admin, query=AccountQuery(after="garbage"))


def test_members_roles_and_both_feeds(session):
    _, admin = make_org(session)
    account = create_account(session, admin)
    ana, luis = person(session, admin), person(session, admin, "Luis", "Mora")
    add(session, admin, account, ana, "main_contact")
    add(session, admin, account, luis)
    with pytest.raises(Conflict):
        add(session, admin, account, ana)
    with pytest.raises(ValidationFailed):
        run_like_app(
            session,
            account_members.set_member_role,
            actor=admin,
            account_id=account.id,
            customer_id=luis.id,
            role="boss",
        )
    run_like_app(
        session,
        account_members.set_member_role,
        actor=admin,
        account_id=account.id,
        customer_id=luis.id,
        role="billing",
    )
    assert members(session, admin, account) == [("Ana Vera", "main_contact"), ("Luis Mora", "billing")]
    run_like_app(
        session, account_members.remove_member, actor=admin, account_id=account.id, customer_id=ana.id
    )
    assert members(session, admin, account) == [("Luis Mora", "billing")]
    # The member's own feed has his membership events (the "accounts" category filters them).
    ana_feed = feed.list_feed(session=session, actor=admin, customer_id=ana.id, category="accounts").entries
    assert [e.kind for e in ana_feed] == ["member_removed", "member_added"]
    assert ana_feed[1].data == {
        "account_name": "Ferretería Andina",
        "customer_name": "Ana Vera",
        "role": "main_contact",
    }
    # The account's Activity: its events and its current members' feeds, newest first, each once.
    activity = feed.list_account_feed(session=session, actor=admin, account_id=account.id).entries
    assert [e.kind for e in activity] == [
        "member_removed",
        "member_role_changed",
        "member_added",
        "member_added",
        "customer_created",
        "account_created",
    ]
    assert activity[4].customer_name == "Luis Mora"
    luis_accounts = account_members.customer_accounts(session=session, actor=admin, customer_id=luis.id)
    assert luis_accounts[0].role == "billing"
    assert account_members.customer_accounts(session=session, actor=admin, customer_id=ana.id) == []


def test_activity_is_keyset_paged(session):
    _, admin = make_org(session)
    account = create_account(session, admin)
    for i in range(5):
        add(session, admin, account, person(session, admin, "P", f"N{i}"))
    seen, before = [], None
    while True:
        page = feed.list_account_feed(
            session=session, actor=admin, account_id=account.id, before=before, limit=4
        )
        seen += [e.id for e in page.entries]
        if page.next_before is None:
            break
        before = page.next_before
    assert len(seen) == 11 and seen == sorted(seen, reverse=True) and len(set(seen)) == 11


def test_summary_counts_active_members_credit_and_tags(session):
    _, admin = make_org(session)
    account = create_account(session, admin)
    ana = person(session, admin, credit_limit=Decimal("1500.50"), tags=("VIP", "Moroso"))
    luis = person(session, admin, "Luis", "Mora", credit_limit=Decimal("500"), tags=("VIP",))
    gone = person(session, admin, "Old", "Member", credit_limit=Decimal("9999"), tags=("VIP",))
    for customer in (ana, luis, gone):
        add(session, admin, account, customer)
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=gone.id)
    summary = account_members.account_summary(session=session, actor=admin, account_id=account.id)
    assert summary.member_count == 2 and summary.credit_limit_total == Decimal("2000.50")
    assert summary.tags == (("VIP", 2), ("Moroso", 1))


def test_delete_keeps_the_customers_and_hides_the_account(session):
    _, admin = make_org(session)
    account = create_account(session, admin)
    ana = person(session, admin)
    add(session, admin, account, ana)
    run_like_app(session, accounts.delete_account, actor=admin, account_id=account.id)
    assert customers.get_customer(session=session, actor=admin, customer_id=ana.id).deleted_at is None
    assert account_list.list_accounts(session=session, actor=admin, query=AccountQuery()).rows == ()
    assert account_members.customer_accounts(session=session, actor=admin, customer_id=ana.id) == []
    with pytest.raises(NotFound):
        accounts.get_account(session=session, actor=admin, account_id=account.id)


def test_customer_list_filtered_by_account(session):
    _, admin = make_org(session)
    account = create_account(session, admin)
    ana, _luis = person(session, admin), person(session, admin, "Luis", "Mora")
    add(session, admin, account, ana)
    page = customers.list_customers(session=session, actor=admin, query=CustomerQuery(account_id=account.id))
    assert [r.display_name for r in page.rows] == ["Ana Vera"]


def test_sales_users_manage_accounts_too(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin)
    account = create_account(session, sales)
    add(session, sales, account, person(session, sales))
    run_like_app(session, accounts.delete_account, actor=sales, account_id=account.id)


# --------------------------------------------------------------------------- tenant isolation


@pytest.fixture
def two_orgs(session):
    _, admin_a = make_org(session, "A")
    account = create_account(session, admin_a)
    ana = person(session, admin_a)
    add(session, admin_a, account, ana)
    _, admin_b = make_org(session, "B")
    own_account = create_account(session, admin_b, name="Cuenta B")
    own_customer = person(session, admin_b, "Bea", "Ruiz")
    return admin_b, account, ana, own_account, own_customer


def _snapshot(session, account_id):
    account = column_snapshot(session, Account, account_id)

    def read():
        memberships = session.execute(
            select(AccountMember.account_id, AccountMember.customer_id, AccountMember.role).order_by(
                AccountMember.id
            )
        ).all()
        return account(), memberships

    return read


@pytest.mark.parametrize(
    "call",
    [
        lambda s, b, acc, ana, own, mine: accounts.get_account(session=s, actor=b, account_id=acc.id),
        lambda s, b, acc, ana, own, mine: accounts.update_account(
            session=s, actor=b, account_id=acc.id, version=1, data=AccountInput(name="Hacked")
        ),
        lambda s, b, acc, ana, own, mine: accounts.delete_account(session=s, actor=b, account_id=acc.id),
        lambda s, b, acc, ana, own, mine: account_members.list_members(session=s, actor=b, account_id=acc.id),
        lambda s, b, acc, ana, own, mine: account_members.account_summary(
            session=s, actor=b, account_id=acc.id
        ),
        lambda s, b, acc, ana, own, mine: account_members.add_member(
            session=s, actor=b, account_id=acc.id, customer_id=mine.id
        ),
        lambda s, b, acc, ana, own, mine: account_members.set_member_role(
            session=s, actor=b, account_id=acc.id, customer_id=ana.id, role="billing"
        ),
        lambda s, b, acc, ana, own, mine: account_members.remove_member(
            session=s, actor=b, account_id=acc.id, customer_id=ana.id
        ),
        lambda s, b, acc, ana, own, mine: feed.list_account_feed(session=s, actor=b, account_id=acc.id),
    ],
    ids=[
        "get",
        "update",
        "delete",
        "members",
        "summary",
        "add_member",
        "set_role",
        "remove_member",
        "activity",
    ],
)
def test_another_organizations_account_is_not_found(session, two_orgs, call):
    admin_b, account, ana, own, mine = two_orgs
    assert_not_found_for_other_org(
        session,
        lambda: call(session, admin_b, account, ana, own, mine),
        _snapshot(session, account.id),
        what="account",
    )


def test_another_organizations_customer_cannot_join_or_be_listed(session, two_orgs):
    admin_b, account, ana, own, _ = two_orgs
    assert_not_found_for_other_org(
        session,
        lambda: account_members.add_member(
            session=session, actor=admin_b, account_id=own.id, customer_id=ana.id
        ),
        _snapshot(session, own.id),
        what="customer",
    )
    assert_not_found_for_other_org(
        session,
        lambda: account_members.customer_accounts(session=session, actor=admin_b, customer_id=ana.id),
        _snapshot(session, own.id),
        what="customer",
    )
    # Filtering B's customer list by A's account shows nothing of A.
    page = customers.list_customers(
        session=session, actor=admin_b, query=CustomerQuery(account_id=account.id)
    )
    assert page.rows == ()
    assert session.execute(select(func.count()).select_from(Customer)).scalar_one() == 2
