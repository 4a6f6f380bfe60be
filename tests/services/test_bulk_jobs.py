"""Bulk actions as jobs, on both databases: more ticked customers than INLINE_LIMIT, a worker that died
("interrupted", what it did stays undoable), who sees which actions, the trash's count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from crm_app.jobs import runner
from crm_app.models import Job
from crm_app.models.types import utcnow
from crm_app.services import bulk
from crm_app.services.bulk import run
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.services.bulk_helpers import make_customer, run_jobs, start, tag_names, undo


@pytest.fixture
def shop(session):
    _, admin = make_org(session)
    return admin, [make_customer(session, admin, name) for name in ("Ana", "Beto", "Carla", "Dora")]


def test_more_ticked_customers_than_the_inline_limit_run_as_a_job(session, db_url, shop, monkeypatch):
    admin, ids = shop
    monkeypatch.setattr("crm_app.services.bulk.INLINE_LIMIT", 2)
    monkeypatch.setattr(run, "BATCH", 3)
    dto = start(session, admin, "tag_add", ids=ids, tag="vip")
    assert (dto.status, dto.matched) == ("running", 4)
    run_jobs(db_url)
    session.expire_all()
    job = session.get(Job, dto.job_id)
    assert (job.status, job.done, job.total) == ("done", 4, 4)
    done = run_like_app(session, bulk.get, actor=admin, bulk_action_id=dto.id)
    assert (done.status, done.changed) == ("done", 4)
    assert all(tag_names(session, i) == {"vip"} for i in ids)


def test_a_dead_worker_leaves_the_action_interrupted_and_undoable(session, db_url, shop, monkeypatch):
    admin, ids = shop
    monkeypatch.setattr(run, "BATCH", 2)
    real, calls = run.apply_batch, []

    def dying_after_one(*args, **kwargs):
        if calls:
            raise SystemExit("kill -9")  # the worker process is gone mid-job
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "apply_batch", dying_after_one)
    dto = start(session, admin, "tag_add", query="", all_matching=True, tag="vip")
    job = runner.claim("dead-worker", database_url=db_url)
    with pytest.raises(SystemExit):
        runner.KINDS[job.kind].run(job)
    session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(hours=1)))
    session.commit()
    assert runner.sweep(database_url=db_url) == 1
    found = run_like_app(session, bulk.get, actor=admin, bulk_action_id=dto.id)
    assert (found.status, found.changed, found.can_undo) == ("failed", 2, True)
    assert "Interrumpida" in found.summary
    undone = undo(session, admin, dto.id)
    assert undone.status == "undone" and "2 restaurados" in undone.summary
    assert all(tag_names(session, i) == set() for i in ids)


def test_admins_see_every_action_and_sales_users_their_own(session, shop):
    admin, ids = shop
    _, sales, _ = make_user(session, admin, "sales")
    mine = start(session, sales, "tag_add", ids=ids[:1], tag="a")
    theirs = start(session, admin, "tag_add", ids=ids[:1], tag="b")
    assert [a.id for a in run_like_app(session, bulk.list_recent, actor=admin)] == [theirs.id, mine.id]
    assert [a.id for a in run_like_app(session, bulk.list_recent, actor=sales)] == [mine.id]
    assert run_like_app(session, bulk.list_recent, actor=admin, before_id=theirs.id)[0].actor_name


def test_count_matching_and_restore_read_the_trash_when_the_filters_say_so(session, db_url, shop):
    admin, ids = shop
    start(session, admin, "trash", ids=ids[:1])
    assert run_like_app(session, bulk.count_matching, actor=admin, query="") == 3
    assert run_like_app(session, bulk.count_matching, actor=admin, query="trash=1") == 1
    assert run_like_app(session, bulk.count_matching, actor=admin, query="q=ana&trash=1") == 1
    restored = start(session, admin, "restore", query="trash=1", all_matching=True)
    assert restored.status == "running"
    run_jobs(db_url)
    assert run_like_app(session, bulk.get, actor=admin, bulk_action_id=restored.id).changed == 1
    assert run_like_app(session, bulk.count_matching, actor=admin, query="trash=1") == 0
