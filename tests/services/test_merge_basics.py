"""Merging customers, on both databases: the survivor's values and details, consent at its most
restrictive, conflictive wins, records moved, the merged customers out of the trash and not
restorable, the undo and its refusals, other organizations and sales users refused."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from crm_app.domain.customers import CustomerQuery
from crm_app.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from crm_app.models import (
    Comment,
    Customer,
    CustomerEmail,
    CustomerMerge,
    CustomerPhone,
    DuplicatePair,
    FeedEvent,
    WebhookDelivery,
)
from crm_app.models.types import utcnow
from crm_app.services import comments, customers, feed, merge, webhooks
from crm_app.states.feed_items import Reader, feed_item
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.merge_factories import (
    EmailInput,
    PhoneInput,
    age,
    allow_duplicates,
    create,
    database,
    do_merge,
    person,
    request,
)


@pytest.fixture
def shop(session):
    _org, admin = make_org(session, country="EC")
    allow_duplicates(session, admin)
    return admin


def test_preview_defaults_and_the_merge_combines_everything(session, shop):
    admin = shop
    old = create(session, admin, person("Ana", phones=(PhoneInput("0991234567", whatsapp=True),),
                                        emails=(EmailInput("ana@example.com", accepts_email=True),),
                                        tags=("vip",), city="Quito"))
    new = create(session, admin, person("Ana María", phones=(PhoneInput("+593 99 123 4567", sms=True),
                                                             PhoneInput("0987654321")),
                                        emails=(EmailInput("ana@example.com"), EmailInput("a2@example.com")),
                                        tags=("mayorista",), is_conflictive=True, notes="Paga tarde"))
    age(session, old, 30)
    preview = merge.preview(session=session, actor=admin, customer_ids=[old, new], lang="en")
    assert preview.survivor_id == old  # the oldest
    fields = {f.field: f for f in preview.fields}
    assert fields["first_name"].chosen_id == new and fields["first_name"].differs  # the most recent
    assert fields["address"].chosen_id == old  # the only one with an address
    assert fields["first_name"].label == "First name" or fields["first_name"].label
    assert preview.conflictive and preview.tags == ("mayorista", "vip")
    assert len(preview.phones) == 2 and "ana@example.com (no consent)" in preview.emails

    result = do_merge(session, admin, [old, new], choices={"first_name": old})
    survivor = session.get(Customer, old)
    session.refresh(survivor)
    assert result.merged_ids == (new,) and result.can_undo
    assert (survivor.first_name, survivor.city, survivor.notes) == ("Ana", "Quito", "Paga tarde")
    assert survivor.is_conflictive  # conflictive wins
    phones = session.execute(select(CustomerPhone).where(CustomerPhone.customer_id == old)
                             .order_by(CustomerPhone.position)).scalars().all()
    assert [(p.e164, p.whatsapp, p.sms, p.is_primary) for p in phones] == [
        ("+593991234567", True, True, True), ("+593987654321", False, False, False)]
    emails = {e.address: e.accepts_email for e in session.execute(
        select(CustomerEmail).where(CustomerEmail.customer_id == old)).scalars()}
    assert emails == {"ana@example.com": False, "a2@example.com": False}  # consent at its most restrictive
    loser = session.get(Customer, new)
    session.refresh(loser)
    assert loser.merged_into_id == old and loser.deleted_at is not None
    assert merge.survivor_of(session, admin.organization_id, new) == old
    assert merge.survivor_of(session, admin.organization_id, old) is None
    kinds = [e.kind for e in feed.list_feed(session=session, actor=admin, customer_id=old).entries]
    assert kinds[0] == "customer_merged"


def test_records_move_and_come_back_with_the_undo(session, shop):
    admin = shop
    a = create(session, admin, person("Ana"))
    b = create(session, admin, person("Bea", loyalty_id="L-7"))
    session.add(Comment(organization_id=admin.organization_id, customer_id=b, author_id=admin.user_id,
                        body="hola"))
    session.commit()
    before = database(session)
    result = do_merge(session, admin, [a, b], choices={"loyalty_id": b})
    assert session.execute(select(Comment.customer_id)).scalar_one() == a
    assert session.get(Customer, a).loyalty_id == "L-7"  # taken from the merged customer
    assert result.summary["comments"] == 1
    run_like_app(session, merge.undo_merge, actor=admin, merge_id=result.id)
    session.expire_all()
    assert database(session) == before
    with pytest.raises(Conflict) as again:
        run_like_app(session, merge.undo_merge, actor=admin, merge_id=result.id)
    assert again.value.code == "merge_undone"


def test_undo_refused_after_an_edit_of_the_survivor_or_after_a_day(session, shop):
    admin = shop
    a, b = create(session, admin, person("Ana")), create(session, admin, person("Bea"))
    result = do_merge(session, admin, [a, b])
    survivor = customers.get_customer(session=session, actor=admin, customer_id=a)
    run_like_app(session, customers.update_customer, actor=admin, customer_id=a, version=survivor.version,
                 data=person("Ana", last="Nueva"))
    with pytest.raises(Conflict) as edited:
        run_like_app(session, merge.undo_merge, actor=admin, merge_id=result.id)
    assert edited.value.code == "merge_undo_survivor_edited"
    c, d = create(session, admin, person("Carla")), create(session, admin, person("Dora"))
    late = do_merge(session, admin, [c, d])
    session.execute(update(CustomerMerge).where(CustomerMerge.id == late.id)
                    .values(created_at=utcnow() - timedelta(hours=25)))
    session.commit()
    with pytest.raises(Conflict) as expired:
        run_like_app(session, merge.undo_merge, actor=admin, merge_id=late.id)
    assert expired.value.code == "merge_undo_expired"
    assert not merge.get_merge(session=session, actor=admin, merge_id=late.id).can_undo


def test_stale_versions_and_bad_requests_are_refused(session, shop):
    admin = shop
    a, b = create(session, admin, person("Ana")), create(session, admin, person("Bea"))
    stale = request(session, [a, b])
    stale = type(stale)(customer_ids=stale.customer_ids, survivor_id=a, choices={},
                        versions={a: stale.versions[a], b: stale.versions[b] - 1})
    with pytest.raises(Conflict) as refused:
        run_like_app(session, merge.merge, actor=admin, request=stale)
    assert refused.value.code == "customer_stale"
    with pytest.raises(ValidationFailed):
        do_merge(session, admin, [a])
    with pytest.raises(ValidationFailed) as bad:
        do_merge(session, admin, [a, b], choices={"nope": a, "city": 999})
    assert set(bad.value.errors) == {"nope", "city"}
    assert session.execute(select(CustomerMerge)).first() is None


def test_other_organizations_and_sales_users_are_refused(session, shop):
    admin = shop
    _, other_admin = make_org(session, "Otra", country="EC")
    mine = create(session, admin, person("Ana"))
    theirs = create(session, other_admin, person("Bea"))
    with pytest.raises(NotFound):
        merge.preview(session=session, actor=admin, customer_ids=[mine, theirs])
    with pytest.raises(NotFound):
        do_merge(session, admin, [mine, theirs])
    with pytest.raises(NotFound):
        do_merge(session, other_admin, [mine, theirs])
    _, seller, _ = make_user(session, admin, "sales")
    other = create(session, admin, person("Carla"))
    for call in (lambda: merge.preview(session=session, actor=seller, customer_ids=[mine, other]),
                 lambda: do_merge(session, seller, [mine, other]),
                 lambda: merge.list_merges(session=session, actor=seller)):
        with pytest.raises(Forbidden):
            call()
    result = do_merge(session, admin, [mine, other])
    with pytest.raises(NotFound):
        merge.get_merge(session=session, actor=other_admin, merge_id=result.id)
    with pytest.raises(NotFound):
        run_like_app(session, merge.undo_merge, actor=other_admin, merge_id=result.id)
    assert merge.list_merges(session=session, actor=other_admin) == []
    assert [m.id for m in merge.list_merges(session=session, actor=admin)] == [result.id]


def test_merged_customers_stay_out_of_the_trash_and_cannot_be_restored(session, shop):
    admin = shop
    a, b, c = (create(session, admin, person(n)) for n in ("Ana", "Bea", "Carla"))
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=c)
    do_merge(session, admin, [a, b])
    trash = customers.list_customers(session=session, actor=admin, query=CustomerQuery(trash=True))
    assert [r.id for r in trash.rows] == [c]
    with pytest.raises(Conflict) as refused:
        run_like_app(session, customers.restore_customer, actor=admin, customer_id=b)
    assert refused.value.code == "customer_merged"
    with pytest.raises(Conflict) as again:
        do_merge(session, admin, [a, b])
    assert again.value.code == "merge_customer_merged"
    assert session.execute(select(FeedEvent.kind).where(FeedEvent.customer_id == a,
                                                        FeedEvent.kind == "customer_merged")).scalar_one()


def test_webhook_customer_merged_and_the_undos_customer_updated(session, shop, env):
    admin = shop
    env(CRM_WEBHOOKS_ALLOW_HTTP="true", CRM_WEBHOOKS_ALLOW_PRIVATE="true")
    run_like_app(session, webhooks.create_endpoint, actor=admin, url="http://127.0.0.1:9/hook",
                 events=["customer.merged", "customer.updated"], description="")
    a, b, c = (create(session, admin, person(n)) for n in ("Ana", "Bea", "Carla"))
    result = do_merge(session, admin, [a, b, c], survivor_id=b)
    sent = session.execute(select(WebhookDelivery).where(WebhookDelivery.event_type == "customer.merged")
                           ).scalar_one()
    obj = json.loads(sent.payload)["data"]["object"]
    assert (obj["id"], obj["survivor_id"], obj["merged_ids"]) == (result.id, b, [a, c])
    assert obj["survivor"]["id"] == b
    run_like_app(session, merge.undo_merge, actor=admin, merge_id=result.id)
    updated = session.execute(select(WebhookDelivery).where(WebhookDelivery.event_type == "customer.updated")
                              ).scalar_one()
    assert json.loads(updated.payload)["data"]["object"]["id"] == b


def test_the_merged_customers_candidate_pairs_are_forgotten(session, shop):
    admin = shop
    a, b, c = (create(session, admin, person(n)) for n in ("Ana", "Bea", "Carla"))
    for x, y in ((a, b), (a, c)):
        session.add(DuplicatePair(organization_id=admin.organization_id, customer_a_id=x, customer_b_id=y,
                                  score=90, reasons=1, group_key=a))
    session.commit()
    do_merge(session, admin, [a, b])
    pairs = session.execute(select(DuplicatePair.customer_a_id, DuplicatePair.customer_b_id)).all()
    assert pairs == [(a, c)]


def test_a_loyalty_id_given_away_since_blocks_the_undo(session, shop):
    admin = shop
    a = create(session, admin, person("Ana", loyalty_id="L-1"))
    b = create(session, admin, person("Bea", loyalty_id="L-2"))
    result = do_merge(session, admin, [a, b], choices={"loyalty_id": a})  # L-2 freed with Bea
    create(session, admin, person("Carla", loyalty_id="L-2"))
    with pytest.raises(Conflict) as refused:
        run_like_app(session, merge.undo_merge, actor=admin, merge_id=result.id)
    assert refused.value.code == "merge_undo_loyalty_taken"


def test_a_merge_of_a_merge_leads_to_the_last_survivor(session, shop):
    admin = shop
    a, b, c = (create(session, admin, person(n)) for n in ("Ana", "Bea", "Carla"))
    first = do_merge(session, admin, [a, b])
    do_merge(session, admin, [c, a])
    assert merge.survivor_of(session, admin.organization_id, b) == c
    with pytest.raises(Conflict) as refused:
        run_like_app(session, merge.undo_merge, actor=admin, merge_id=first.id)
    assert refused.value.code == "merge_undo_survivor_merged"


def test_the_survivors_feed_says_whom_and_what_moved(session, shop):
    admin = shop
    a, b = create(session, admin, person("Ana")), create(session, admin, person("Bea"))
    run_like_app(session, comments.add_comment, actor=admin, customer_id=b, body="hola")
    result = do_merge(session, admin, [a, b])
    run_like_app(session, merge.undo_merge, actor=admin, merge_id=result.id)
    reader = Reader(lang="en", tz="America/Guayaquil", now=utcnow(), currency="USD", user_id=0, is_admin=True)
    undone, merged = (feed_item(e, reader) for e in feed.list_feed(
        session=session, actor=admin, customer_id=a, category="changes").entries[:2])
    assert merged.summary == "Merged into this customer: Bea Vera" and merged.icon == "merge"
    lines = [(line.label, line.text) for line in merged.changes]
    assert lines == [("Comments", "1"), ("History events", "2")]
    assert undone.summary == "Undid the merge; separate again: Bea Vera"


def test_the_survivor_is_found_by_what_he_took_and_the_undo_finds_each_again(session, shop):
    admin = shop
    a = create(session, admin, person("Ana", tags=("vip",)))
    b = create(session, admin, person("Bea", emails=(EmailInput("bea.mora@example.com", accepts_email=True),),
                                      tags=("mayorista",)))

    def found(**query) -> list[int]:
        page = customers.list_customers(session=session, actor=admin, query=CustomerQuery(**query))
        return [r.id for r in page.rows]

    result = do_merge(session, admin, [a, b])
    assert found(search="bea.mora") == [a]
    assert found(tags=("mayorista",)) == [a] and found(accepts_email=True) == [a]
    run_like_app(session, merge.undo_merge, actor=admin, merge_id=result.id)
    assert found(search="bea.mora") == [b]
    assert found(tags=("mayorista",)) == [b] and found(tags=("vip",)) == [a]
