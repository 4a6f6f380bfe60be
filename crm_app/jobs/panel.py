"""The panel's jobs: refresh an organization's customer day stats and contactability summary
(services/panel/refresh.py), and the runner's tick that queues a refresh for the organizations whose
summary is stale."""

from __future__ import annotations

from crm_app.jobs.job_run import JobKind

KINDS: dict[str, JobKind] = {}


def tick(database_url: str | None) -> None:
    """Queue what is due (called by the runner between jobs; must be cheap when nothing is)."""
