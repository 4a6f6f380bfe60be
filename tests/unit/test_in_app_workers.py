"""CRM_WORKER_IN_APP=false: an app node starts neither the job runner nor the outbox threads, leaving them
to ``python -m crm_app worker`` processes (make prod's nodes)."""

from __future__ import annotations

import threading

import pytest

from crm_app.jobs.outbox import in_app_worker
from crm_app.jobs.runner import in_app_runner
from crm_app.settings import get_settings
from tests.event_loop import run_coroutine


def _threads_while(lifespan) -> set[str]:
    async def run() -> set[str]:
        async with lifespan():
            return {t.name for t in threading.enumerate()}
    return run_coroutine(run())


@pytest.fixture
def worker_in_app(monkeypatch):
    def use(value: str) -> None:
        monkeypatch.setenv("CRM_WORKER_IN_APP", value)
        get_settings.cache_clear()
    yield use
    get_settings.cache_clear()


def test_nodes_without_in_app_workers_start_no_worker_thread(worker_in_app):
    worker_in_app("false")
    assert "job-runner" not in _threads_while(in_app_runner)
    assert not {"outbox-worker", "webhook-worker"} & _threads_while(in_app_worker)


def test_by_default_the_app_runs_its_jobs_itself(worker_in_app):
    worker_in_app("true")
    assert "job-runner" in _threads_while(in_app_runner)
