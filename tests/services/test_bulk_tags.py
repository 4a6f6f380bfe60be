"""Bulk tags on both databases: ticked ids inline and all that match as a job, each with its records
(items, feed events, the customer's new version), the undo leaving customers edited since, another
organization's ids left out, cancel mid-way."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from crm_app.domain.errors import Conflict, NotFound, ValidationFailed
from crm_app.models import BulkAction, BulkActionItem, FeedEvent, Job
from crm_app.services import bulk
from crm_app.services.bulk import run
from tests.db import run_like_app
from tests.factories import make_org
from tests.services.bulk_helpers import make_customer, run_jobs, start, tag_names, undo, version


@pytest.fixture
def shop(session):
    _, admin = make_org(session)
    ids = [make_customer(session, admin, name, tags=tags) for name, tags in
           (("Ana", ("vip",)), ("Beto", ()), ("Carla", ()), ("Dora", ("vip",)))]
    return admin, ids


def test_tag_add_inline_records_each_change_and_undo_puts_it_back(session, shop):
    admin, ids = shop
    before = version(session, ids[1])
    dto = start(session, admin, "tag_add", ids=ids, tag="VIP")  # "VIP" is the "vip" tag
    assert (dto.status, dto.matched, dto.changed, dto.can_undo) == ("done", 4, 2, True)
    assert dto.description == "Añadir etiqueta «VIP»"
    assert all(tag_names(session, i) == {"vip"} for i in ids)
    assert version(session, ids[1]) == before + 1  # an open form of Beto must not write his old tags back
    items = session.execute(select(BulkActionItem.customer_id).where(BulkActionItem.bulk_action_id == dto.id)
                            ).scalars().all()
    assert sorted(items) == [ids[1], ids[2]]
    events = session.execute(select(FeedEvent).where(FeedEvent.kind == "bulk_change")).scalars().all()
    assert sorted(e.customer_id for e in events) == [ids[1], ids[2]]
    assert json.loads(events[0].data)["bulk_action_id"] == dto.id
    undone = undo(session, admin, dto.id)
    assert undone.status == "undone" and not undone.can_undo
    assert "2 restaurados; 0 cambiados" in undone.summary
    assert tag_names(session, ids[1]) == set() and tag_names(session, ids[0]) == {"vip"}
    with pytest.raises(Conflict) as refused:
        undo(session, admin, dto.id)
    assert refused.value.code == "bulk_undone"


def test_undo_leaves_the_customers_changed_since(session, shop):
    admin, ids = shop
    dto = start(session, admin, "tag_remove", ids=ids, tag="vip")
    assert dto.changed == 2
    # Dora got her tag back by hand meanwhile: the undo leaves her as she is.
    start(session, admin, "tag_add", ids=[ids[3]], tag="vip")
    undone = undo(session, admin, dto.id)
    assert "1 restaurados; 1 cambiados desde entonces" in undone.summary
    assert tag_names(session, ids[0]) == {"vip"} and tag_names(session, ids[3]) == {"vip"}


def test_other_organizations_ids_are_left_out(session, shop):
    admin, ids = shop
    _, other_admin = make_org(session, "Otra")
    other = make_customer(session, other_admin, "Eva")
    dto = start(session, admin, "tag_add", ids=[ids[1], other], tag="nuevo")
    assert (dto.matched, dto.changed) == (1, 1)
    assert tag_names(session, other) == set()
    with pytest.raises(NotFound):
        run_like_app(session, bulk.get, actor=other_admin, bulk_action_id=dto.id)
    with pytest.raises(NotFound):
        undo(session, other_admin, dto.id)
    assert run_like_app(session, bulk.list_recent, actor=other_admin) == []


def test_params_are_refused_with_field_codes(session, shop):
    admin, ids = shop
    with pytest.raises(ValidationFailed) as refused:
        start(session, admin, "tag_add", ids=ids, tag="  ")
    assert refused.value.errors["tag"].code == "required"
    with pytest.raises(ValidationFailed) as refused:
        start(session, admin, "paint", ids=())
    assert set(refused.value.errors) == {"kind", "selection"}


def test_all_matching_runs_as_a_job_and_its_undo_too(session, db_url, shop, monkeypatch):
    admin, ids = shop
    monkeypatch.setattr(run, "BATCH", 1)
    monkeypatch.setattr("crm_app.services.bulk.INLINE_LIMIT", 1)
    assert run_like_app(session, bulk.count_matching, actor=admin, query="tags=vip") == 2
    assert run_like_app(session, bulk.count_matching, actor=admin, query="") == 4
    dto = start(session, admin, "tag_add", query="tags=vip", all_matching=True, tag="promo")
    assert dto.status == "running" and dto.job_id
    run_jobs(db_url)
    done = run_like_app(session, bulk.get, actor=admin, bulk_action_id=dto.id)
    assert (done.status, done.matched, done.changed) == ("done", 2, 2)
    assert [("promo" in tag_names(session, i)) for i in ids] == [True, False, False, True]
    undone = undo(session, admin, dto.id)
    assert undone.status == "undoing" and undone.job_id != dto.job_id
    run_jobs(db_url)
    undone = run_like_app(session, bulk.get, actor=admin, bulk_action_id=dto.id)
    assert undone.status == "undone" and "2 restaurados" in undone.summary
    assert not any("promo" in tag_names(session, i) for i in ids)


def test_cancel_mid_way_keeps_what_is_done_and_undoable(session, db_url, shop, monkeypatch):
    admin, ids = shop
    monkeypatch.setattr(run, "BATCH", 1)
    real = run.apply_batch
    calls = []

    def cancel_after_two(session_, ctx, batch):
        calls.append(batch)
        if len(calls) == 2:  # the user presses Cancel while the second batch runs
            with session_.bind.connect() as conn:
                conn.execute(Job.__table__.update().values(cancel_requested=True))
                conn.commit()
        return real(session_, ctx, batch)

    monkeypatch.setattr(run, "apply_batch", cancel_after_two)
    dto = start(session, admin, "tag_add", query="", all_matching=True, tag="promo")
    run_jobs(db_url)
    done = run_like_app(session, bulk.get, actor=admin, bulk_action_id=dto.id)
    assert (done.status, done.changed, done.can_undo) == ("cancelled", 2, True)
    assert sum("promo" in tag_names(session, i) for i in ids) == 2
    monkeypatch.setattr(run, "apply_batch", real)
    undone = undo(session, admin, dto.id)
    assert undone.status == "undone" and not any("promo" in tag_names(session, i) for i in ids)


def test_undo_expires_after_24_hours(session, shop):
    admin, ids = shop
    dto = start(session, admin, "tag_add", ids=ids[:1], tag="nuevo")
    row = session.get(BulkAction, dto.id)
    row.created_at = row.created_at.replace(year=row.created_at.year - 1)
    session.commit()
    assert not run_like_app(session, bulk.get, actor=admin, bulk_action_id=dto.id).can_undo
    with pytest.raises(Conflict) as refused:
        undo(session, admin, dto.id)
    assert refused.value.code == "bulk_undo_expired"
    assert session.execute(select(func.count()).select_from(BulkActionItem)).scalar_one() == 1


def test_the_tag_filter_follows_a_bulk_tag_and_its_undo(session, shop):
    """PostgreSQL's search_facets (the tag filter's index) are written with the version bump, before the
    tag rows: they must come out as migration 0008's triggers compute them, -1 (consent) kept."""
    admin, ids = shop
    ids.append(make_customer(session, admin, "Eva", emails=(("eva@example.com", True),)))

    def filtered(query: str) -> int:
        return run_like_app(session, bulk.count_matching, actor=admin, query=query)

    def facets_right() -> None:
        if session.get_bind().dialect.name == "postgresql":
            session.expire_all()
            wrong = session.execute(text(
                "SELECT count(*) FROM customer c WHERE c.search_facets IS DISTINCT FROM ARRAY(SELECT "
                "t.tag_id FROM customer_tag t WHERE t.customer_id = c.id UNION ALL SELECT -1 WHERE EXISTS "
                "(SELECT 1 FROM customer_email e WHERE e.customer_id = c.id AND e.accepts_email) ORDER BY 1)"
            )).scalar()
            assert wrong == 0

    added = start(session, admin, "tag_add", ids=ids, tag="promo")
    removed = start(session, admin, "tag_remove", ids=ids, tag="vip")
    assert (filtered("tags=promo"), filtered("tags=vip"), filtered("tags=promo&consent=1")) == (5, 0, 1)
    facets_right()
    undo(session, admin, removed.id)
    undo(session, admin, added.id)
    assert (filtered("tags=promo"), filtered("tags=vip")) == (0, 2)
    facets_right()
