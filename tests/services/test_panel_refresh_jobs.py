"""The panel summary's refresh as a job, on both databases: the runner's tick queues one for an
organization with customers whose summary is missing or stale, never a second while one is pending,
none for a fresh summary or an organization without customers; the job writes the summary with its
progress; the panel's own request returns the pending job instead of queueing another."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from crm_app.jobs import panel as panel_jobs
from crm_app.jobs import runner
from crm_app.models import Job, PanelSummary
from crm_app.models.types import utcnow
from crm_app.services import panel
from crm_app.services.panel.refresh_jobs import KIND, is_stale
from tests.factories import make_org
from tests.services.test_panel_factories import customer, utc


def _refresh_jobs(session, org_id: int) -> list[tuple[int, str]]:
    session.expire_all()
    return session.execute(select(Job.id, Job.status).where(Job.organization_id == org_id, Job.kind == KIND)
                           .order_by(Job.id)).all()


def test_the_tick_queues_a_refresh_once_and_again_when_stale(session, db_url):
    _, admin = make_org(session, country="EC")
    _, empty = make_org(session, name="Empty", country="EC")
    customer(session, admin, utc(2025, 12, 1, 15))
    customer(session, admin, utc(2025, 12, 2, 15))
    panel_jobs.tick(db_url)
    panel_jobs.tick(db_url)  # one is queued: not a second
    queued = _refresh_jobs(session, admin.organization_id)
    assert [status for _, status in queued] == ["queued"]
    assert _refresh_jobs(session, empty.organization_id) == []  # nothing to summarize
    job = session.get(Job, queued[0][0])
    assert job.owner_id == admin.user_id and '"organization_id"' in job.payload

    assert runner.run_once(database_url=db_url) is True
    session.expire_all()
    job = session.get(Job, queued[0][0])
    assert (job.status, job.done, job.total) == ("done", job.total, job.total) and job.total > 1
    summary = session.get(PanelSummary, admin.organization_id)
    assert summary is not None and not is_stale(summary.refreshed_at)
    panel_jobs.tick(db_url)  # fresh: nothing to do
    assert len(_refresh_jobs(session, admin.organization_id)) == 1

    session.execute(update(PanelSummary).where(PanelSummary.organization_id == admin.organization_id)
                    .values(refreshed_at=utcnow() - timedelta(minutes=11)))
    session.commit()
    panel_jobs.tick(db_url)  # stale, but the last refresh job is younger than 10 minutes: not yet
    assert len(_refresh_jobs(session, admin.organization_id)) == 1
    session.execute(update(Job).where(Job.id == job.id).values(created_at=utcnow() - timedelta(minutes=11)))
    session.commit()
    panel_jobs.tick(db_url)
    assert [status for _, status in _refresh_jobs(session, admin.organization_id)] == ["done", "queued"]


def test_a_failing_refresh_is_retried_after_a_while_not_at_every_tick(session, db_url):
    _, admin = make_org(session, country="EC")
    customer(session, admin, utc(2025, 12, 1, 15))
    panel_jobs.tick(db_url)
    [(job_id, _)] = _refresh_jobs(session, admin.organization_id)
    session.execute(update(Job).where(Job.id == job_id).values(status="failed"))
    session.commit()
    panel_jobs.tick(db_url)
    assert len(_refresh_jobs(session, admin.organization_id)) == 1
    session.execute(update(Job).where(Job.id == job_id).values(created_at=utcnow() - timedelta(minutes=11)))
    session.commit()
    panel_jobs.tick(db_url)
    assert len(_refresh_jobs(session, admin.organization_id)) == 2


def test_the_panel_asks_for_a_refresh_once_in_a_while(session):
    _, admin = make_org(session, country="EC")
    first = panel.request_refresh(session=session, actor=admin)
    session.commit()
    assert panel.request_refresh(session=session, actor=admin) == first
    session.execute(update(Job).where(Job.id == first).values(status="failed"))
    assert panel.request_refresh(session=session, actor=admin) == first  # not again at every page load
    session.execute(update(Job).where(Job.id == first).values(created_at=utcnow() - timedelta(minutes=11)))
    second = panel.request_refresh(session=session, actor=admin)
    assert second != first
    assert session.get(Job, second).owner_id == admin.user_id


def test_refreshes_that_ended_over_a_day_ago_are_dropped_when_the_next_is_queued(session, db_url):
    _, admin = make_org(session, country="EC")
    customer(session, admin, utc(2025, 12, 1, 15))
    panel_jobs.tick(db_url)
    runner.run_once(database_url=db_url)
    (old, _), = _refresh_jobs(session, admin.organization_id)
    session.execute(update(Job).where(Job.id == old).values(created_at=utcnow() - timedelta(days=2)))
    session.execute(update(PanelSummary).where(PanelSummary.organization_id == admin.organization_id)
                    .values(refreshed_at=utcnow() - timedelta(minutes=11)))
    session.commit()
    panel_jobs.tick(db_url)
    assert [status for _, status in _refresh_jobs(session, admin.organization_id)] == ["queued"]
