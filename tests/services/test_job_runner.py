"""The job runner: one runner claims a job once, the job's progress is its heartbeat and where a cancel
reaches it, a failure is recorded with its reason, and a job whose worker died is marked interrupted
(with its owner told through the kind's ``ended``), never run twice by itself."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session

from crm_app.jobs import runner
from crm_app.jobs.job_run import JobKind, JobRun
from crm_app.models import Job
from crm_app.models.types import utcnow
from crm_app.services import jobs
from tests.factories import make_org

ENDED: list[tuple[int, str]] = []


def _work(job: JobRun) -> dict:
    for done in range(1, job.payload["steps"] + 1):
        job.progress(done, job.payload["steps"])
        if job.payload.get("fail_at") == done:
            raise RuntimeError("the disk is full")
    return {"steps": job.payload["steps"]}


@pytest.fixture
def test_kind(monkeypatch):
    ENDED.clear()
    kind = JobKind(run=_work, ended=lambda session, job, status: ENDED.append((job.id, status)))
    monkeypatch.setitem(runner.KINDS, "test.steps", kind)


def _queue(session: Session, actor, **payload) -> int:
    job_id = jobs.enqueue(session, organization_id=actor.organization_id, owner_id=actor.user_id,
                          kind="test.steps", payload=payload)
    session.commit()
    return job_id


def test_a_job_runs_once_reports_progress_and_its_result(session, db_url, test_kind):
    _, admin = make_org(session)
    job_id = _queue(session, admin, steps=3)
    assert runner.run_once(database_url=db_url) is True
    assert runner.run_once(database_url=db_url) is False  # nothing left: it ran once
    job = jobs.get_job(session, admin.organization_id, job_id)
    assert (job.status, job.done, job.total, job.result) == ("done", 3, 3, {"steps": 3})
    assert job.percent == 100 and job.ended and [(job_id, "done")] == ENDED


def test_a_failed_job_says_why_and_the_runner_goes_on(session, db_url, test_kind):
    _, admin = make_org(session)
    failing = _queue(session, admin, steps=3, fail_at=2)
    fine = _queue(session, admin, steps=1)
    runner.run_once(database_url=db_url)
    runner.run_once(database_url=db_url)
    job = jobs.get_job(session, admin.organization_id, failing)
    assert (job.status, job.done) == ("failed", 2) and "the disk is full" in job.error
    assert jobs.get_job(session, admin.organization_id, fine).status == "done"


def test_a_cancel_stops_the_job_at_its_next_progress(session, db_url, test_kind):
    _, admin = make_org(session)
    job_id = _queue(session, admin, steps=5)
    claimed = runner.claim("w1", database_url=db_url)
    claimed.progress(1, 5)
    jobs.request_cancel(session, admin.organization_id, job_id)
    session.commit()
    assert runner.run_job(claimed) == "cancelled"
    job = jobs.get_job(session, admin.organization_id, job_id)
    assert job.status == "cancelled" and [(job_id, "cancelled")] == ENDED


def test_two_runners_never_take_the_same_job(session, db_url, test_kind):
    _, admin = make_org(session)
    first, second = _queue(session, admin, steps=1), _queue(session, admin, steps=1)
    taken = [runner.claim(name, database_url=db_url) for name in ("w1", "w2", "w3")]
    assert [j.id if j else None for j in taken] == [first, second, None]


def test_a_job_whose_worker_died_is_interrupted_not_run_again(session, db_url, test_kind):
    _, admin = make_org(session)
    job_id = _queue(session, admin, steps=3)
    claimed = runner.claim("w1", database_url=db_url)
    assert claimed.id == job_id
    # Its process is gone (kill -9): a worker name of this machine with a pid that does not exist.
    row = session.get(Job, job_id)
    host = runner.worker_name().split(":")[0]
    row.worker = f"{host}:999999999:1"
    session.add(row)
    session.commit()
    assert runner.sweep(database_url=db_url) == 1
    assert runner.run_once(database_url=db_url) is False
    job = jobs.get_job(session, admin.organization_id, job_id)
    assert job.status == "interrupted" and [(job_id, "interrupted")] == ENDED


def test_a_silent_worker_elsewhere_is_taken_for_dead(session, db_url, test_kind):
    _, admin = make_org(session)
    job_id = _queue(session, admin, steps=3)
    runner.claim("another-machine:12:1", database_url=db_url)
    row = session.get(Job, job_id)
    row.heartbeat_at = utcnow() - runner.STALE_HEARTBEAT * 2
    session.add(row)
    session.commit()
    runner.sweep(database_url=db_url)
    assert jobs.get_job(session, admin.organization_id, job_id).status == "interrupted"


def test_another_organization_cannot_read_or_cancel_a_job(session, db_url, test_kind):
    _, admin = make_org(session)
    _, other = make_org(session, "Otra")
    job_id = _queue(session, admin, steps=1)
    from crm_app.domain.errors import NotFound

    with pytest.raises(NotFound):
        jobs.get_job(session, other.organization_id, job_id)
    with pytest.raises(NotFound):
        jobs.request_cancel(session, other.organization_id, job_id)


def test_a_slow_job_taken_for_dead_stops_at_its_next_batch_and_stays_interrupted(session, db_url, test_kind):
    """Its owner may resume an interrupted job: the slow original must not go on beside the copy."""
    _, admin = make_org(session)
    job_id = _queue(session, admin, steps=3)
    claimed = runner.claim("w1", database_url=db_url)
    row = session.get(Job, job_id)
    row.heartbeat_at = utcnow() - runner.STALE_HEARTBEAT * 2  # a batch slower than the limit
    session.add(row)
    session.commit()
    runner.sweep(database_url=db_url)
    assert runner.run_job(claimed) == "interrupted"
    job = jobs.get_job(session, admin.organization_id, job_id)
    assert (job.status, job.done) == ("interrupted", 0) and [(job_id, "interrupted")] == ENDED


def test_a_worker_told_to_stop_interrupts_its_job_at_the_next_batch_and_takes_no_other(
    session, db_url, test_kind
):
    _, admin = make_org(session)
    job_id, other = _queue(session, admin, steps=3), _queue(session, admin, steps=1)
    claimed = runner.claim("w1", database_url=db_url)
    claimed.stop = threading.Event()
    claimed.stop.set()  # SIGTERM
    assert runner.run_job(claimed) == "interrupted"
    assert runner.run_once(database_url=db_url, stop=claimed.stop) is False
    job = jobs.get_job(session, admin.organization_id, job_id)
    assert (job.status, job.done) == ("interrupted", 1) and [(job_id, "interrupted")] == ENDED
    assert jobs.get_job(session, admin.organization_id, other).status == "queued"
